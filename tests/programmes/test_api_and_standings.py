"""The stage-one API is scoped like the pages; where each peer stands, including intake."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programmes import selectors
from programmes.models import Activity, Attendance, Contact, Membership
from tests.conftest import World

from .factories import ActivityFactory, ContactFactory

pytestmark = pytest.mark.django_db


def ids(client: Client, name: str) -> set[int]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return {item["id"] for item in response.json()["results"]}


def peer_membership(world: World, user: object) -> Membership:
    return Membership.objects.get(user=user, programme=world.programme, role="peer")


def test_enrolments_are_scoped_by_role(client: Client, world: World) -> None:
    everyone = set(
        Membership.objects.filter(programme=world.programme).values_list("pk", flat=True)
    )
    client.force_login(world.facilitator)
    assert ids(client, "enrolment-list") == everyone
    client.force_login(world.sponsor)
    sponsor_sees = {m.user for m in Membership.objects.filter(pk__in=ids(client, "enrolment-list"))}
    assert world.peer in sponsor_sees and world.peer_other_cohort in sponsor_sees
    assert world.peer_same_cohort not in sponsor_sees  # another organisation
    client.force_login(world.outsider)
    assert not ids(client, "enrolment-list") & everyone


def test_organisations_activities_and_contacts_are_scoped(client: Client, world: World) -> None:
    whole = ActivityFactory(programme=world.programme)
    other_cohort = ActivityFactory(programme=world.programme, cohort=world.other_cohort)
    elsewhere = ActivityFactory(programme=world.other_programme)
    own = ContactFactory(
        programme=world.programme, logged_by=world.peer, with_user=world.peer_same_cohort
    )
    ContactFactory(
        programme=world.programme,
        logged_by=world.peer_other_cohort,
        with_user=world.peer_other_organisation,
    )
    client.force_login(world.peer)
    assert ids(client, "activity-list") == {whole.pk}
    assert ids(client, "contact-list") == {own.pk}
    client.force_login(world.facilitator)
    assert ids(client, "activity-list") == {whole.pk, other_cohort.pk}
    assert len(ids(client, "contact-list")) == 2
    client.force_login(world.sponsor)
    assert ids(client, "organisation-list") == {world.organisation.pk}
    client.force_login(world.outsider)
    assert ids(client, "activity-list") == {elsewhere.pk}
    assert not ids(client, "contact-list")


def test_api_refuses_bad_input_in_plain_words(client: Client, world: World) -> None:
    client.force_login(world.facilitator)
    response = client.post(
        reverse("activity-list"),
        {
            "programme": world.programme.pk,
            "kind": "plenary",
            "title": "Backwards",
            "starts_at": "2026-03-02T10:00:00Z",
            "ends_at": "2026-03-02T09:00:00Z",
            "reciprocal": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
    assert not Activity.objects.exists()
    activity = ActivityFactory(programme=world.programme)
    response = client.post(
        reverse("attendance-list"),
        {"activity": activity.pk, "membership": peer_membership(world, world.peer).pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    again = client.post(
        reverse("attendance-list"),
        {
            "activity": activity.pk,
            "membership": peer_membership(world, world.peer).pk,
            "present": False,
        },
        content_type="application/json",
    )
    assert again.status_code == 201
    assert Attendance.objects.get().present is False  # posted again: updated, not duplicated
    client.force_login(world.peer)
    response = client.post(
        reverse("contact-list"),
        {
            "programme": world.programme.pk,
            "with_user": world.outsider.pk,
            "occurred_on": "2026-01-10",
            "channel": "call",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "not someone you can log a contact with" in response.content.decode()
    assert not Contact.objects.exists()


def test_standings_follow_invitation_join_intake_and_contract(world: World) -> None:
    world.programme.invitations.create(email="invited@example.org", role="peer")
    standings = {s.email: s for s in selectors.peer_standings(world.facilitator, world.programme)}
    assert standings["invited@example.org"].status == "invited"
    assert standings[world.peer.email].status == "joined"
    survey_model = apps.get_model("matching", "IntakeSurvey")
    response_model = apps.get_model("matching", "IntakeResponse")
    survey = survey_model.objects.create(cohort=world.cohort)
    response_model.objects.create(survey=survey, user=world.peer, submitted_at=timezone.now())
    response_model.objects.create(survey=survey, user=world.peer_same_cohort)  # a draft only
    standings = {s.email: s for s in selectors.peer_standings(world.facilitator, world.programme)}
    assert standings[world.peer.email].status == "intake"
    assert standings[world.peer_same_cohort.email].status == "joined"
    from programmes import services

    services.sign_contract(membership=peer_membership(world, world.peer), signed_name="Pat")
    standings = {s.email: s for s in selectors.peer_standings(world.facilitator, world.programme)}
    assert standings[world.peer.email].status == "contract"
    assert standings[world.peer.email].intake_done
    # A sponsor's view holds only their organisation's peers; a peer's view holds nobody.
    sponsor_view = {s.email for s in selectors.peer_standings(world.sponsor, world.programme)}
    assert sponsor_view == {world.peer.email, world.peer_other_cohort.email}
    assert selectors.peer_standings(world.peer, world.programme) == []


def test_the_api_shows_email_addresses_only_to_whom_the_pages_show_them(
    client: Client, world: World
) -> None:
    def emails(user: object, name: str = "enrolment-list", *args: object) -> dict[object, object]:
        client.force_login(user)  # type: ignore[arg-type]
        rows = client.get(reverse(name, args=args)).json()["results"]
        by_id = {row["id"]: row["email"] for row in rows}
        memberships = Membership.objects.filter(pk__in=by_id).select_related("user")
        return {m.user: by_id[m.pk] for m in memberships}

    seen_by_peer = emails(world.peer)
    assert seen_by_peer[world.peer] == world.peer.email
    assert seen_by_peer[world.peer_same_cohort] is None
    # The programme's staff are reachable by everyone in it.
    assert seen_by_peer[world.facilitator] == world.facilitator.email
    members = emails(world.peer, "programme-members", world.programme.pk)
    assert members[world.peer_same_cohort] is None
    seen_by_sponsor = emails(world.sponsor)
    assert seen_by_sponsor[world.peer_other_cohort] == world.peer_other_cohort.email
    assert seen_by_sponsor[world.facilitator] == world.facilitator.email
    seen_by_facilitator = emails(world.facilitator)
    assert seen_by_facilitator[world.peer_same_cohort] == world.peer_same_cohort.email
