"""Invitation emails when the broker or the mail server misbehaves: nothing is lost, the
facilitator sees what was not sent and why, and one failure never stops the others."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from peerlearn.roles import Role
from programmes import services
from programmes.models import Invitation
from tests.conftest import World
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.org"


class RefusingBackend(EmailBackend):
    """The mail server refuses one address for good (550) and takes the others."""

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user here")})
        return super().send_messages(messages)


class UnreachableBackend(BaseEmailBackend):
    """The mail server does not answer."""

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError(111, "Connection refused")


def _programme_page(world: World, client: Client) -> str:
    client.force_login(world.facilitator)
    return client.get(reverse("programmes:overview", args=[world.programme.pk])).content.decode()


def test_an_invitation_made_while_the_broker_is_down_is_sent_when_it_is_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:invite", args=[world.programme.pk]),
            {"email": "amina@example.org", "role": Role.PEER},
            follow=True,
        )
    assert response.status_code == 200
    assert "not sent yet" in response.content.decode()
    invitation = Invitation.objects.get(email="amina@example.org")
    assert invitation.sending_state == "waiting" and invitation.dispatched_at is None
    assert mail.outbox == []
    assert "Not sent yet" in _programme_page(world, client)

    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert services.send_waiting_invitations(now=later) == 0
    assert services.send_waiting_invitations(now=later) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.sending_state == "sent"
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    # Set-based and idempotent: nothing waits any more, nothing is sent twice.
    assert services.send_waiting_invitations(now=later + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_an_invitation_the_broker_took_but_never_delivered_is_handed_over_again(
    world: World,
) -> None:
    invitation = services.invite_person(
        programme=world.programme, invited_by=world.facilitator, email="lost@example.org"
    )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(dispatched_at=now)
    assert services.send_waiting_invitations(now=now + timedelta(minutes=5)) == 0
    assert services.send_waiting_invitations(now=now + timedelta(hours=1)) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


@override_settings(EMAIL_BACKEND="tests.programmes.test_invitation_sending.RefusingBackend")
def test_a_refused_address_is_shown_to_the_facilitator_and_the_others_still_go_out(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    addresses = ["first@example.org", REFUSED, "third@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        for email in addresses:  # one request, as a peer import does
            services.invite_person(
                programme=world.programme, invited_by=world.facilitator, email=email
            )
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "third@example.org"]
    refused = Invitation.objects.get(email=REFUSED)
    assert refused.sending_state == "failed"
    assert "refused the address" in refused.send_error and "550" in refused.send_error
    page = _programme_page(world, client)
    assert "Sending failed: the mail server refused the address" in page
    assert reverse("programmes:invitation_resend", args=[world.programme.pk, refused.pk]) in page
    # The sweep does not hammer an address the server refused: the facilitator decides.
    assert services.send_waiting_invitations(now=timezone.now() + timedelta(hours=2)) == 0


@override_settings(EMAIL_BACKEND="tests.programmes.test_invitation_sending.UnreachableBackend")
def test_a_mail_server_that_is_down_is_tried_again_and_then_shown(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_person(
            programme=world.programme, invited_by=world.facilitator, email="amina@example.org"
        )
    invitation.refresh_from_db()
    assert invitation.sending_state == "failed"
    assert "could not be reached" in invitation.send_error
    assert "tried again automatically" in invitation.send_error
    assert "Sending failed: the mail server could not be reached" in _programme_page(world, client)


def test_sending_again_after_a_failure_clears_the_reason_and_sends(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        override_settings(EMAIL_BACKEND="tests.programmes.test_invitation_sending.RefusingBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation = services.invite_person(
            programme=world.programme, invited_by=world.facilitator, email=REFUSED
        )
    invitation.refresh_from_db()
    assert invitation.send_error
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:invitation_resend", args=[world.programme.pk, invitation.pk])
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.send_error == "" and invitation.sending_state == "sent"
    assert [m.to for m in mail.outbox] == [[REFUSED]]


def test_a_title_with_line_breaks_never_breaks_the_subject(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.programme.name = "Budget\r\nBcc: everyone@example.org\u2028Reform"
    world.programme.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_person(
            programme=world.programme, invited_by=world.facilitator, email="amina@example.org"
        )
    invitation.refresh_from_db()
    assert invitation.sending_state == "sent", invitation.send_error
    assert mail.outbox[0].subject == (
        "[PeerLearn] You are invited to Budget Bcc: everyone@example.org Reform on PeerLearn"
    )
    message = mail.outbox[0].message()
    assert message["Bcc"] is None
    assert "\r" not in str(message["Subject"]).replace("\r\n ", "")
