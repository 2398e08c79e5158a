"""Tests never share state: not within a run (rate limits, cache) and not between two runs on
one machine (database file, uploads, PostgreSQL test database)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import PASSWORD
from tests.peerlearn.test_settings import run_python

TOO_MANY = "Too many failed login attempts"


@pytest.mark.django_db
def test_a_test_that_exhausts_the_login_limit(world: World, client: Client) -> None:
    url = reverse("account_login")
    for _ in range(6):
        page = client.post(url, {"login": world.peer.email, "password": "wrong"})
    assert TOO_MANY in page.content.decode()


@pytest.mark.django_db
def test_the_next_test_starts_with_no_login_limit_used(world: World, client: Client) -> None:
    """Runs after the test above (same module, file order): its failures are forgotten."""
    page = client.post(reverse("account_login"), {"login": world.peer.email, "password": PASSWORD})
    assert page.status_code == 302


def test_two_runs_get_their_own_database_file_uploads_and_postgresql_database() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['TEST']['NAME'], str(s.MEDIA_ROOT)]))"
    )
    runs = [
        json.loads(run_python(code, "peerlearn.settings.test").stdout.strip().splitlines()[-1])
        for _ in range(2)
    ]
    assert runs[0][0] != runs[1][0] and runs[0][1] != runs[1][1]
    postgres = [
        run_python(
            code, "peerlearn.settings.test", DATABASE_URL="postgres://u@127.0.0.1:5432/peerlearn"
        )
        for _ in range(2)
    ]
    names = [json.loads(p.stdout.strip().splitlines()[-1])[0] for p in postgres]
    assert names[0] != names[1] and all(name.startswith("test_peerlearn_") for name in names)
