"""Who may change whom: an invitation stays with its organisation, the invite page offers only
the programme's organisations, and a signed commitment cannot be emptied while it shows as
signed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from peerlearn.roles import Role
from programmes import selectors, services
from programmes.models import Invitation, Nomination, Organisation
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _nominate(client: Client, world: World, email: str) -> str:
    client.force_login(world.sponsor)
    response = client.post(
        reverse("programmes:nominations", args=[world.programme.pk]),
        {"email": email, "full_name": "Taken Over", "organisation": world.organisation.pk},
        follow=True,
    )
    return response.content.decode()


def test_a_sponsor_cannot_take_over_a_person_invited_for_another_organisation(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(
            programme=world.programme,
            invited_by=world.facilitator,
            email="kofi@example.org",
            full_name="Kofi Mensah",
            organisation=world.other_organisation,
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = _nominate(client, world, "Kofi@Example.org")
    assert "kofi@example.org is already invited on behalf of another organisation" in page
    invitation = Invitation.objects.get(email="kofi@example.org")
    assert invitation.organisation == world.other_organisation
    assert invitation.full_name == "Kofi Mensah"
    assert not Nomination.objects.filter(email="kofi@example.org").exists()
    assert mail.outbox == []


def test_a_sponsor_cannot_nominate_a_peer_of_another_organisation(
    world: World, client: Client
) -> None:
    page = _nominate(client, world, world.peer_same_cohort.email)
    assert "takes part on behalf of another organisation" in page
    assert not Nomination.objects.filter(email=world.peer_same_cohort.email).exists()


def test_inviting_again_for_the_same_organisation_still_resends(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for name in ("Kofi", "Kofi Mensah"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_person(
                programme=world.programme,
                invited_by=world.facilitator,
                email="kofi@example.org",
                full_name=name,
                organisation=world.organisation,
            )
    assert Invitation.objects.get(email="kofi@example.org").full_name == "Kofi Mensah"
    assert len(mail.outbox) == 2


def test_the_invite_page_offers_only_the_programmes_organisations(
    world: World, client: Client
) -> None:
    elsewhere = OrganisationFactory(name="Ministry of Another Programme", country="PE")
    MembershipFactory(
        user=UserFactory(), programme=world.other_programme, role=Role.PEER, organisation=elsewhere
    )
    unused = OrganisationFactory(name="Ministry Nobody Invited", country="UA")
    client.force_login(world.facilitator)
    url = reverse("programmes:invite", args=[world.programme.pk])
    page = client.get(url).content.decode()
    assert world.organisation.name in page and world.other_organisation.name in page
    assert elsewhere.name not in page and unused.name not in page
    # Posting another programme's organisation anyway is refused.
    response = client.post(
        url, {"email": "x@example.org", "role": Role.SPONSOR, "organisation": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_an_organisation_added_by_the_facilitator_can_be_invited_at_once(
    world: World, client: Client
) -> None:
    known_elsewhere = OrganisationFactory(name="Court of Audit", country="SN")
    MembershipFactory(
        user=UserFactory(),
        programme=world.other_programme,
        role=Role.PEER,
        organisation=known_elsewhere,
    )
    client.force_login(world.facilitator)
    organisations = reverse("programmes:organisations", args=[world.programme.pk])
    for name, country in (("Contraloría General", "PE"), ("court of audit", "SN")):
        response = client.post(
            organisations, {"name": name, "country": country, "kind": "audit"}, follow=True
        )
        assert "is added" in response.content.decode()
    # The one known from another programme is added as it is, not created twice.
    assert Organisation.objects.filter(country="SN", name__iexact="court of audit").count() == 1
    offered = selectors.organisations_of(world.programme)
    assert {"Contraloría General", "Court of Audit"} <= set(offered.values_list("name", flat=True))
    page = client.get(reverse("programmes:invite", args=[world.programme.pk])).content.decode()
    assert "Contraloría General" in page and "Court of Audit" in page
    again = client.post(
        organisations, {"name": "Court of Audit", "country": "SN", "kind": "audit"}, follow=True
    )
    assert "exists" in again.content.decode()
    assert Organisation.objects.filter(name="Court of Audit").count() == 1


def test_changing_a_signed_commitment_takes_the_signature_away(
    world: World, client: Client
) -> None:
    client.force_login(world.sponsor)
    url = reverse("programmes:sponsor_commitment", args=[world.programme.pk, world.organisation.pk])
    signed = {
        "learning_wants": "Arrears",
        "time_committed": "Ten days",
        "means_committed": "Report-back",
        "signed_name": "Sami Sponsor",
    }
    client.post(url, signed)
    commitment = selectors.sponsor_commitment(world.programme, world.organisation)
    assert commitment.committed_at is not None
    # Saving the same answers again without a signature keeps it signed.
    client.post(url, {**signed, "signed_name": ""})
    commitment.refresh_from_db()
    assert commitment.committed_at is not None
    # Emptying what was committed takes the signature away, and the pages say so.
    response = client.post(
        url, {"learning_wants": "Arrears", "time_committed": "", "means_committed": ""}, follow=True
    )
    page = response.content.decode()
    assert "not signed any more" in page
    commitment.refresh_from_db()
    assert commitment.committed_at is None and commitment.signed_name == ""
    assert "Commitment of time and means signed by" not in page
    assert "Signed by" not in client.get(url).content.decode()
