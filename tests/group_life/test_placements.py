"""Embedded peer advisers: a placement with goals, check-ins and an end reflection, seen on
both organisations' sponsor pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from group_life.placements import selectors, services
from group_life.placements.models import Placement
from peerlearn.errors import ServiceError
from peerlearn.roles import Role
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory


def place(w: World) -> Placement:
    today = timezone.localdate()
    return services.create_placement(
        programme=w.programme,
        by=w.facilitator,
        peer=w.peer,
        host_organisation=w.other_organisation,
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=70),
        goals="Set up a commitment register at the Treasury.",
    )


def test_a_placement_goes_to_another_organisation(world: World) -> None:
    placement = place(world)
    assert placement.home_organisation == world.organisation
    assert placement.weeks == 11
    with pytest.raises(ServiceError, match="another"):
        services.create_placement(
            programme=world.programme,
            by=world.facilitator,
            peer=world.peer,
            host_organisation=world.organisation,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 1),
            goals="x",
        )
    with pytest.raises(ServiceError):
        services.create_placement(
            programme=world.programme,
            by=world.facilitator,
            peer=world.manager,
            host_organisation=world.other_organisation,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 1),
            goals="x",
        )


def test_check_ins_and_the_reflection_belong_to_the_adviser(world: World) -> None:
    placement = place(world)
    services.add_check_in(
        placement=placement,
        by=world.peer,
        held_on=timezone.localdate(),
        progress="Register drafted",
    )
    with pytest.raises(ServiceError):
        services.add_check_in(
            placement=placement,
            by=world.peer,
            held_on=placement.starts_on - timedelta(days=1),
            progress="Too early",
        )
    with pytest.raises(ServiceError):
        services.reflect_on_placement(placement=placement, by=world.facilitator, text="Not mine")
    services.reflect_on_placement(placement=placement, by=world.peer, text="Registers travel.")
    placement.refresh_from_db()
    assert placement.reflected_at is not None
    assert placement.check_ins.count() == 1


def test_who_sees_a_placement(world: World) -> None:
    placement = place(world)
    host_sponsor = UserFactory()
    MembershipFactory(
        user=host_sponsor,
        programme=world.programme,
        role=Role.SPONSOR,
        organisation=world.other_organisation,
    )
    for user in (world.peer, world.facilitator, world.manager, world.sponsor, host_sponsor):
        assert list(selectors.placements_for(user, world.programme)) == [placement], user
    assert not selectors.placements_for(world.peer_same_cohort, world.programme).exists()


def test_both_sponsor_pages_show_the_placement(world: World, client: Client) -> None:
    placement = place(world)
    services.reflect_on_placement(placement=placement, by=world.peer, text="Registers travel.")
    host_sponsor = UserFactory()
    MembershipFactory(
        user=host_sponsor,
        programme=world.programme,
        role=Role.SPONSOR,
        organisation=world.other_organisation,
    )
    url = reverse("diffusion:sponsor_report", args=[world.programme.pk])
    for sponsor in (world.sponsor, host_sponsor):
        client.force_login(sponsor)
        body = client.get(url).content.decode()
        assert "Embedded peer advisers sent or hosted" in body
        assert "Registers travel." in body and "National Treasury" in body


def test_a_bad_check_in_keeps_the_text(world: World, client: Client) -> None:
    placement = place(world)
    client.force_login(world.peer)
    url = reverse("group_life:placement_check_in", args=[world.programme.pk, placement.pk])
    response = client.post(url, {"held_on": "not a date", "progress": "Register drafted"})
    assert response.status_code == 400
    assert "Register drafted" in response.content.decode()
