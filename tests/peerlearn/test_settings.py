"""Settings by environment: zero-setup defaults, and a production configuration that is clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_python(code: str, settings: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_nothing_set_dev_uses_sqlite_console_email_and_jobs_on_a_broker_in_files(
    tmp_path: Path,
) -> None:
    """``make run``: no service to install, and the jobs run in a worker as in production."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.EMAIL_BACKEND, s.DEBUG, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'], "
        "s.CELERY_BEAT_SCHEDULE['evaluation-wave-schedule']['schedule']]))"
    )
    run_dir = tmp_path / "run"
    result = run_python(code, "peerlearn.settings.dev", PEERLEARN_RUN_DIR=str(run_dir))
    assert result.returncode == 0, result.stderr
    engine, eager, email, debug, broker, cache, waves = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert engine == "django.db.backends.sqlite3"
    assert eager is False and broker == "filesystem://"
    assert (run_dir / "broker" / "queue").is_dir()
    assert cache == "django.core.cache.backends.filebased.FileBasedCache"
    assert waves == 60
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert debug is True


def test_dev_with_redis_uses_it_for_jobs_and_cache(tmp_path: Path) -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND']]))"
    )
    result = run_python(
        code,
        "peerlearn.settings.dev",
        REDIS_URL="redis://cache.internal:6379/0",
        PEERLEARN_RUN_DIR=str(tmp_path / "run"),
    )
    assert result.returncode == 0, result.stderr
    broker, cache = json.loads(result.stdout.strip().splitlines()[-1])
    assert broker == "redis://cache.internal:6379/0"
    assert cache == "peerlearn.cache.ResilientRedisCache"
    assert not (tmp_path / "run").exists()


def test_environment_variables_configure_database_broker_and_email() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.EMAIL_HOST, "
        "s.ALLOWED_HOSTS]))"
    )
    result = run_python(
        code,
        "peerlearn.settings.prod",
        DATABASE_URL="postgres://u:p@db.internal:5432/peerlearn",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp://mailer:secret@smtp.internal:587",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="peerlearn.example.org",
    )
    assert result.returncode == 0, result.stderr
    engine, name, broker, eager, email, host, hosts = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert engine == "django.db.backends.postgresql"
    assert name == "peerlearn"
    assert broker == "redis://cache.internal:6379/0"
    assert eager is False
    assert email == "django.core.mail.backends.smtp.EmailBackend"
    assert host == "smtp.internal"
    assert hosts == ["peerlearn.example.org"]


def test_production_check_deploy_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in CONFIG_VARS},
            "DJANGO_SETTINGS_MODULE": "peerlearn.settings.prod",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "peerlearn.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_python(
        "import django; django.setup()", "peerlearn.settings.prod", ALLOWED_HOSTS="x.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
