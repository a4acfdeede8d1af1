"""Settings for the gunicorns tests/test_twee_instanties.py starts: production settings, with
the test suite's fast password hasher (the test's user was saved with it) and static files
from the source folders, as bench/run.py has them (collectstatic takes longer than the test).
"""

from reintegratie.settings import *  # noqa: F403
from reintegratie.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
