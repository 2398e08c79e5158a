"""Failed-login limits: per client address behind the proxy, and never a way to lock out a
known person from elsewhere."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"
PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
PEER_AT_WORK = "198.51.100.7"


@pytest.fixture
def verified_peer(world: World) -> str:
    EmailAddress.objects.create(
        user=world.peer, email=world.peer.email, verified=True, primary=True
    )
    return world.peer.email


def attempt(client: Client, email: str, password: str, **meta: str) -> tuple[int, str]:
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **meta)
    return response.status_code, response.content.decode()


def test_failing_on_purpose_elsewhere_does_not_lock_out_a_known_person(verified_peer: str) -> None:
    attacker = Client()
    pages = [attempt(attacker, verified_peer, "guess", REMOTE_ADDR=ATTACKER) for _ in range(6)]
    assert TOO_MANY in pages[-1][1]
    # The attacker is stopped even with the right password...
    status, page = attempt(attacker, verified_peer, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert status == 200 and TOO_MANY in page
    # ...while the peer, from their own address, logs in.
    peer = Client()
    status, _ = attempt(peer, verified_peer, PASSWORD, REMOTE_ADDR=PEER_AT_WORK)
    assert status == 302
    assert peer.session["_auth_user_id"] == str(
        EmailAddress.objects.get(email=verified_peer).user_id
    )


def test_one_address_trying_many_accounts_is_stopped(db: None) -> None:
    sprayer = Client()
    emails = [UserFactory().email for _ in range(11)]
    pages = [attempt(sprayer, email, "Summer2026!", REMOTE_ADDR=ATTACKER)[1] for email in emails]
    assert all(TOO_MANY not in page for page in pages[:10])
    assert TOO_MANY in pages[10]
    # Another address is not affected.
    assert TOO_MANY not in attempt(Client(), emails[0], "x", REMOTE_ADDR=PEER_AT_WORK)[1]


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_limits_count_per_client_address(verified_peer: str) -> None:
    via_proxy = {"REMOTE_ADDR": PROXY}
    attacker = Client()
    for _ in range(6):
        page = attempt(attacker, verified_peer, "guess", HTTP_X_FORWARDED_FOR=ATTACKER, **via_proxy)
    assert TOO_MANY in page[1]
    # The peer comes through the same proxy, from another client address: not locked out.
    status, page_text = attempt(
        Client(), verified_peer, PASSWORD, HTTP_X_FORWARDED_FOR=PEER_AT_WORK, **via_proxy
    )
    assert status == 302, page_text
    # A client cannot choose its address: only the entry the proxy appended is trusted.
    spoofed = attempt(
        attacker,
        verified_peer,
        "guess",
        HTTP_X_FORWARDED_FOR=f"{PEER_AT_WORK}, {ATTACKER}",
        **via_proxy,
    )
    assert TOO_MANY in spoofed[1]


@override_settings(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
def test_a_header_set_by_the_proxy_can_name_the_client_address(verified_peer: str) -> None:
    for _ in range(6):
        page = attempt(Client(), verified_peer, "guess", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ATTACKER)
    assert TOO_MANY in page[1]
    status, _ = attempt(
        Client(), verified_peer, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=PEER_AT_WORK
    )
    assert status == 302


def test_environment_configures_the_trusted_proxy() -> None:
    import json

    from tests.peerlearn.test_settings import run_python

    result = run_python(
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, "
        "s.REST_FRAMEWORK['NUM_PROXIES']]))",
        "peerlearn.settings.dev",
        ALLAUTH_TRUSTED_PROXY_COUNT="1",
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [1, "X-Real-IP", 1]
    unset = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        "peerlearn.settings.dev",
    )
    assert unset.stdout.strip().splitlines()[-1] == "0 None"
