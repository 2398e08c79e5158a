"""Invitation-based sign-up: a facilitator invites by email; the link sets a password."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes import services
from programmes.models import Invitation, Membership
from tests.conftest import World
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def invite(world: World, email: str = "amina@example.org", **extra: Any) -> Invitation:
    return services.invite_person(
        programme=world.programme, invited_by=world.facilitator, email=email, **extra
    )


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"http://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_facilitator_invites_through_the_page_and_an_email_goes_out(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:invite", args=[world.programme.pk]),
            {
                "email": "Amina@Example.org",
                "full_name": "Amina H.",
                "role": Role.PEER,
                "cohort": world.cohort.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(programme=world.programme, email="amina@example.org")
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert world.programme.name in mail.outbox[0].subject
    assert "/invitations/" in mail.outbox[0].body


def test_invite_form_errors_are_shown_and_nothing_is_written(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    response = client.post(
        reverse("programmes:invite", args=[world.programme.pk]),
        {"email": "not-an-email", "role": Role.SPONSOR},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "A sponsor must belong to an organisation." in body
    assert not Invitation.objects.exists()


def test_inviting_twice_updates_and_resends(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(world)
    with django_capture_on_commit_callbacks(execute=True):
        second = invite(world, full_name="Amina Hoxha")
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2


def test_sending_is_idempotent(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(world)
    assert services.send_invitation_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_new_person_sets_a_password_and_lands_in_the_programme(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, cohort=world.cohort)
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert "Choose a password" in page.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Amina Hoxha",
            "password1": "budget-reform-2026",
            "password2": "budget-reform-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == world.programme.get_absolute_url()
    user = User.objects.get(email="amina@example.org")
    assert user.full_name == "Amina Hoxha"
    membership = Membership.objects.get(user=user, programme=world.programme)
    assert membership.role == Role.PEER and membership.cohort == world.cohort
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(world.programme.get_absolute_url()).status_code == 200
    assert client.login(email="amina@example.org", password="budget-reform-2026")


def test_bad_password_keeps_the_form_and_creates_nothing(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    url = link_in(mail.outbox[0])
    response = client.post(url, {"full_name": "Amina", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    response = client.post(url, {"full_name": "Amina", "password1": "123", "password2": "123"})
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="amina@example.org").exists()


def test_a_used_link_cannot_be_used_again(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    url = link_in(mail.outbox[0])
    client.post(
        url,
        {"full_name": "A", "password1": "budget-reform-2026", "password2": "budget-reform-2026"},
    )
    other = Client()
    response = other.post(
        url,
        {"full_name": "B", "password1": "budget-reform-2027", "password2": "budget-reform-2027"},
    )
    assert response.status_code == 302  # the account exists: log in instead
    assert reverse("account_login") in response["Location"]
    assert not other.login(email="amina@example.org", password="budget-reform-2027")


def test_tampered_and_expired_links_are_refused(
    world: World,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    url = link_in(mail.outbox[0])
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    assert client.get(tampered).status_code == 404
    assert client.get("/invitations/garbage/").status_code == 404
    forged = signing.dumps({"invitation": 999999}, salt="peerlearn.invitation")
    assert client.get(f"/invitations/{forged}/").status_code == 404
    later = time.time() + 31 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(url)
    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()


def test_existing_account_accepts_after_logging_in(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, role=Role.MANAGER)
    url = link_in(mail.outbox[0])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(person)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, role=Role.MANAGER).exists()


def test_someone_else_cannot_accept_an_invitation(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    url = link_in(mail.outbox[0])
    client.force_login(world.outsider)
    response = client.post(url)
    assert response.status_code == 410
    assert "amina@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=world.outsider, programme=world.programme).exists()


def test_stale_invitations_expire(world: World) -> None:
    invitation = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        send_requested_at=invitation.send_requested_at.replace(year=2000)
    )
    assert services.expire_stale_invitations() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


def test_login_with_email_and_rate_limit(world: World, client: Client) -> None:
    url = reverse("account_login")
    ok = client.post(url, {"login": "peer@example.org", "password": PASSWORD})
    assert ok.status_code == 302
    client.logout()
    pages = [
        client.post(url, {"login": "peer@example.org", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    blocked = client.post(url, {"login": "peer@example.org", "password": PASSWORD})
    assert blocked.status_code == 200  # the right password is refused while blocked
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
