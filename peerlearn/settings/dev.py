"""Settings for a laptop (``make run``): debug on, SQLite, console email, and the background and
scheduled jobs run by a Celery worker with beat beside the web server.

With neither ``CELERY_BROKER_URL`` nor ``REDIS_URL`` set, the broker is a folder of files
(kombu's filesystem transport) and the cache a folder too, both under ``PEERLEARN_RUN_DIR``
(``.run/``): the web server and ``celery -A peerlearn worker --beat`` share them with nothing else
to install. Survey waves are opened, and their invitations and reminders sent, every
``EVALUATION_WAVE_SCHEDULE_SECONDS`` (a minute) instead of each morning.
"""

from pathlib import Path

from . import base, inherit
from .base import BASE_DIR, CELERY_BEAT_SCHEDULE, REDIS_URL, env

inherit(base, globals())

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

RUN_DIR = Path(env("PEERLEARN_RUN_DIR", default=str(BASE_DIR / ".run")))
LOCAL_JOBS = not env("CELERY_BROKER_URL", default="") and not REDIS_URL
if LOCAL_JOBS:
    _broker = RUN_DIR / "broker"
    for _folder in (_broker / "queue", _broker / "control", RUN_DIR / "cache"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "control_folder": str(_broker / "control"),
    }
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
    CELERY_BEAT_SCHEDULE_FILENAME = str(RUN_DIR / "celerybeat-schedule")
    # One worker process on two threads; no events or remote control (nothing listens to them).
    CELERY_WORKER_POOL = "threads"
    CELERY_WORKER_CONCURRENCY = 2
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    CELERY_WORKER_SEND_TASK_EVENTS = False
    # Email printed by the console backend reaches the terminal as it is, not as log lines.
    CELERY_WORKER_REDIRECT_STDOUTS = False
    # The web server and the worker see the same cached figures and the same data version.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(RUN_DIR / "cache"),
        }
    }
    CELERY_BEAT_SCHEDULE = {
        **CELERY_BEAT_SCHEDULE,
        "evaluation-wave-schedule": {
            "task": "evaluation.tasks.run_wave_schedule",
            "schedule": env.float("EVALUATION_WAVE_SCHEDULE_SECONDS", default=60),
        },
    }
