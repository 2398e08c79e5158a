"""Contacts only with contact partners, activities only with the programme's organisations,
attendance only for the activity's attendees, and invitation links replaced when sent again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerlearn import tokens
from programmes import selectors, services
from programmes.models import Activity, Attendance, Contact, Invitation, Membership
from tests.conftest import World
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory
from tests.programmes.factories import ActivityFactory

pytestmark = pytest.mark.django_db

NOT_A_PARTNER = "This is not someone you can log a contact with."


def membership_of(world: World, user: Any) -> Membership:
    return Membership.objects.get(user=user, programme=world.programme)


def post_contact(client: Client, world: World, with_user: Any) -> Any:
    return client.post(
        reverse("contact-list"),
        {
            "programme": world.programme.pk,
            "with_user": with_user.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "channel": "call",
        },
        content_type="application/json",
    )


# Contacts ---------------------------------------------------------------------------------------


def test_a_peer_logs_contacts_only_with_their_contact_partners(
    world: World, client: Client
) -> None:
    client.force_login(world.peer)
    other_cohort = post_contact(client, world, world.peer_other_cohort)
    outsider = post_contact(client, world, world.outsider)
    stranger = post_contact(client, world, UserFactory())
    for refused in (other_cohort, outsider, stranger):
        assert refused.status_code == 400
        assert refused.json() == {"detail": NOT_A_PARTNER}  # members and strangers alike
    assert not Contact.objects.exists()
    partner = post_contact(client, world, world.peer_same_cohort)
    assert partner.status_code == 201
    assert Contact.objects.get().with_user == world.peer_same_cohort


def test_the_contact_service_checks_partners(world: World) -> None:
    assert world.peer_other_cohort not in selectors.contact_partners(world.peer, world.programme)
    with pytest.raises(services.StageOneError, match=NOT_A_PARTNER):
        services.log_contact(
            programme=world.programme,
            logged_by=world.peer,
            with_user=world.peer_other_cohort,
            occurred_on=timezone.localdate(),
            channel=Contact.Channel.CALL,
        )
    assert not Contact.objects.exists()


# Activities ---------------------------------------------------------------------------------------


def activity_payload(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "programme": world.programme.pk,
        "kind": "site_visit",
        "title": "Visit to the treasury",
        "starts_at": "2026-03-02T09:00:00Z",
        "ends_at": "2026-03-02T17:00:00Z",
        **extra,
    }


def test_activity_organisations_must_take_part_in_the_programme(
    world: World, client: Client
) -> None:
    elsewhere = OrganisationFactory(name="Court of Audit", country="FR")
    client.force_login(world.facilitator)
    url = reverse("activity-list")
    host = client.post(
        url,
        activity_payload(world, host_organisation=elsewhere.pk),
        content_type="application/json",
    )
    assert host.status_code == 400
    message = host.json()["host_organisation"][0]
    assert "Court of Audit" in message and "does not take part in this programme" in message
    visiting = client.post(
        url,
        activity_payload(
            world,
            host_organisation=world.organisation.pk,
            visiting_organisations=[world.other_organisation.pk, elsewhere.pk],
        ),
        content_type="application/json",
    )
    assert visiting.status_code == 400
    message = visiting.json()["visiting_organisations"][0]
    assert "Court of Audit" in message and "National Treasury" not in message
    assert not Activity.objects.exists()
    ok = client.post(
        url,
        activity_payload(
            world,
            host_organisation=world.organisation.pk,
            visiting_organisations=[world.other_organisation.pk],
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201
    activity = Activity.objects.get()
    change = client.patch(
        reverse("activity-detail", args=[activity.pk]),
        {"visiting_organisations": [elsewhere.pk]},
        content_type="application/json",
    )
    assert change.status_code == 400
    assert list(activity.visiting_organisations.all()) == [world.other_organisation]


def test_the_schedule_service_checks_organisations(world: World) -> None:
    elsewhere = OrganisationFactory(name="Court of Audit", country="FR")
    start = timezone.now()
    with pytest.raises(services.StageOneError, match="Court of Audit"):
        services.schedule_activity(
            programme=world.programme,
            created_by=world.facilitator,
            kind=Activity.Kind.SITE_VISIT,
            title="Visit",
            starts_at=start,
            ends_at=start,
            frequency="weekly",
            occurrences=3,
            visiting_organisations=[elsewhere],
        )
    assert not Activity.objects.exists()


# Attendance -------------------------------------------------------------------------------------


def test_attendance_is_taken_only_for_the_activity_attendees(world: World, client: Client) -> None:
    activity = ActivityFactory(programme=world.programme, cohort=world.cohort)
    client.force_login(world.facilitator)
    url = reverse("attendance-list")
    refused = client.post(
        url,
        {"activity": activity.pk, "membership": membership_of(world, world.peer_other_cohort).pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "not expected at this activity" in refused.json()["membership"][0]
    assert not Attendance.objects.exists()
    with pytest.raises(services.StageOneError, match="not expected at this activity"):
        services.set_attendance(
            activity=activity,
            membership=membership_of(world, world.peer_other_cohort),
            present=True,
            user=world.facilitator,
        )
    accepted = client.post(
        url,
        {"activity": activity.pk, "membership": membership_of(world, world.peer).pk},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert Attendance.objects.get().membership.user == world.peer


# Invitations ------------------------------------------------------------------------------------


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"http://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return re.sub(r"^http://[^/]+", "", match.group(0))


def test_sending_an_invitation_again_replaces_the_earlier_link(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    def invite() -> Invitation:
        return services.invite_person(
            programme=world.programme,
            invited_by=world.facilitator,
            email="amina@example.org",
            role="peer",
        )

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite()
    first = link_in(mail.outbox[0])
    assert client.get(first).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        invite()
    second = link_in(mail.outbox[1])
    assert first != second
    old = client.get(first)
    assert old.status_code == 410
    assert "This link was replaced by a newer invitation" in old.content.decode()
    refused = client.post(
        first,
        {
            "full_name": "Amina",
            "password1": "budget-reform-2026",
            "password2": "budget-reform-2026",
        },
    )
    assert refused.status_code == 410
    assert not Membership.objects.filter(user__email="amina@example.org").exists()
    assert client.get(second).status_code == 200
    unstamped = tokens.INVITATION.make({"invitation": invitation.pk})
    assert selectors.invitation_from_token(unstamped, max_age_days=30) is None
    assert client.get(reverse("invitation_accept", args=[unstamped])).status_code == 410


def test_an_invitation_link_carries_when_it_was_last_sent(world: World) -> None:
    other = ProgrammeFactory()
    invitation = services.invite_person(
        programme=other, invited_by=None, email="bo@example.org", role="peer"
    )
    token = selectors.invitation_token(invitation)
    assert selectors.invitation_link(token, max_age_days=30) == (invitation, "valid")
    Invitation.objects.filter(pk=invitation.pk).update(send_requested_at=timezone.now())
    assert selectors.invitation_link(token, max_age_days=30)[1] == "replaced"
    assert selectors.invitation_link(token + "x", max_age_days=30) == (None, "invalid")
