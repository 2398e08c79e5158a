"""docker-compose.yml, Makefile and CI script: no Docker engine runs here, so check structure."""

from pathlib import Path

import yaml
from celery.schedules import crontab
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services_with_healthchecks() -> None:
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
        assert services[name]["healthcheck"]["test"], name


def test_compose_web_migrates_then_serves_with_gunicorn_and_others_run_celery() -> None:
    services = compose()["services"]
    web = services["web"]["command"]
    assert web.index("migrate") < web.index("gunicorn")
    assert "peerlearn.wsgi" in web
    assert services["worker"]["command"].startswith("celery -A peerlearn worker")
    assert services["beat"]["command"].startswith("celery -A peerlearn beat")
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_app_services_share_configuration_from_the_environment() -> None:
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "peerlearn.settings.prod"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        for var in ("SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"):
            assert var in env, (name, var)
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_beat_schedule_names_registered_tasks() -> None:
    from peerlearn.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert isinstance(entry["schedule"], crontab | float | int), name


def test_makefile_and_ci_script_provide_the_two_commands() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "worker:", "beat:"):
        assert f"\n{target}" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "CI=true" in ci
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < 800 and readme.index("make test") < 800
