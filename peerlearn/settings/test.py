"""Settings for the test suite.

The database comes from ``DATABASE_URL`` (PostgreSQL in CI); with none, the test database is an
SQLite *file*, so that a real Celery worker started by a service test can open it too.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from . import base, inherit
from .base import DATABASES, env

inherit(base, globals())

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every test run gets its own folder for the database file and uploads, so that two runs on one
# machine never share state. It is removed when the run ends.
RUN_DIR = Path(tempfile.mkdtemp(prefix="peerlearn-test-"))
atexit.register(shutil.rmtree, RUN_DIR, ignore_errors=True)
MEDIA_ROOT = RUN_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_PATH", default=str(RUN_DIR / "test.sqlite3"))
    }
    # The tests of people acting at once queue eight writers for the lock; on a machine busy
    # with other work each may take seconds, so the test run waits longer than a server would.
    DATABASES["default"]["OPTIONS"]["timeout"] = env.int("SQLITE_BUSY_TIMEOUT", default=120)
else:
    # One test database per run, so that concurrent runs against one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
