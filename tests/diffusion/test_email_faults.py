"""Diffusion emails when the mail server or the broker misbehaves: one sponsor's refused address
never stops the others being asked, and a broker that is down fails no request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from diffusion.models import DiffusionPlan
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
