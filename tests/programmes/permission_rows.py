"""Rows of the permission matrix for programmes' pages and endpoints (see tests/matrix.py).

A peer cannot see another programme (``outsider`` gets 404), a sponsor sees only their
organisation's peers (the ``sponsor`` is sponsor of ``world.organisation``), and a facilitator
only their programmes.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes.models import Activity, Membership, PeerObjective
from programmes.services import calendar_feed_for
from tests.conftest import World
from tests.matrix import API_ANON, LOGIN, Row, everyone
from tests.programmes.agenda_permission_rows import ROWS as AGENDA_ROWS

from .factories import (
    ActivityFactory,
    AttendanceFactory,
    ContactFactory,
    ContractSignatureFactory,
    KnowledgeProductFactory,
    LearningObjectiveFactory,
    NominationFactory,
    PeerImportFactory,
)

MEMBERS_200 = everyone(200, anonymous=LOGIN, outsider=404)
STAFF_ONLY = everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200)
STAFF_POST = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)
API_MEMBERS = everyone(200, anonymous=API_ANON, outsider=404)
API_LIST = everyone(200, anonymous=API_ANON)


def url(name: str, *extra: Any) -> Any:
    return lambda w: reverse(f"programmes:{name}", args=[w.programme.pk, *extra])


def peer_membership(w: World, user: Any = None) -> Membership:
    return Membership.objects.get(user=user or w.peer, programme=w.programme, role="peer")


def activity(w: World, **extra: Any) -> Activity:
    return ActivityFactory(programme=w.programme, **extra)


def training_attended(w: World) -> str:
    item = activity(w, kind=Activity.Kind.TRAINING)
    AttendanceFactory(activity=item, membership=peer_membership(w))
    return reverse("programmes:certificate", args=[w.programme.pk, item.pk])


def own_objective(w: World) -> PeerObjective:
    return PeerObjective.objects.create(membership=peer_membership(w), text="Cash forecasting")


def signature_url(w: World, user: Any) -> str:
    signature = ContractSignatureFactory(membership=peer_membership(w, user))
    return reverse("programmes:countersign", args=[w.programme.pk, signature.pk])


def contact_with_peer(w: World) -> int:
    contact = ContactFactory(programme=w.programme, logged_by=w.peer_same_cohort, with_user=w.peer)
    return int(contact.pk)


def mandate_url(w: World, organisation: Any) -> str:
    nomination = NominationFactory(programme=w.programme, organisation=organisation)
    nomination.mandate.save("mandate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return reverse("programmes:mandate", args=[w.programme.pk, nomination.pk])


def csv_upload(w: World) -> dict[str, Any]:
    content = b"email,full_name,organisation,country\nnew@example.org,New,Ministry of Finance,GH\n"
    return {"file": SimpleUploadedFile("peers.csv", content)}


ROWS: list[Row] = [
    # Programme set-up
    Row(
        "programme create page",
        "get",
        lambda w: reverse("programmes:create"),
        everyone(403, anonymous=LOGIN, outsider=200, facilitator=200, admin=200),
    ),
    Row(
        "programme create submit",
        "post",
        lambda w: reverse("programmes:create"),
        everyone(403, anonymous=LOGIN, outsider=302, facilitator=302, admin=302),
        data=lambda w: {"name": "A new network", "domain": "Audit"},
    ),
    Row("programme edit page", "get", url("edit"), STAFF_ONLY),
    Row(
        "programme edit submit",
        "post",
        url("edit"),
        STAFF_POST,
        data=lambda w: {"name": "Renamed network"},
    ),
    Row("foundations page", "get", url("setup"), MEMBERS_200),
    Row("theory of change page", "get", url("theory"), STAFF_ONLY),
    Row(
        "theory of change submit",
        "post",
        url("theory"),
        STAFF_POST,
        data=lambda w: {"focal_point": "Fewer arrears"},
    ),
    Row("objectives page", "get", url("objectives"), STAFF_ONLY),
    Row(
        "objective add",
        "post",
        url("objectives"),
        STAFF_POST,
        data=lambda w: {"text": "Learn cash planning", "goal_type": "formal_knowledge"},
    ),
    Row(
        "objective delete",
        "post",
        lambda w: reverse(
            "programmes:objective_delete",
            args=[w.programme.pk, LearningObjectiveFactory(programme=w.programme).pk],
        ),
        STAFF_POST,
    ),
    Row("checklist page", "get", url("checklist"), STAFF_ONLY),
    Row(
        "checklist submit",
        "post",
        url("checklist"),
        STAFF_POST,
        data=lambda w: {"domain_what": "Treasury"},
    ),
    Row("cohorts page", "get", url("cohorts"), STAFF_ONLY),
    Row(
        "cohort add",
        "post",
        url("cohort_add"),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {"cohort-name": "Cohort C"},
    ),
    Row(
        "working group add",
        "post",
        url("working_group_add"),
        STAFF_POST,
        data=lambda w: {
            "group-cohort": w.cohort.pk,
            "group-name": "Cash planning",
            "members": [peer_membership(w).pk],
        },
    ),
    Row(
        "facilitator overview",
        "get",
        url("overview"),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "my learning objectives",
        "get",
        url("my_objectives"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "my learning objective add",
        "post",
        url("my_objectives"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {"text": "How others forecast cash"},
    ),
    Row(
        "my learning objective remove",
        "post",
        lambda w: reverse(
            "programmes:my_objective_delete",
            args=[w.programme.pk, own_objective(w).pk],
        ),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
    ),
    # Peer import and invitations
    Row("peer import page", "get", url("import"), STAFF_ONLY),
    Row("peer import upload", "post", url("import"), STAFF_POST, data=csv_upload),
    Row(
        "peer import preview (the uploader's own)",
        "get",
        lambda w: reverse(
            "programmes:import_preview",
            args=[
                w.programme.pk,
                PeerImportFactory(programme=w.programme, uploaded_by=w.facilitator).pk,
            ],
        ),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=404),
    ),
    Row(
        "invitation resend",
        "post",
        lambda w: reverse(
            "programmes:invitation_resend",
            args=[
                w.programme.pk,
                w.programme.invitations.create(email="late@example.org", role="peer").pk,
            ],
        ),
        STAFF_POST,
    ),
    # Organisations, nominations, authorisations
    Row("organisations page", "get", url("organisations"), MEMBERS_200),
    Row(
        "organisation add",
        "post",
        url("organisations"),
        STAFF_POST,
        data=lambda w: {"name": "Court of Audit", "country": "Peru", "kind": "audit"},
    ),
    Row(
        "nominations page",
        "get",
        url("nominations"),
        everyone(
            403,
            anonymous=LOGIN,
            outsider=404,
            facilitator=200,
            manager=200,
            sponsor=200,
            admin=200,
        ),
    ),
    Row(
        "nominate a peer",
        "post",
        url("nominations"),
        # A site admin may open the form but sponsors no organisation to nominate for.
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=302, admin=200),
        data=lambda w: {
            "email": "nominee@example.org",
            "full_name": "Nominee",
            "organisation": w.organisation.pk,
        },
    ),
    Row(
        "authorise a peer of the sponsor's organisation",
        "get",
        lambda w: reverse("programmes:authorise", args=[w.programme.pk, w.peer.email]),
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=200, admin=200),
    ),
    Row(
        "authorise sign-off",
        "post",
        lambda w: reverse("programmes:authorise", args=[w.programme.pk, w.peer.email]),
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=302, admin=302),
        data=lambda w: {"signed_name": "Sami Sponsor"},
    ),
    Row(
        "authorise a peer of another organisation",
        "get",
        lambda w: reverse(
            "programmes:authorise", args=[w.programme.pk, w.peer_other_organisation.email]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, admin=200),
    ),
    Row(
        "sponsor commitment of own organisation",
        "get",
        lambda w: reverse(
            "programmes:sponsor_commitment", args=[w.programme.pk, w.organisation.pk]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=200, admin=404),
    ),
    Row(
        "sponsor commitment of another organisation",
        "get",
        lambda w: reverse(
            "programmes:sponsor_commitment", args=[w.programme.pk, w.other_organisation.pk]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=404, admin=404),
    ),
    Row(
        "signed mandate of the sponsor's organisation",
        "get",
        lambda w: mandate_url(w, w.organisation),
        everyone(404, anonymous=LOGIN, sponsor=200, facilitator=200, manager=403, admin=200),
    ),
    Row(
        "signed mandate of another organisation",
        "get",
        lambda w: mandate_url(w, w.other_organisation),
        everyone(404, anonymous=LOGIN, facilitator=200, manager=403, admin=200),
    ),
    # Contract and charter
    Row("contract page", "get", url("contract"), MEMBERS_200),
    Row(
        "contract sign",
        "post",
        url("contract"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {"signed_name": "Pat Peer"},
    ),
    Row("contract edit page", "get", url("contract_edit"), STAFF_ONLY),
    Row(
        "countersign a peer of the sponsor's organisation",
        "get",
        lambda w: signature_url(w, w.peer),
        everyone(403, anonymous=LOGIN, outsider=404, sponsor=200, admin=200),
    ),
    Row(
        "countersign a peer of another organisation",
        "get",
        lambda w: signature_url(w, w.peer_other_organisation),
        everyone(403, anonymous=LOGIN, outsider=404, admin=200),
    ),
    Row("trust charter", "get", url("charter"), MEMBERS_200),
    Row(
        "trust charter acknowledge",
        "post",
        url("charter"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
    ),
    # Activities, attendance, certificates, calendar
    Row("activities page", "get", url("activities"), MEMBERS_200),
    Row("activity create page", "get", url("activity_create"), STAFF_ONLY),
    Row(
        "activity create submit",
        "post",
        url("activity_create"),
        STAFF_POST,
        data=lambda w: {
            "kind": "plenary",
            "title": "Daily plenary",
            "starts_at": "2026-03-02T09:00",
            "ends_at": "2026-03-02T12:00",
            "frequency": "daily",
            "occurrences": "10",
        },
    ),
    Row(
        "activity of the whole programme",
        "get",
        lambda w: activity(w).get_absolute_url(),
        MEMBERS_200,
    ),
    Row(
        "activity of another cohort",
        "get",
        lambda w: activity(w, cohort=w.other_cohort).get_absolute_url(),
        everyone(200, anonymous=LOGIN, outsider=404, peer=404, sponsor=404),
    ),
    Row(
        "attendance toggle",
        "post",
        lambda w: reverse(
            "programmes:attendance",
            args=[w.programme.pk, activity(w).pk, peer_membership(w).pk],
        ),
        STAFF_POST,
        data=lambda w: {"present": "1"},
    ),
    Row(
        "training certificate (own)",
        "get",
        training_attended,
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "calendar feed with its token",
        "get",
        lambda w: reverse("programmes:calendar", args=[calendar_feed_for(user=w.peer).token]),
        everyone(200),
    ),
    Row(
        "calendar feed with an altered token",
        "get",
        lambda w: reverse(
            "programmes:calendar", args=[calendar_feed_for(user=w.peer).token[:-2] + "xx"]
        ),
        everyone(404),
    ),
    Row(
        "calendar renew",
        "post",
        url("calendar_renew"),
        everyone(302, anonymous=LOGIN, outsider=404),
    ),
    # Contacts
    Row("contacts page", "get", url("contacts"), MEMBERS_200),
    Row(
        "contact log",
        "post",
        url("contacts"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {
            "with_user": w.peer_same_cohort.pk,
            "occurred_on": "2026-01-10",
            "channel": "call",
            "topic": "Arrears",
        },
    ),
    Row(
        "contact confirm (the other side)",
        "post",
        lambda w: reverse(
            "programmes:contact_confirm", args=[w.programme.pk, contact_with_peer(w)]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, sponsor=404),
    ),
    # Library
    Row("library page", "get", url("library"), MEMBERS_200),
    Row(
        "library add a link",
        "post",
        url("library"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=302, admin=302),
        data=lambda w: {"title": "A note", "origin": "peer", "url": "https://example.org/n"},
    ),
    Row(
        "library item",
        "get",
        lambda w: reverse(
            "programmes:library_item",
            args=[w.programme.pk, KnowledgeProductFactory(programme=w.programme).pk],
        ),
        MEMBERS_200,
    ),
    Row(
        "library download",
        "get",
        lambda w: reverse(
            "programmes:library_download",
            args=[w.programme.pk, KnowledgeProductFactory(programme=w.programme).pk],
        ),
        everyone(302, anonymous=LOGIN, outsider=404),
    ),
    # API
    Row("api cohort list", "get", lambda w: reverse("cohort-list"), API_LIST),
    Row(
        "api cohort detail",
        "get",
        lambda w: reverse("cohort-detail", args=[w.cohort.pk]),
        API_MEMBERS,
    ),
    Row(
        "api cohort create",
        "post",
        lambda w: reverse("cohort-list"),
        everyone(403, anonymous=API_ANON, outsider=400, facilitator=201, admin=201),
        data=lambda w: {"programme": w.programme.pk, "name": "Cohort API"},
        content_type="application/json",
    ),
    Row("api organisation list", "get", lambda w: reverse("organisation-list"), API_LIST),
    Row(
        "api organisation detail (the sponsor's own)",
        "get",
        lambda w: reverse("organisation-detail", args=[w.organisation.pk]),
        API_MEMBERS,
    ),
    Row(
        "api organisation detail (another organisation)",
        "get",
        lambda w: reverse("organisation-detail", args=[w.other_organisation.pk]),
        everyone(200, anonymous=API_ANON, outsider=404, sponsor=404),
    ),
    Row("api enrolment list", "get", lambda w: reverse("enrolment-list"), API_LIST),
    Row(
        "api enrolment of a peer of another organisation and cohort",
        "get",
        lambda w: reverse(
            "enrolment-detail", args=[peer_membership(w, w.peer_other_organisation).pk]
        ),
        everyone(200, anonymous=API_ANON, outsider=404, peer=404, sponsor=404),
    ),
    Row("api activity list", "get", lambda w: reverse("activity-list"), API_LIST),
    Row(
        "api activity detail",
        "get",
        lambda w: reverse("activity-detail", args=[activity(w).pk]),
        API_MEMBERS,
    ),
    Row(
        "api activity create",
        "post",
        lambda w: reverse("activity-list"),
        everyone(403, anonymous=API_ANON, outsider=400, facilitator=201, admin=201),
        data=lambda w: {
            "programme": w.programme.pk,
            "kind": "training",
            "title": "Training",
            "starts_at": "2026-03-02T09:00:00Z",
            "ends_at": "2026-03-02T11:00:00Z",
        },
        content_type="application/json",
    ),
    Row(
        "api activity update",
        "patch",
        lambda w: reverse("activity-detail", args=[activity(w).pk]),
        everyone(403, anonymous=API_ANON, outsider=404, facilitator=200, admin=200),
        data=lambda w: {"title": "Renamed"},
        content_type="application/json",
    ),
    Row("api attendance list", "get", lambda w: reverse("attendance-list"), API_LIST),
    Row(
        "api attendance record",
        "post",
        lambda w: reverse("attendance-list"),
        everyone(403, anonymous=API_ANON, outsider=400, facilitator=201, admin=201),
        data=lambda w: {
            "activity": activity(w).pk,
            "membership": peer_membership(w).pk,
            "present": True,
        },
        content_type="application/json",
    ),
    Row("api contact list", "get", lambda w: reverse("contact-list"), API_LIST),
    Row(
        "api contact log",
        "post",
        lambda w: reverse("contact-list"),
        everyone(403, anonymous=API_ANON, outsider=400, peer=201),
        data=lambda w: {
            "programme": w.programme.pk,
            "with_user": w.peer_same_cohort.pk,
            "occurred_on": "2026-01-10",
            "channel": "online",
        },
        content_type="application/json",
    ),
    Row(
        "api contact confirm",
        "post",
        lambda w: reverse("contact-confirm", args=[contact_with_peer(w)]),
        everyone(403, anonymous=API_ANON, outsider=404, peer=200, sponsor=404),
        content_type="application/json",
    ),
]

ROWS += AGENDA_ROWS
