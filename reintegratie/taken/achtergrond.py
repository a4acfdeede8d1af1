"""The background task that derives tasks from signals (django.tasks, run by
``manage.py db_worker``); enqueue it nightly, or run ``manage.py taken_afleiden``."""

from django.tasks import task

from .signalen import taken_uit_signalen


@task()
def taken_afleiden() -> int:
    """Idempotent: delivered twice, the second run makes nothing."""
    return taken_uit_signalen()
