"""Plain words for people: country names in their language, every reason a password is refused,
an invitation that points a new peer to the intake, and the demo's logins all printed."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.countries import country_name
from programmes import selectors, services
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_country_names_in_the_active_language() -> None:
    assert country_name("GH") == "Ghana"
    assert country_name("ge") == "Georgia"
    with translation.override("fr"):
        assert country_name("GE") == "Géorgie"
        assert country_name("CI") == "Côte d'Ivoire"
        assert country_name("KR") == "Corée du Sud"
    assert country_name("XX") == "XX"
    assert country_name("") == ""


def test_organisations_are_shown_with_country_names_not_codes(world: World, client: Client) -> None:
    assert str(world.organisation) == "Ministry of Finance (Ghana)"
    client.force_login(world.facilitator)
    html = client.get(reverse("programmes:organisations", args=[world.programme.pk])).content
    assert "<td>Kenya</td>" in html.decode() and "<td>KE</td>" not in html.decode()
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("programmes:organisations", args=[world.programme.pk])).content
    assert '<html lang="fr"' in html.decode() and "<td>Kenya</td>" in html.decode()


def _join(client: Client, world: World, password: str, again: str) -> str:
    invitation = services.invite_person(
        programme=world.programme,
        invited_by=world.facilitator,
        email="nadia@example.org",
        cohort=world.cohort,
    )
    url = reverse("invitation_accept", args=[selectors.invitation_token(invitation)])
    response = client.post(
        url, {"full_name": "Nadia Rusu", "password1": password, "password2": again}
    )
    return str(response.content.decode())


def test_a_weak_password_gets_the_validators_reasons_even_when_the_copies_differ(
    world: World, client: Client
) -> None:
    html = _join(client, world, "password", "passw0rd")
    assert "This password is too common." in html
    assert "The two passwords differ." in html
    html = _join(client, world, "12345678", "12345678")
    assert "This password is entirely numeric." in html


def test_the_invitation_points_a_new_peer_to_the_intake(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(
            programme=world.programme,
            invited_by=world.facilitator,
            email="peer.new@example.org",
            cohort=world.cohort,
        )
        services.invite_person(
            programme=world.programme,
            invited_by=world.facilitator,
            email="manager.new@example.org",
            role="manager",
        )
    peer_mail, manager_mail = mail.outbox[-2:]
    assert "Your first step is the intake survey" in peer_mail.body
    assert "Your first step is the intake survey" in peer_mail.alternatives[0][0]
    assert "intake survey" not in manager_mail.body


def test_load_demo_prints_every_login() -> None:
    out = StringIO()
    call_command("load_demo", peers=6, stdout=out)
    text = out.getvalue()
    for role in ("facilitator", "manager", "sponsor"):
        assert f"{role}@demo.peerlearn.org" in text
    assert re.search(r"peer01@demo\.peerlearn\.org … peer06@demo\.peerlearn\.org", text), text
