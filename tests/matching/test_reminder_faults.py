"""Intake reminders when the mail server or the broker misbehaves: one refused address never
stops the other peers' reminders, and a broker that is down is said, not a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from matching import services
from matching.models import IntakeResponse
from tests.conftest import World
from tests.mailfaults import RefusingBackend
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing(world: World) -> Iterator[None]:
    RefusingBackend.refused = {world.peer.email}
    with override_settings(EMAIL_BACKEND="tests.mailfaults.RefusingBackend"):
        yield
    RefusingBackend.refused = set()


@pytest.mark.usefixtures("refusing")
def test_a_refused_address_does_not_stop_the_other_reminders(world: World) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    assert services.send_intake_reminders(survey_id=survey.pk) == 1
    assert [m.to for m in mail.outbox] == [[world.peer_same_cohort.email]]
    reminded = IntakeResponse.objects.filter(survey=survey, reminded_at__isnull=False)
    assert [r.user for r in reminded] == [world.peer_same_cohort]


def test_reminders_asked_for_while_the_broker_is_down_say_so(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    url = reverse("matching:reminders", args=[world.programme.pk, world.cohort.pk])
    with broker_unreachable():
        response = client.post(url)
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("background service cannot be reached" in text for text in texts), texts
    assert mail.outbox == []
