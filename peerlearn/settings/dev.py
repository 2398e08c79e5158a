"""Settings for a laptop: debug on, SQLite, eager Celery and console email unless configured."""

from . import base, inherit
from .base import env

inherit(base, globals())

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
