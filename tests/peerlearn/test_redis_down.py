"""With ``REDIS_URL`` set and Redis down, pages that do not need Redis keep working.

The cache is configured as in production (``base.py`` with ``REDIS_URL``), pointed at a port where
nothing listens. Login (allauth's rate limit), the API (DRF throttling) and the dashboard (cached
figures) all use the cache.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World
from tests.factories import PASSWORD
from tests.servicekit import RedisServer, free_port, need_service, wait_for_port

pytestmark = pytest.mark.django_db


def redis_caches(url: str, retry_seconds: float = 10) -> dict[str, dict[str, object]]:
    return {
        "default": {
            "BACKEND": "peerlearn.cache.ResilientRedisCache",
            "LOCATION": url,
            "RETRY_SECONDS": retry_seconds,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def redis_down() -> Iterator[str]:
    url = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(CACHES=redis_caches(url)):
        yield url
        cache.clear()


def test_production_settings_use_the_resilient_backend_with_short_timeouts() -> None:
    from tests.peerlearn.test_settings import run_python

    result = run_python(
        "import json, django; django.setup(); from django.conf import settings as s; "
        "c = s.CACHES['default']; print(json.dumps([c['BACKEND'], c['LOCATION'], c['OPTIONS']]))",
        "peerlearn.settings.prod",
        REDIS_URL="redis://cache.internal:6379/0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="peerlearn.example.org",
    )
    assert result.returncode == 0, result.stderr
    backend, location, options = json.loads(result.stdout.strip().splitlines()[-1])
    assert backend == "peerlearn.cache.ResilientRedisCache"
    assert location == "redis://cache.internal:6379/0"
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 5


def test_login_answers_and_is_logged_when_redis_is_down(
    world: World, client: Client, redis_down: str, caplog: pytest.LogCaptureFixture
) -> None:
    EmailAddress.objects.create(
        user=world.peer, email=world.peer.email, verified=True, primary=True
    )
    with caplog.at_level(logging.WARNING, logger="peerlearn.cache"):
        response = client.post(
            reverse("account_login"), {"login": "peer@example.org", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.peer.pk)
    warnings = [r.getMessage() for r in caplog.records if r.name == "peerlearn.cache"]
    assert len(warnings) == 1, warnings  # logged once per outage, not once per call
    assert "unreachable" in warnings[0]


def test_failed_logins_are_still_limited_when_redis_is_down(
    world: World, client: Client, redis_down: str
) -> None:
    url = reverse("account_login")
    pages = [
        client.post(url, {"login": "peer@example.org", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]


def test_api_answers_when_redis_is_down(world: World, client: Client, redis_down: str) -> None:
    client.force_login(world.facilitator)
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == world.facilitator.email
    programmes = client.get("/api/v1/programmes/")
    assert programmes.status_code == 200


def test_dashboard_answers_when_redis_is_down(
    world: World, client: Client, redis_down: str
) -> None:
    client.force_login(world.manager)
    url = reverse("evaluation:dashboard", args=[world.programme.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).status_code == 200


@pytest.mark.service
def test_the_cache_returns_to_redis_when_it_answers_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        need_service("redis-server is not installed (apt-get install -y redis-server)")
    assert binary is not None
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    caplog.set_level(logging.WARNING, logger="peerlearn.cache")
    with override_settings(CACHES=redis_caches(url, retry_seconds=0)):
        cache.set("figure", "from memory")
        assert cache.get("figure") == "from memory"  # answered by the fallback
        # Each call tried Redis again (no wait between tries here), and it was said once.
        assert [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(caplog.records) == 1
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            if not wait_for_port(port):
                need_service("redis-server did not start")
            assert cache.get("figure") is None  # Redis again: the memory copy is not used
            cache.set("figure", "from redis")
            assert cache.add("lock", True) is True
            assert cache.add("lock", True) is False
            assert cache.get("figure") == "from redis"
            assert "answers again" in caplog.records[-1].getMessage()
            assert len(caplog.records) == 2
            probe = subprocess.run(
                [shutil.which("redis-cli") or "redis-cli", "-p", str(port), "dbsize"],
                capture_output=True,
                text=True,
            )
            assert probe.stdout.strip() == "2"
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.service
def test_the_cache_uses_a_running_redis(redis_server: RedisServer) -> None:
    with override_settings(CACHES=redis_caches(redis_server.url)):
        cache.set("answer", 42)
        assert cache.get("answer") == 42
        assert cache.incr("answer") == 43
        assert cache.get_many(["answer", "missing"]) == {"answer": 43}
        cache.delete("answer")
        assert cache.get("answer") is None


def test_queueing_a_task_gives_up_when_the_broker_does_not_answer() -> None:
    """A broker that accepts the connection and never answers (a hung Redis, a dropped route):
    with no timeouts the web request would wait for ever; here the publish fails with an error
    the caller can handle."""
    from tests.peerlearn.test_settings import run_python

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        result = run_python(
            "import django; django.setup()\n"
            "from kombu.exceptions import OperationalError\n"
            "from peerlearn.celery import app\n"
            "try:\n"
            "    app.send_task('programmes.tasks.send_invitation_email', args=[0])\n"
            "except OperationalError as error:\n"
            "    print('refused:', error)\n",
            "peerlearn.settings.dev",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/1",
        )
    assert result.returncode == 0, result.stderr
    assert "refused:" in result.stdout
