"""Diffusion emails when the mail server or the broker misbehaves: one sponsor's refused address
never stops the others being asked, a broker that is down fails no request, and what it could
not take is sent once it is back, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from diffusion import emails, services
from diffusion.models import DiffusionPlan, PlanNotice, Recipient
from peerlearn.roles import Role
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.mailfaults import RefusingBackend
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing(world: World) -> Iterator[None]:
    RefusingBackend.refused = {world.sponsor.email}
    with override_settings(EMAIL_BACKEND="tests.mailfaults.RefusingBackend"):
        yield
    RefusingBackend.refused = set()


@pytest.mark.usefixtures("refusing")
def test_a_refused_sponsor_address_does_not_stop_the_other_sponsors_being_asked(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    second = UserFactory(email="deputy.sponsor@example.org")
    MembershipFactory(
        user=second, programme=world.programme, role=Role.SPONSOR, organisation=world.organisation
    )
    client.force_login(world.peer)
    url = reverse("diffusion:plan_edit", args=[world.programme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"goal": "Share the template", "propose": "on"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert DiffusionPlan.objects.get().sponsor_notified_at is not None


def test_a_plan_proposed_while_the_broker_is_down_is_saved_without_a_server_error(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.peer)
    url = reverse("diffusion:plan_edit", args=[world.programme.pk])
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"goal": "Share the template", "propose": "on"})
    assert response.status_code == 302
    assert DiffusionPlan.objects.get().status == DiffusionPlan.Status.PROPOSED


def _later(minutes: float) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


def test_a_plan_proposed_while_the_broker_is_down_reaches_the_sponsor_once_it_is_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.peer)
    url = reverse("diffusion:plan_edit", args=[world.programme.pk])
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"goal": "Share the template", "propose": "on"})
    assert mail.outbox == []
    notice = PlanNotice.objects.get()
    assert notice.sponsor.user == world.sponsor
    assert notice.sent_at is None and notice.dispatched_at is None

    with broker_unreachable():  # still down: nothing is lost, the next sweep tries again
        assert services.queue_waiting_emails(now=_later(2))["plan_notices"] == 0
    assert services.queue_waiting_emails(now=_later(2))["plan_notices"] == 1
    assert [m.to for m in mail.outbox] == [[world.sponsor.email]]
    notice.refresh_from_db()
    assert notice.sent_at is not None
    # Nothing waits any more: later sweeps, and the message delivered late, send nothing.
    assert services.queue_waiting_emails(now=_later(90)) == {"plan_notices": 0, "feedback_links": 0}
    assert emails.send_plan_notice(notice_id=notice.pk) is False
    assert len(mail.outbox) == 1


def test_a_notice_of_a_plan_no_longer_waiting_is_not_sent(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.peer)
    url = reverse("diffusion:plan_edit", args=[world.programme.pk])
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"goal": "Share the template", "propose": "on"})
    DiffusionPlan.objects.update(status=DiffusionPlan.Status.DRAFT)
    assert services.queue_waiting_emails(now=_later(2))["plan_notices"] == 0
    assert emails.send_plan_notice(notice_id=PlanNotice.objects.get().pk) is False
    assert mail.outbox == []


def test_feedback_links_named_while_the_broker_is_down_go_out_once_it_is_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.peer)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("diffusion:report_back_create", args=[world.programme.pk]),
            {
                "title": "Commitment controls back home",
                "held_on": "2026-05-04",
                "audience": "Cash team",
                "audience_size": 5,
                "level": "unit",
                "attendee_emails": "ama@home.example.org\nkofi@home.example.org",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mail.outbox == []
    waiting = Recipient.objects.filter(link_sent_at__isnull=True, dispatched_at__isnull=True)
    assert waiting.count() == 2

    # Not before the grace period: the request's own hand-over may still be on its way.
    assert services.queue_waiting_emails(now=_later(0.5))["feedback_links"] == 0
    with broker_unreachable():
        assert services.queue_waiting_emails(now=_later(2))["feedback_links"] == 0
    assert services.queue_waiting_emails(now=_later(2))["feedback_links"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ama@home.example.org", "kofi@home.example.org"]
    assert not Recipient.objects.filter(link_sent_at__isnull=True).exists()
    assert services.queue_waiting_emails(now=_later(90))["feedback_links"] == 0
    assert len(mail.outbox) == 2


def test_a_link_the_broker_took_but_never_delivered_is_handed_over_again_for_a_while(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        services.log_report_back(
            programme=world.programme,
            peer=world.peer,
            title="Commitment controls back home",
            held_on=date(2026, 5, 4),
            audience="Cash team",
            audience_size=5,
            level="unit",
            attendee_emails=["ama@home.example.org"],
        )
    now = timezone.now()
    Recipient.objects.update(dispatched_at=now)  # taken by the broker, then lost
    assert services.queue_waiting_emails(now=now + timedelta(minutes=5))["feedback_links"] == 0
    # A link asked for days ago that never went out is not tried for ever.
    assert services.queue_waiting_emails(now=now + timedelta(days=3))["feedback_links"] == 0
    assert mail.outbox == []
    assert services.queue_waiting_emails(now=now + timedelta(hours=1))["feedback_links"] == 1
    assert [m.to for m in mail.outbox] == [["ama@home.example.org"]]
