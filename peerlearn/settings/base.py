"""Settings shared by every environment, configured from environment variables.

With nothing set, PeerLearn runs on an SQLite file, runs Celery tasks eagerly and writes email to
the console. ``dev.py``, ``test.py`` and ``prod.py`` adjust these defaults.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
    "allauth",
    "allauth.account",
    "peerlearn.users",
    "peerlearn",
    "programmes",
    "matching",
    "group_life",
    "evaluation",
    "diffusion",
]

MIDDLEWARE = [
    "peerlearn.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed (static files are compressed by WhiteNoise ahead of time); Django's
    # GZipMiddleware pads each response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come compressed from WhiteNoise, above). BREACH: Django's
    # GZipMiddleware pads each compressed response with a random number of bytes ("Heal The
    # Breach"), and CSRF tokens are masked anew for every response, so a token cannot be guessed
    # from response lengths; pages echo no request text next to a user's secrets.
    "django.middleware.gzip.GZipMiddleware",
    "peerlearn.middleware.RequestSizeMiddleware",
    "peerlearn.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peerlearn.languages.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "peerlearn.urls"
WSGI_APPLICATION = "peerlearn.wsgi.application"

# Selects are written without a template include per option (see peerlearn.widgets).
FORM_RENDERER = "peerlearn.widgets.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerlearn.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once: readers do not block the writer (WAL),
    # a transaction takes the write lock when it starts, so two read-then-write transactions
    # queue instead of deadlocking, and a writer waits for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "POSTGRES_JIT", default=False
):
    # Pages run short queries; PostgreSQL's JIT compiler, which starts on the planner's cost
    # estimate, spent more time compiling the correlated subqueries of a large programme's
    # group flags (0.7 s) than running them (0.2 s).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login; sign-up is by invitation unless opened explicitly.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "peerlearn.users.adapters.AccountAdapter"
# Behind a reverse proxy every request comes from the proxy's address: name how many proxies
# append to X-Forwarded-For, or the header that carries the client's address, so that rate
# limits count per client and not for the whole site.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None) or None
# Failed logins are limited per client address (password spraying) and per account *and* client
# address ("key", see peerlearn.users.adapters): guessing a password from one place is slowed
# down, but nobody elsewhere can lock a known person out by failing on purpose.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,100/h/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PeerLearn] "
# A password reset asked for an address with no account sends nothing to that address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
PEERLEARN_PUBLIC_SIGNUP = env.bool("PEERLEARN_PUBLIC_SIGNUP", default=False)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=30)

# Diffusion: when the flags fire, how long attendee links work, and the limits on onward email.
DIFFUSION_SHARE_WEEKS = env.int("DIFFUSION_SHARE_WEEKS", default=12)
DIFFUSION_REPORT_BACK_DAYS = env.int("DIFFUSION_REPORT_BACK_DAYS", default=60)
DIFFUSION_LINK_VALID_DAYS = env.int("DIFFUSION_LINK_VALID_DAYS", default=30)
DIFFUSION_MAX_RECIPIENTS_PER_REPORT_BACK = env.int(
    "DIFFUSION_MAX_RECIPIENTS_PER_REPORT_BACK", default=200
)
DIFFUSION_MAX_ONWARD_EMAILS_PER_LINK_PER_DAY = env.int(
    "DIFFUSION_MAX_ONWARD_EMAILS_PER_LINK_PER_DAY", default=10
)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Limits on every request, before any view reads it: uploads (multipart) up to MAX_UPLOAD_MB
# (each form has its own smaller limit), other bodies (forms, API JSON) up to 2.5 MB and 1,000
# fields (peerlearn.middleware.RequestSizeMiddleware).
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_MB", default=25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PeerLearn <no-reply@peerlearn.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env("REDIS_URL", default="")
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=1.0)
if REDIS_URL:
    # While Redis is unreachable the cache answers from memory in each process (see
    # peerlearn/cache.py), so pages, login rate limits and API throttling keep working.
    CACHES = {
        "default": {
            "BACKEND": "peerlearn.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "RETRY_SECONDS": env.float("REDIS_RETRY_SECONDS", default=10),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, tasks run eagerly in the web process (``dev`` settings, used
# by ``make run``, give it a broker in files and a worker instead).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
# A broker that is down or does not answer must not hold a web request for long: each connection
# attempt and each socket operation gives up after CELERY_BROKER_TIMEOUT_SECONDS, and a publish
# is retried twice at most before the error reaches the caller.
CELERY_BROKER_TIMEOUT_SECONDS = env.float("CELERY_BROKER_TIMEOUT_SECONDS", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_TIMEOUT_SECONDS
# Matching runs: a run still going after MATCHING_RUN_TIME_LIMIT_SECONDS is stopped and marked
# failed; a running run whose worker gave no sign of life (it writes one every 15 seconds) for
# MATCHING_RUN_STALE_SECONDS is marked failed by the reaper (matching.tasks.fail_stalled_runs).
MATCHING_RUN_TIME_LIMIT_SECONDS = env.int("MATCHING_RUN_TIME_LIMIT_SECONDS", default=1800)
MATCHING_RUN_STALE_SECONDS = env.int("MATCHING_RUN_STALE_SECONDS", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_TIMEOUT_SECONDS,
    # Longer than the worker's one-second BRPOP poll, so an idle worker is never cut off.
    "socket_timeout": max(CELERY_BROKER_TIMEOUT_SECONDS, 2.0),
    # Tasks are acknowledged when they end (acks_late): Redis hands a message that is still
    # unacknowledged after this many seconds to another worker. It must be longer than the
    # longest task (a matching run, stopped at its time limit) and the longest retry delay
    # (600 s), or a task still running would be started a second time.
    "visibility_timeout": max(3600, MATCHING_RUN_TIME_LIMIT_SECONDS + 600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default="celerybeat-schedule")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Nightly and periodic jobs. Each app adds its entries here; tasks take ids and are idempotent.
# Evaluation exports: up to this many rows are written while the page waits, larger ones by a
# background job; the files of those jobs are removed after this many days.
EVALUATION_EXPORT_IMMEDIATE_ROWS = env.int("EVALUATION_EXPORT_IMMEDIATE_ROWS", default=5000)
EVALUATION_EXPORT_KEPT_DAYS = env.int("EVALUATION_EXPORT_KEPT_DAYS", default=7)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "expire-stale-invitations": {
        "task": "programmes.tasks.expire_stale_invitations",
        "schedule": crontab(hour=2, minute=0),
    },
    "programmes-purge-stale-peer-imports": {
        "task": "programmes.tasks.purge_stale_peer_imports",
        "schedule": crontab(hour=2, minute=15),
    },
    "users-purge-data-exports": {
        "task": "peerlearn.users.tasks.purge_data_exports",
        "schedule": crontab(hour=2, minute=45),
    },
    "programmes-apply-retention": {
        "task": "programmes.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    "evaluation-wave-schedule": {
        "task": "evaluation.tasks.run_wave_schedule",
        "schedule": env.float("EVALUATION_WAVE_SCHEDULE_SECONDS", default=0)
        or crontab(hour=6, minute=0),
    },
    "evaluation-purge-export-jobs": {
        "task": "evaluation.tasks.purge_export_jobs",
        "schedule": crontab(hour=3, minute=0),
    },
    "evaluation-indicator-snapshots": {
        "task": "evaluation.tasks.snapshot_indicators",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every minute: runs, theme proposals, export jobs, personal data downloads and emails
    # (invitations, plan notices, feedback links, comparison invitations, discussion
    # notifications, erasure requests) that could not be queued because the broker was down are
    # queued again (set-based and idempotent), and running matching runs and export jobs whose
    # worker died are marked failed.
    "matching-queue-waiting-runs": {
        "task": "matching.tasks.queue_waiting_runs",
        "schedule": 60.0,
    },
    "matching-fail-stalled-runs": {
        "task": "matching.tasks.fail_stalled_runs",
        "schedule": 60.0,
    },
    "evaluation-sweep-export-jobs": {
        "task": "evaluation.tasks.sweep_export_jobs",
        "schedule": 60.0,
    },
    "programmes-send-waiting-invitations": {
        "task": "programmes.tasks.send_waiting_invitations",
        "schedule": 60.0,
    },
    "diffusion-queue-waiting-emails": {
        "task": "diffusion.tasks.queue_waiting_emails",
        "schedule": 60.0,
    },
    "evaluation-queue-waiting-comparison-invitations": {
        "task": "evaluation.tasks.queue_waiting_comparison_invitations",
        "schedule": 60.0,
    },
    "group-life-queue-waiting-discussion-emails": {
        "task": "group_life.tasks.queue_waiting_discussion_emails",
        "schedule": 60.0,
    },
    "matching-queue-waiting-theme-proposals": {
        "task": "matching.tasks.queue_waiting_theme_proposals",
        "schedule": 60.0,
    },
    "users-queue-waiting-jobs": {
        "task": "peerlearn.users.tasks.queue_waiting_jobs",
        "schedule": 60.0,
    },
    "matching-queue-waiting-publication-emails": {
        "task": "matching.tasks.queue_waiting_publication_emails",
        "schedule": crontab(minute=20),
    },
    "matching-place-late-joiners": {
        "task": "matching.tasks.place_late_joiners_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "group-life-nudges": {
        "task": "group_life.tasks.send_group_life_nudges",
        "schedule": env.float("GROUP_LIFE_NUDGE_SECONDS", default=0) or crontab(hour=5, minute=30),
    },
    "group-life-discussion-digests": {
        "task": "group_life.tasks.send_discussion_digests",
        "schedule": env.float("DISCUSSION_DIGEST_SECONDS", default=0) or crontab(minute=5),
    },
    "diffusion-monthly-sponsor-reports": {
        "task": "diffusion.tasks.send_monthly_sponsor_reports",
        "schedule": crontab(day_of_month="1", hour=7, minute=0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "peerlearn.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", default="2000/hour")},
    # The client address for throttling: X-Forwarded-For only as far as the trusted proxies.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
# Content-Security-Policy (django-csp): everything comes from this site, nothing inline; SVG
# charts and Swagger UI's icons use data: images. Pages carry no inline script, handler or style
# attribute (tests/peerlearn/test_security_headers.py checks the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PeerLearn API",
    "DESCRIPTION": "Programmes, cohorts, matching, evaluation and diffusion of peer learning.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the pinned drf-spectacular-sidecar package, served with the static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
