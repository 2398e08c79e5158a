"""Stage one: set-up, nominations and authorisations, contracts, activities, contacts, library."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peerlearn.flags import collect_flags
from programmes import selectors, services
from programmes.flags import flags_for
from programmes.models import (
    Activity,
    Attendance,
    ChecklistAnswer,
    Contact,
    ContractSignature,
    KnowledgeProduct,
    Membership,
    Nomination,
    Programme,
)
from tests.conftest import World

from .factories import ActivityFactory, ContactFactory, KnowledgeProductFactory

pytestmark = pytest.mark.django_db


def peer_membership(world: World, user: object = None) -> Membership:
    return Membership.objects.get(user=user or world.peer, programme=world.programme, role="peer")


def codes(programme: Programme) -> set[str]:
    return {flag.code for flag in flags_for(programme)}


# Set-up


def test_facilitator_creates_a_programme_and_becomes_its_facilitator(
    client: Client, world: World
) -> None:
    client.force_login(world.facilitator)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Internal Audit Community",
            "domain": "Internal audit",
            "working_languages": "en, ru",
            "starts_on": "2026-04-01",
            "ends_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Programme.objects.filter(name="Internal Audit Community").exists()
    response = client.post(
        reverse("programmes:create"),
        {"name": "Internal Audit Community", "domain": "Internal audit", "starts_on": "2026-04-01"},
    )
    programme = Programme.objects.get(name="Internal Audit Community")
    assert response["Location"] == reverse("programmes:setup", args=[programme.pk])
    assert world.facilitator.has_perm("programmes.change_programme", programme)
    assert "no-theory-of-change" in codes(programme)


def test_a_peer_cannot_create_programmes(client: Client, world: World) -> None:
    client.force_login(world.peer)
    assert client.post(reverse("programmes:create"), {"name": "Mine"}).status_code == 403
    assert not Programme.objects.filter(name="Mine").exists()


def test_theory_of_change_clears_the_flag(client: Client, world: World) -> None:
    assert "no-theory-of-change" in codes(world.programme)
    client.force_login(world.facilitator)
    client.post(
        reverse("programmes:theory", args=[world.programme.pk]),
        {"focal_point": "Fewer arrears", "influential_variables": "Cash", "assumptions": "Trust"},
    )
    assert "no-theory-of-change" not in codes(world.programme)
    page = client.get(reverse("programmes:setup", args=[world.programme.pk])).content.decode()
    assert "Fewer arrears" in page


def test_a_sixth_objective_is_saved_with_a_warning_and_a_flag(client: Client, world: World) -> None:
    client.force_login(world.facilitator)
    url = reverse("programmes:objectives", args=[world.programme.pk])
    for number in range(5):
        client.post(url, {"text": f"Objective {number}", "goal_type": "peer_support"})
    assert "too-many-objectives" not in codes(world.programme)
    response = client.post(url, {"text": "Objective 6", "goal_type": "peer_pressure"}, follow=True)
    page = response.content.decode()
    assert "now has 6 objectives" in page
    assert world.programme.learning_objectives.count() == 6
    assert "too-many-objectives" in codes(world.programme)
    response = client.post(url, {"text": "", "goal_type": "unknown"})
    assert response.status_code == 200
    assert world.programme.learning_objectives.count() == 6


def test_checklist_answers_are_kept_by_question(client: Client, world: World) -> None:
    client.force_login(world.facilitator)
    url = reverse("programmes:checklist", args=[world.programme.pk])
    client.post(url, {"domain_what": "Treasury management", "plc_where": "Online monthly"})
    answers = dict(
        ChecklistAnswer.objects.filter(programme=world.programme).values_list(
            "question_key", "answer"
        )
    )
    assert answers["domain_what"] == "Treasury management"
    assert answers["plc_where"] == "Online monthly"
    assert "Treasury management" in client.get(url).content.decode()
    with pytest.raises(services.StageOneError):
        services.save_checklist_answers(
            programme=world.programme, user=world.facilitator, answers={"nope": "x"}
        )


def test_working_groups_take_only_peers_of_their_cohort(world: World) -> None:
    group = services.add_working_group(
        cohort=world.cohort, name="Cash planning", members=[peer_membership(world)]
    )
    assert list(group.members.all()) == [peer_membership(world)]
    with pytest.raises(services.StageOneError, match="Only peers of this cohort"):
        services.add_working_group(
            cohort=world.cohort,
            name="Arrears",
            members=[peer_membership(world, world.peer_other_cohort)],
        )
    with pytest.raises(services.StageOneError, match="already a working group"):
        services.add_working_group(cohort=world.cohort, name="cash planning")


# Nominations, authorisations, sponsor commitment


def test_sponsor_nominates_authorises_and_sees_only_their_organisation(
    client: Client, world: World, django_capture_on_commit_callbacks: object
) -> None:
    client.force_login(world.sponsor)
    url = reverse("programmes:nominations", args=[world.programme.pk])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            url,
            {
                "email": "Nominee@Example.org",
                "full_name": "Nia Nominee",
                "organisation": world.organisation.pk,
            },
        )
    nomination = Nomination.objects.get(programme=world.programme, email="nominee@example.org")
    assert nomination.organisation == world.organisation and not nomination.is_authorised
    assert world.programme.invitations.filter(email="nominee@example.org").exists()
    # The sponsor cannot nominate for another organisation.
    response = client.post(
        url,
        {"email": "x@example.org", "full_name": "X", "organisation": world.other_organisation.pk},
    )
    assert response.status_code == 200
    assert not Nomination.objects.filter(email="x@example.org").exists()

    page = client.get(url).content.decode()
    assert world.peer.email in page and world.peer_other_cohort.email in page
    assert world.peer_same_cohort.email not in page  # another organisation's peer
    assert world.peer_other_organisation.email not in page

    authorise = reverse("programmes:authorise", args=[world.programme.pk, "nominee@example.org"])
    response = client.post(authorise, {"signed_name": "  "})
    assert response.status_code == 200
    client.post(authorise, {"signed_name": "Sami Sponsor"})
    nomination.refresh_from_db()
    assert nomination.is_authorised and nomination.method == Nomination.Method.SIGN_OFF
    assert nomination.signed_name == "Sami Sponsor"


def test_mandate_must_be_a_pdf_by_content_and_small_enough(client: Client, world: World) -> None:
    client.force_login(world.sponsor)
    url = reverse("programmes:authorise", args=[world.programme.pk, world.peer.email])
    fake = SimpleUploadedFile("mandate.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"signed_name": "Sami Sponsor", "mandate": fake})
    assert "this file is not a PDF" in response.content.decode()
    assert not Nomination.objects.filter(email=world.peer.email, authorised_at__isnull=False)
    big = SimpleUploadedFile("m.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1))
    response = client.post(url, {"signed_name": "Sami Sponsor", "mandate": big})
    assert "too big" in response.content.decode()
    good = SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%signed\n", "application/pdf")
    client.post(url, {"signed_name": "Sami Sponsor", "mandate": good})
    nomination = Nomination.objects.get(email=world.peer.email)
    assert nomination.method == Nomination.Method.MANDATE and nomination.mandate


def test_missing_authorisation_flag_counts_joined_peers_without_one(world: World) -> None:
    flags = {flag.code: flag for flag in flags_for(world.programme)}
    assert "4 peers have no authorisation" in flags["missing-authorisation"].message
    for user in (world.peer, world.peer_same_cohort, world.peer_other_cohort):
        nomination = Nomination.objects.create(
            programme=world.programme,
            organisation=world.organisation,
            email=user.email,
        )
        services.authorise_nomination(nomination=nomination, user=world.sponsor, signed_name="S")
    flags = {flag.code: flag for flag in flags_for(world.programme)}
    assert "1 peer has no authorisation" in flags["missing-authorisation"].message
    assert any(flag.code == "missing-authorisation" for flag in collect_flags(world.programme))


def test_peers_not_joined_flag_and_resend(
    client: Client, world: World, django_capture_on_commit_callbacks: object
) -> None:
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = services.invite_person(
            programme=world.programme, invited_by=world.facilitator, email="late@example.org"
        )
    assert "peers-not-joined" in codes(world.programme)
    client.force_login(world.facilitator)
    overview = client.get(reverse("programmes:overview", args=[world.programme.pk]))
    assert "late@example.org" in overview.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            reverse("programmes:invitation_resend", args=[world.programme.pk, invitation.pk])
        )
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_sponsor_commitment_needs_time_and_means_to_be_signed(client: Client, world: World) -> None:
    client.force_login(world.sponsor)
    url = reverse("programmes:sponsor_commitment", args=[world.programme.pk, world.organisation.pk])
    response = client.post(url, {"learning_wants": "Arrears", "signed_name": "Sami"})
    assert "Say what you commit before signing" in response.content.decode()
    client.post(
        url,
        {
            "learning_wants": "Arrears",
            "time_committed": "Ten days",
            "means_committed": "Report-back",
            "signed_name": "Sami Sponsor",
        },
    )
    commitment = selectors.sponsor_commitment(world.programme, world.organisation)
    assert commitment.committed_at is not None and commitment.signed_name == "Sami Sponsor"


# Contract and charter


def test_peer_signs_the_contract_once_and_the_sponsor_countersigns(
    client: Client, world: World
) -> None:
    client.force_login(world.peer)
    url = reverse("programmes:contract", args=[world.programme.pk])
    page = client.get(url).content.decode()
    for clause in ("Working together", "Attending peer meetings", "Communicating regularly"):
        assert clause in page
    client.post(url, {"signed_name": "Pat Peer", "shares_forward": "on"})
    signature = ContractSignature.objects.get(membership=peer_membership(world))
    assert signature.signed_name == "Pat Peer" and signature.shares_forward
    assert len(signature.clauses) == 5
    assert abs((timezone.now() - signature.signed_at).total_seconds()) < 60
    response = client.post(url, {"signed_name": "Pat Peer"}, follow=True)
    assert "already signed" in response.content.decode()
    assert ContractSignature.objects.count() == 1

    client.force_login(world.sponsor)
    countersign = reverse("programmes:countersign", args=[world.programme.pk, signature.pk])
    client.post(countersign, {"signed_name": "Sami Sponsor"})
    signature.refresh_from_db()
    assert signature.countersigned_name == "Sami Sponsor"


def test_a_new_peer_meets_the_trust_charter_on_the_programme_page(
    client: Client, world: World
) -> None:
    client.force_login(world.peer)
    page = client.get(world.programme.get_absolute_url()).content.decode()
    for behaviour in (
        "Talk straight",
        "Create transparency",
        "Clarify expectations",
        "Practise accountability",
        "Keep commitments",
    ):
        assert behaviour in page
    response = client.post(reverse("programmes:charter", args=[world.programme.pk]))
    assert response["Location"] == world.programme.get_absolute_url()  # back to the next steps
    assert peer_membership(world).charter_acknowledged_at is not None
    assert "Talk straight" not in client.get(world.programme.get_absolute_url()).content.decode()


# Activities, attendance, certificates, calendar


def test_daily_for_ten_days_and_monthly_for_five_months(world: World) -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    daily = services.schedule_activity(
        programme=world.programme,
        created_by=world.facilitator,
        kind=Activity.Kind.PLENARY,
        title="Event day",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        frequency="daily",
        occurrences=10,
    )
    assert [a.starts_at.day for a in daily] == [31, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert all(a.ends_at - a.starts_at == timedelta(hours=6) for a in daily)
    assert daily[0].series is not None and daily[0].series == daily[-1].series
    monthly = services.schedule_activity(
        programme=world.programme,
        created_by=world.facilitator,
        kind=Activity.Kind.SMALL_GROUP,
        title="Group meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        frequency="monthly",
        occurrences=5,
    )
    assert [a.starts_at.date() for a in monthly] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    with pytest.raises(services.StageOneError, match="Only a site visit"):
        services.schedule_activity(
            programme=world.programme,
            created_by=world.facilitator,
            kind=Activity.Kind.PLENARY,
            title="x",
            starts_at=start,
            ends_at=start,
            reciprocal=True,
        )


def test_activity_form_refuses_bad_input_and_writes_nothing(client: Client, world: World) -> None:
    client.force_login(world.facilitator)
    url = reverse("programmes:activity_create", args=[world.programme.pk])
    response = client.post(
        url,
        {
            "kind": "site_visit",
            "title": "Visit",
            "starts_at": "2026-03-02T09:00",
            "ends_at": "2026-03-01T09:00",
            "frequency": "daily",
            "occurrences": "1",
        },
    )
    page = response.content.decode()
    assert "cannot end before it starts" in page
    assert "needs a host organisation" in page
    assert "at least twice" in page
    assert not Activity.objects.exists()


def test_attendance_toggle_answers_htmx_with_the_row(client: Client, world: World) -> None:
    activity = ActivityFactory(programme=world.programme, cohort=world.cohort)
    membership = peer_membership(world)
    client.force_login(world.facilitator)
    url = reverse("programmes:attendance", args=[world.programme.pk, activity.pk, membership.pk])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert Attendance.objects.get(activity=activity, membership=membership).present
    client.post(url, {"present": "0"}, HTTP_HX_REQUEST="true")
    assert not Attendance.objects.get(activity=activity, membership=membership).present
    # A peer of another cohort is not expected at this cohort's activity.
    other = peer_membership(world, world.peer_other_cohort)
    url = reverse("programmes:attendance", args=[world.programme.pk, activity.pk, other.pk])
    assert client.post(url, {"present": "1"}).status_code == 404


def test_training_certificate_is_a_pdf_for_attendees_only(client: Client, world: World) -> None:
    activity = ActivityFactory(programme=world.programme, kind=Activity.Kind.TRAINING)
    url = reverse("programmes:certificate", args=[world.programme.pk, activity.pk])
    client.force_login(world.peer)
    assert client.get(url).status_code == 403
    services.set_attendance(
        activity=activity, membership=peer_membership(world), present=True, user=world.facilitator
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    meeting = ActivityFactory(programme=world.programme, kind=Activity.Kind.PLENARY)
    url = reverse("programmes:certificate", args=[world.programme.pk, meeting.pk])
    assert client.get(url).status_code == 404


def test_calendar_feed_by_token_lists_the_persons_activities(client: Client, world: World) -> None:
    mine = ActivityFactory(programme=world.programme, cohort=world.cohort, title="Cohort A day")
    ActivityFactory(programme=world.programme, cohort=world.other_cohort, title="Cohort B day")
    ActivityFactory(programme=world.other_programme, title="Elsewhere")
    feed = services.calendar_feed_for(user=world.peer)
    url = reverse("programmes:calendar", args=[feed.token])
    response = client.get(url)  # no session: calendar apps fetch it by its secret address
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries == [f"Cohort A day ({mine.get_kind_display()})"]
    # Tampered, truncated or renewed tokens are refused.
    assert client.get(url[:-6] + "x.ics").status_code == 404
    assert client.get(reverse("programmes:calendar", args=["A" * 43])).status_code == 404
    services.calendar_feed_for(user=world.peer, renew=True)
    assert client.get(url).status_code == 404


# Contacts


def test_peer_logs_a_contact_and_the_other_confirms_it(client: Client, world: World) -> None:
    client.force_login(world.peer)
    url = reverse("programmes:contacts", args=[world.programme.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        url, {"with_user": world.peer_same_cohort.pk, "occurred_on": future, "channel": "call"}
    )
    assert "cannot be in the future" in response.content.decode()
    response = client.post(
        url, {"with_user": world.peer.pk, "occurred_on": "2026-01-05", "channel": "call"}
    )
    assert response.status_code == 200  # oneself is not in the list
    assert not Contact.objects.exists()
    client.post(
        url,
        {
            "with_user": world.peer_same_cohort.pk,
            "occurred_on": "2026-01-05",
            "channel": "in_person",
            "topic": "Cash plans",
        },
    )
    contact = Contact.objects.get()
    assert contact.logged_by == world.peer and not contact.is_confirmed
    confirm = reverse("programmes:contact_confirm", args=[world.programme.pk, contact.pk])
    assert client.post(confirm).status_code == 403  # not by the one who logged it
    client.force_login(world.peer_same_cohort)
    client.post(confirm)
    contact.refresh_from_db()
    assert contact.is_confirmed
    assert selectors.contact_edges(world.programme) == [
        (world.peer.pk, world.peer_same_cohort.pk, date(2026, 1, 5), True)
    ]


def test_peers_see_only_their_own_contacts(world: World) -> None:
    ContactFactory(
        programme=world.programme, logged_by=world.peer, with_user=world.peer_same_cohort
    )
    ContactFactory(
        programme=world.programme,
        logged_by=world.peer_other_cohort,
        with_user=world.peer_other_organisation,
    )
    assert selectors.contacts_for(world.peer, world.programme).count() == 1
    assert selectors.contacts_for(world.facilitator, world.programme).count() == 2
    assert selectors.contacts_for(world.sponsor, world.programme).count() == 0
    assert {m.user for m in selectors.peers_of(world.programme)} == {
        world.peer,
        world.peer_same_cohort,
        world.peer_other_cohort,
        world.peer_other_organisation,
    }


# Library


def test_library_counts_views_and_downloads_and_checks_uploads(
    client: Client, world: World
) -> None:
    client.force_login(world.peer)
    url = reverse("programmes:library", args=[world.programme.pk])
    fake = SimpleUploadedFile("note.pdf", b"<html>not a pdf</html>")
    response = client.post(url, {"title": "Note", "origin": "peer", "file": fake})
    assert "its content is not of that type" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ")
    response = client.post(url, {"title": "Tool", "origin": "peer", "file": exe})
    assert "cannot be added" in response.content.decode()
    response = client.post(url, {"title": "Nothing", "origin": "peer"})
    assert "Add a file or a link" in response.content.decode()
    assert not KnowledgeProduct.objects.exists()
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4 peer note")
    client.post(
        url,
        {
            "title": "Peer note",
            "origin": "peer",
            "kind": "document",
            "file": pdf,
            "tags": "Arrears, cash",
        },
    )
    product = KnowledgeProduct.objects.get()
    assert sorted(t.name for t in product.tags.all()) == ["arrears", "cash"]
    client.get(reverse("programmes:library_item", args=[world.programme.pk, product.pk]))
    download = client.get(
        reverse("programmes:library_download", args=[world.programme.pk, product.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 peer note"  # type: ignore[attr-defined]
    product.refresh_from_db()
    assert (product.view_count, product.download_count) == (1, 1)
    assert "Peer note" in client.get(url + "?tag=cash").content.decode()
    KnowledgeProductFactory(programme=world.programme, title="Untagged link")
    assert "Untagged link" not in client.get(url + "?tag=cash").content.decode()


def test_the_demo_has_stage_one_data(db: None) -> None:
    from programmes.demo import DEMO_PROGRAMME, load_demo

    load_demo(password="peerlearn-demo", peers=55)
    load_demo(password="peerlearn-demo", peers=55)  # idempotent
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    peers = selectors.peers_of(programme)
    assert peers.count() == 55
    assert len({m.organisation.country for m in peers if m.organisation}) > 30
    assert programme.learning_objectives.count() == 4
    assert selectors.theory_of_change(programme) is not None
    assert selectors.checklist_answered_count(programme) >= 5
    days = Activity.objects.filter(programme=programme, series__isnull=False)
    assert days.count() == 10
    assert Attendance.objects.filter(activity__programme=programme).exists()
    assert len(selectors.contact_edges(programme)) > 55
    authorised = Nomination.objects.filter(programme=programme, authorised_at__isnull=False)
    assert 40 < authorised.count() < 55
    assert "missing-authorisation" in codes(programme)
    assert "no-theory-of-change" not in codes(programme)
    assert ContractSignature.objects.filter(membership__programme=programme).count() > 40
