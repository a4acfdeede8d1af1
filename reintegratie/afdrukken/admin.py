"""No task results in the admin.

django-tasks-db registers its task results there, in English, with each task's arguments
and traceback. A batch is followed on its own page (``afdrukopdracht``), and its failure is
kept there as a Dutch message, so the admin (Dutch throughout) leaves them out.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)
