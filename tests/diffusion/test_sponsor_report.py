"""The sponsor's progress report: their organisation only, what peers allowed, monthly email
sent once per sponsor and month, unsubscribe honoured."""

from __future__ import annotations

import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse

from diffusion import services, tasks
from diffusion.models import SponsorReportDelivery
from peerlearn.roles import Role
from programmes.models import Membership
from tests.conftest import World
from tests.diffusion.factories import PilotFactory, ReportBackFactory


def _data(world: World) -> None:
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer,
        organisation=world.organisation,
        title="Shared openly",
        lessons="Sweep balances daily",
        lessons_visible_to_sponsor=True,
    )
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer_other_cohort,
        organisation=world.organisation,
        title="Kept to myself",
        lessons="My private doubts",
        lessons_visible_to_sponsor=False,
    )
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer_other_organisation,
        organisation=world.other_organisation,
        title="Elsewhere",
    )
    PilotFactory(programme=world.programme, lead=world.peer, organisation=world.organisation)


def test_the_sponsor_page_shows_their_organisation_and_only_what_peers_allowed(
    world: World, client: Client
) -> None:
    _data(world)
    client.force_login(world.sponsor)
    page = client.get(reverse("diffusion:sponsor_report", args=[world.programme.pk]))
    text = page.content.decode()
    assert "Shared openly" in text and "Sweep balances daily" in text
    assert "Kept to myself" in text and "My private doubts" not in text
    assert "Elsewhere" not in text and world.peer_other_organisation.full_name not in text
    other = client.get(
        reverse("diffusion:sponsor_report", args=[world.programme.pk])
        + f"?organisation={world.other_organisation.pk}"
    )
    assert other.status_code == 404


def test_monthly_email_is_sent_once_per_sponsor_and_month(world: World) -> None:
    _data(world)
    sent = tasks.send_monthly_sponsor_reports.delay().get()
    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.sponsor.email]
    assert "Shared openly" in message.body and "Sweep balances daily" in message.body
    assert "My private doubts" not in message.body and "Elsewhere" not in message.body
    assert "/diffusion/sponsor-reports/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    # again this month: nothing is due, and a direct resend is a no-op
    assert tasks.send_monthly_sponsor_reports.delay().get() == 0
    membership = Membership.objects.get(user=world.sponsor, role=Role.SPONSOR)
    month = datetime.date.today().replace(day=1)
    assert services.send_sponsor_report(membership_id=membership.pk, month=month) is False
    assert len(mail.outbox) == 1
    assert SponsorReportDelivery.objects.filter(membership=membership).count() == 1
    # next month it goes again
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    assert services.send_sponsor_report(membership_id=membership.pk, month=next_month) is True


def test_unsubscribe_link_is_honoured(world: World, client: Client) -> None:
    membership = Membership.objects.get(user=world.sponsor, role=Role.SPONSOR)
    url = reverse("diffusion:sponsor_unsubscribe", args=[services.unsubscribe_token(membership)])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert tasks.send_monthly_sponsor_reports.delay().get() == 0
    assert (
        services.send_sponsor_report(membership_id=membership.pk, month=datetime.date.today())
        is False
    )
    assert not mail.outbox
    # the sponsor can subscribe again from the report page
    client.force_login(world.sponsor)
    client.post(
        reverse("diffusion:sponsor_subscription", args=[world.programme.pk]),
        {"membership": membership.pk, "subscribed": "1"},
    )
    assert tasks.send_monthly_sponsor_reports.delay().get() == 1
    assert len(mail.outbox) == 1
