"""A comparison group of non-participants, invited by email, answering without an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from evaluation import indicators
from evaluation.models import ComparisonInvitee
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_wave(world: World):  # type: ignore[no-untyped-def]
    return WaveFactory(programme=world.programme, instrument=builtin("peer-contact"))


def test_bad_lines_are_all_named_and_nobody_is_invited(
    world: World, client: Client, contact_wave
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.facilitator)
    reply = client.post(
        reverse("evaluation:wave", args=[contact_wave.pk]),
        {"emails": "ana@example.org\nnot an email\nana@example.org\npeer@example.org"},
    )
    assert reply.status_code == 400
    assert "Line 2" in reply.text and "is not an email address" in reply.text
    assert "Line 3" in reply.text and "listed twice" in reply.text
    assert "peer@example.org is a peer of this programme" in reply.text
    assert "not an email" in reply.text  # what was typed is kept
    assert not ComparisonInvitee.objects.exists()
    assert not mail.outbox


def test_invitees_answer_once_and_the_dashboard_compares(
    world: World,
    client: Client,
    contact_wave,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:wave", args=[contact_wave.pk]),
            {"emails": "Ana Colleague <ana@example.org>\nbo@example.org"},
        )
    assert ComparisonInvitee.objects.count() == 2
    assert len(mail.outbox) == 2
    client.logout()
    # Ana's email carries her link (its signature holds the time it was made).
    to_ana = next(message for message in mail.outbox if message.to == ["ana@example.org"])
    found = re.search(r"/evaluation/comparison/([^/\s]+)/", to_ana.body)
    assert found is not None
    url = reverse("evaluation:comparison", args=[found.group(1)])
    page = client.get(url)
    assert "What does" in page.text
    assert "Which peers in this programme" not in page.text
    bad = client.post(url, {"item-peer_meaning": "Someone facing the same problems"})
    assert bad.status_code == 400
    assert "Please answer this question." in bad.text
    assert "Someone facing the same problems" in bad.text
    data = {
        "item-peer_meaning": "Someone in a similar position",
        "item-contact_3_months": "yes",
        "item-same_organisation": "yes",
    }
    assert client.post(url, data).status_code == 200
    again = client.post(url, data | {"item-same_organisation": "no"})
    assert again.status_code == 409  # answered once: the link accepts nothing more
    assert "already been answered" in again.text
    invitee = ComparisonInvitee.objects.get(email="ana@example.org")
    assert invitee.answers["same_organisation"]["choice"] == "yes"
    answer_wave(
        contact_wave,
        world.peer,
        {
            "peer_meaning": "Facing similar challenges",
            "contact_3_months": "yes",
            "same_organisation": "no",
        },
    )
    table = indicators.dashboard(world.programme).comparison
    same_org = next(row for row in table if row["question"].startswith("Is this peer"))
    assert (same_org["participants"], same_org["comparison"]) == (1, 1)
    client.force_login(world.manager)
    dashboard = client.get(reverse("evaluation:dashboard", args=[world.programme.pk])).text
    assert "Participants and comparison group" in dashboard
    assert "Someone in a similar position" not in dashboard


def test_invitees_added_while_the_broker_is_down_are_kept_without_a_server_error(
    world: World,
    client: Client,
    contact_wave,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tests.servicekit import broker_unreachable

    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            reverse("evaluation:wave", args=[contact_wave.pk]),
            {"emails": "ana@example.org\nbo@example.org"},
        )
    assert reply.status_code == 302
    assert ComparisonInvitee.objects.count() == 2


def test_invitations_the_broker_could_not_take_are_sent_once_it_is_back(
    world: World,
    client: Client,
    contact_wave,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.services import waves
    from tests.servicekit import broker_unreachable

    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:wave", args=[contact_wave.pk]),
            {"emails": "ana@example.org\nbo@example.org"},
        )
    assert mail.outbox == []
    assert ComparisonInvitee.objects.filter(sent_at=None, dispatched_at=None).count() == 2

    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert waves.queue_waiting_comparison_invitations(now=later) == 0
    assert waves.queue_waiting_comparison_invitations(now=later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bo@example.org"]
    assert not ComparisonInvitee.objects.filter(sent_at=None).exists()
    # Idempotent: a later sweep, or a message delivered late, sends nothing more.
    assert waves.queue_waiting_comparison_invitations(now=later + timedelta(hours=1)) == 0
    invitee = ComparisonInvitee.objects.first()
    assert invitee is not None
    assert waves.send_comparison_email(invitee_id=invitee.pk) is False
    assert len(mail.outbox) == 2


def test_invitations_of_a_closed_survey_are_not_sent_late(
    world: World,
    client: Client,
    contact_wave,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from evaluation.models import Wave
    from evaluation.services import waves
    from tests.servicekit import broker_unreachable

    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:wave", args=[contact_wave.pk]),
            {"emails": "ana@example.org"},
        )
    Wave.objects.filter(pk=contact_wave.pk).update(status=Wave.Status.CLOSED)
    later = timezone.now() + timedelta(minutes=2)
    assert waves.queue_waiting_comparison_invitations(now=later) == 0
    assert mail.outbox == []
