"""Rows of the permission matrix for diffusion's pages and endpoints (see tests/matrix.py).

A site admin (superuser) passes every rule, as everywhere in PeerLearn.

``w.peer`` belongs to the sponsor's organisation; ``w.peer_other_organisation`` does not (and is in
another cohort), so the rows on their objects show that a sponsor sees only their own
organisation and a peer only their own cohort.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from peerlearn.roles import Role
from programmes.models import Membership
from tests.conftest import World
from tests.diffusion.factories import (
    ChapterFactory,
    DiffusionPlanFactory,
    ImpactStoryFactory,
    PilotFactory,
    PilotMilestoneFactory,
    ReportBackFactory,
    recipient_with_token,
)
from tests.matrix import API_ANON, LOGIN, Row, everyone

JSON = "application/json"


def _plan(w: World, mine: bool = True) -> Any:
    peer = w.peer if mine else w.peer_other_organisation
    organisation = w.organisation if mine else w.other_organisation
    return DiffusionPlanFactory(programme=w.programme, peer=peer, organisation=organisation)


def _report_back(w: World, mine: bool = True) -> Any:
    peer = w.peer if mine else w.peer_other_organisation
    organisation = w.organisation if mine else w.other_organisation
    return ReportBackFactory(programme=w.programme, peer=peer, organisation=organisation)


def _pilot(w: World, mine: bool = True) -> Any:
    lead = w.peer if mine else w.peer_other_organisation
    organisation = w.organisation if mine else w.other_organisation
    return PilotFactory(programme=w.programme, lead=lead, organisation=organisation)


def _story(w: World, mine: bool = True) -> Any:
    recorder = w.peer if mine else w.peer_other_organisation
    organisation = w.organisation if mine else w.other_organisation
    return ImpactStoryFactory(
        programme=w.programme, organisation=organisation, recorded_by=recorder
    )


def _other_cohort_story(w: World) -> Any:
    """A story of the peer's own organisation, recorded in another cohort."""
    return ImpactStoryFactory(
        programme=w.programme, organisation=w.organisation, recorded_by=w.peer_other_cohort
    )


def _materials_url(w: World) -> str:
    from django.core.files.base import ContentFile

    report_back = _report_back(w)
    report_back.materials.save("slides.pdf", ContentFile(b"%PDF-1.7"), save=True)
    return reverse("diffusion:report_back_materials", args=[report_back.pk])


def _chapter(w: World, mine: bool = True) -> Any:
    founder = w.peer if mine else w.peer_other_organisation
    organisation = w.organisation if mine else w.other_organisation
    return ChapterFactory(programme=w.programme, founded_by=founder, organisation=organisation)


def _feedback_url(w: World) -> str:
    _recipient, token = recipient_with_token(report_back=_report_back(w))
    return reverse("diffusion:feedback", args=[token])


def _sponsor_membership(w: World) -> int:
    return Membership.objects.get(user=w.sponsor, programme=w.programme, role=Role.SPONSOR).pk


def _unsubscribe_url(w: World) -> str:
    from diffusion.services import unsubscribe_token

    membership = Membership.objects.get(pk=_sponsor_membership(w))
    return reverse("diffusion:sponsor_unsubscribe", args=[unsubscribe_token(membership)])


def page(status: int, **overrides: int) -> dict[str, int]:
    """A page of the programme: login for anonymous, 404 for the other programme's people."""
    return everyone(status, **{"anonymous": LOGIN, "outsider": 404, **overrides})


def api(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, **{"anonymous": API_ANON, "outsider": 404, **overrides})


PEER_ONLY = page(403, peer=200, admin=200)
PEER_ONLY_POST = page(403, peer=302, admin=302)
LEAD_OR_FACILITATOR_POST = page(403, peer=302, facilitator=302, admin=302)
OWN_ORGANISATION = page(200)
OTHER_ORGANISATION = page(200, peer=403, sponsor=403)

REPORT_BACK_DATA = {
    "title": "Back home",
    "held_on": "2026-05-04",
    "audience": "Cash team",
    "audience_size": "9",
    "level": "team",
    "attendee_emails": "a@home.example.org",
}

ROWS: list[Row] = [
    Row(
        "diffusion overview",
        "get",
        lambda w: reverse("diffusion:overview", args=[w.programme.pk]),
        page(200),
    ),
    Row(
        "diffusion graph",
        "get",
        lambda w: reverse("diffusion:graph", args=[w.programme.pk]),
        page(200),
    ),
    Row(
        "diffusion plan edit page",
        "get",
        lambda w: reverse("diffusion:plan_edit", args=[w.programme.pk]),
        PEER_ONLY,
    ),
    Row(
        "diffusion plan save",
        "post",
        lambda w: reverse("diffusion:plan_edit", args=[w.programme.pk]),
        PEER_ONLY_POST,
        data=lambda w: {"goal": "Share the cash forecasting template", "propose": "on"},
    ),
    Row(
        "diffusion plan detail (own organisation)",
        "get",
        lambda w: reverse("diffusion:plan_detail", args=[_plan(w).pk]),
        OWN_ORGANISATION,
    ),
    Row(
        "diffusion plan detail (other organisation)",
        "get",
        lambda w: reverse("diffusion:plan_detail", args=[_plan(w, mine=False).pk]),
        OTHER_ORGANISATION,
    ),
    Row(
        "diffusion plan add activity",
        "post",
        lambda w: reverse("diffusion:plan_activity_add", args=[_plan(w).pk]),
        page(403, peer=302, admin=302),
        data=lambda w: {
            "audience": "Cash team",
            "planned_on": "2026-06-01",
            "format": "briefing",
            "level": "team",
        },
    ),
    Row(
        "diffusion plan confirm (own organisation)",
        "post",
        lambda w: reverse("diffusion:plan_confirm", args=[_plan(w).pk]),
        page(403, sponsor=302, admin=302),
        data=lambda w: {"time_and_means": "Two hours a month and a room."},
    ),
    Row(
        "diffusion plan confirm (other organisation)",
        "post",
        lambda w: reverse("diffusion:plan_confirm", args=[_plan(w, mine=False).pk]),
        page(403, admin=302),
        data=lambda w: {"time_and_means": "Two hours a month and a room."},
    ),
    Row(
        "report-back form",
        "get",
        lambda w: reverse("diffusion:report_back_create", args=[w.programme.pk]),
        PEER_ONLY,
    ),
    Row(
        "report-back submit",
        "post",
        lambda w: reverse("diffusion:report_back_create", args=[w.programme.pk]),
        PEER_ONLY_POST,
        data=lambda w: REPORT_BACK_DATA,
    ),
    Row(
        "report-back detail (own organisation)",
        "get",
        lambda w: reverse("diffusion:report_back_detail", args=[_report_back(w).pk]),
        OWN_ORGANISATION,
    ),
    Row(
        "report-back detail (other organisation)",
        "get",
        lambda w: reverse("diffusion:report_back_detail", args=[_report_back(w, mine=False).pk]),
        OTHER_ORGANISATION,
    ),
    Row(
        "report-back materials download",
        "get",
        _materials_url,
        page(403, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "report-back add attendees",
        "post",
        lambda w: reverse("diffusion:report_back_attendees", args=[_report_back(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"emails": "new.attendee@home.example.org"},
    ),
    Row(
        "attendee feedback link",
        "get",
        _feedback_url,
        everyone(200),
    ),
    Row(
        "attendee feedback answer",
        "post",
        _feedback_url,
        everyone(200),
        data=lambda w: {"will_use": "The checklist", "share_with": "next@home.example.org"},
    ),
    Row(
        "attendee feedback link altered",
        "get",
        lambda w: _feedback_url(w)[:-3] + "xyz/",
        everyone(404),
    ),
    Row(
        "chapter form",
        "get",
        lambda w: reverse("diffusion:chapter_create", args=[w.programme.pk]),
        PEER_ONLY,
    ),
    Row(
        "chapter launch",
        "post",
        lambda w: reverse("diffusion:chapter_create", args=[w.programme.pk]),
        PEER_ONLY_POST,
        data=lambda w: {"name": "Ghana chapter", "country": "gh", "launched_on": "2026-06-01"},
    ),
    Row(
        "chapter detail",
        "get",
        lambda w: reverse("diffusion:chapter_detail", args=[_chapter(w).pk]),
        page(200),
    ),
    Row(
        "chapter detail (other organisation)",
        "get",
        lambda w: reverse("diffusion:chapter_detail", args=[_chapter(w, mine=False).pk]),
        page(200, peer=403, sponsor=403),
    ),
    Row(
        "chapter add member",
        "post",
        lambda w: reverse("diffusion:chapter_member_add", args=[_chapter(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"full_name": "Abena Owusu", "email": "", "joined_on": "2026-06-02"},
    ),
    Row(
        "chapter add meeting",
        "post",
        lambda w: reverse("diffusion:chapter_meeting_add", args=[_chapter(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"held_on": "2026-06-10", "topic": "Launch", "attendance": "12"},
    ),
    Row(
        "pilot form",
        "get",
        lambda w: reverse("diffusion:pilot_create", args=[w.programme.pk]),
        PEER_ONLY,
    ),
    Row(
        "pilot start",
        "post",
        lambda w: reverse("diffusion:pilot_create", args=[w.programme.pk]),
        PEER_ONLY_POST,
        data=lambda w: {
            "title": "Weekly forecast",
            "goal": "Errors below 10%",
            "starts_on": "2026-06-01",
        },
    ),
    Row(
        "pilot detail (own organisation)",
        "get",
        lambda w: reverse("diffusion:pilot_detail", args=[_pilot(w).pk]),
        OWN_ORGANISATION,
    ),
    Row(
        "pilot detail (other organisation)",
        "get",
        lambda w: reverse("diffusion:pilot_detail", args=[_pilot(w, mine=False).pk]),
        page(200, peer=403, sponsor=403),
    ),
    Row(
        "pilot add step",
        "post",
        lambda w: reverse("diffusion:pilot_step_add", args=[_pilot(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"kind": "activity", "description": "Weekly meeting"},
    ),
    Row(
        "pilot add milestone",
        "post",
        lambda w: reverse("diffusion:pilot_milestone_add", args=[_pilot(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"title": "First forecast", "due_on": "2026-06-20"},
    ),
    Row(
        "pilot milestone reached",
        "post",
        lambda w: (lambda m: reverse("diffusion:pilot_milestone_reached", args=[m.pilot_id, m.pk]))(
            PilotMilestoneFactory(pilot=_pilot(w))
        ),
        LEAD_OR_FACILITATOR_POST,
    ),
    Row(
        "pilot comment",
        "post",
        lambda w: reverse("diffusion:pilot_update_add", args=[_pilot(w).pk]),
        LEAD_OR_FACILITATOR_POST,
        data=lambda w: {"text": "Going well"},
    ),
    Row(
        "impact story form",
        "get",
        lambda w: reverse("diffusion:story_create", args=[w.programme.pk]),
        page(403, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "impact story record",
        "post",
        lambda w: reverse("diffusion:story_create", args=[w.programme.pk]),
        page(403, peer=302, facilitator=302, admin=302),
        data=lambda w: {
            "title": "Regulation amended",
            "kind": "law",
            "description": "Article 12 now requires it.",
            "happened_on": "2026-09-01",
            "evidence": "Official gazette 2026/41",
        },
    ),
    Row(
        "impact story detail (own organisation)",
        "get",
        lambda w: reverse("diffusion:story_detail", args=[_story(w).pk]),
        OWN_ORGANISATION,
    ),
    Row(
        "impact story detail (other organisation)",
        "get",
        lambda w: reverse("diffusion:story_detail", args=[_story(w, mine=False).pk]),
        page(200, peer=404, sponsor=403),
    ),
    Row(
        "impact story detail (other cohort, own organisation)",
        "get",
        lambda w: reverse("diffusion:story_detail", args=[_other_cohort_story(w).pk]),
        page(200, peer=404),
    ),
    Row(
        "sponsor report",
        "get",
        lambda w: reverse("diffusion:sponsor_report", args=[w.programme.pk]),
        page(200, peer=403),
    ),
    Row(
        "sponsor report of another organisation",
        "get",
        lambda w: (
            reverse("diffusion:sponsor_report", args=[w.programme.pk])
            + f"?organisation={w.other_organisation.pk}"
        ),
        page(200, peer=403, sponsor=404),
    ),
    Row(
        "sponsor report subscription",
        "post",
        lambda w: reverse("diffusion:sponsor_subscription", args=[w.programme.pk]),
        page(404, peer=403, sponsor=302),
        data=lambda w: {"membership": _sponsor_membership(w), "subscribed": "0"},
    ),
    Row(
        "sponsor report unsubscribe link",
        "get",
        _unsubscribe_url,
        everyone(200),
    ),
    Row(
        "sponsor report unsubscribe confirm",
        "post",
        _unsubscribe_url,
        everyone(200),
    ),
    Row(
        "sponsor report unsubscribe link altered",
        "get",
        lambda w: _unsubscribe_url(w)[:-3] + "xy/",
        everyone(404),
    ),
    # API
    Row(
        "api diffusion report-backs list",
        "get",
        lambda w: reverse("diffusion-report-back-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api diffusion report-back (own organisation)",
        "get",
        lambda w: reverse("diffusion-report-back-detail", args=[_report_back(w).pk]),
        api(200),
    ),
    Row(
        "api diffusion report-back (other organisation)",
        "get",
        lambda w: reverse("diffusion-report-back-detail", args=[_report_back(w, mine=False).pk]),
        api(200, peer=403, sponsor=403),
    ),
    Row(
        "api diffusion report-back create",
        "post",
        lambda w: reverse("diffusion-report-back-list"),
        api(403, peer=201, admin=201, outsider=400),
        data=lambda w: {
            "programme": w.programme.pk,
            "title": "Back home",
            "held_on": "2026-05-04",
            "audience": "Cash team",
            "audience_size": 5,
            "level": "unit",
            "attendee_emails": ["a@home.example.org"],
        },
        content_type=JSON,
    ),
    Row(
        "api diffusion plans list",
        "get",
        lambda w: reverse("diffusion-plan-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api diffusion plan (own organisation)",
        "get",
        lambda w: reverse("diffusion-plan-detail", args=[_plan(w).pk]),
        api(200),
    ),
    Row(
        "api diffusion plan (other organisation)",
        "get",
        lambda w: reverse("diffusion-plan-detail", args=[_plan(w, mine=False).pk]),
        api(200, peer=403, sponsor=403),
    ),
    Row(
        "api diffusion chapters list",
        "get",
        lambda w: reverse("diffusion-chapter-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api diffusion chapter",
        "get",
        lambda w: reverse("diffusion-chapter-detail", args=[_chapter(w).pk]),
        api(200),
    ),
    Row(
        "api diffusion chapter (other organisation)",
        "get",
        lambda w: reverse("diffusion-chapter-detail", args=[_chapter(w, mine=False).pk]),
        api(200, peer=403, sponsor=403),
    ),
    Row(
        "api diffusion pilots list",
        "get",
        lambda w: reverse("diffusion-pilot-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api diffusion pilot (other organisation)",
        "get",
        lambda w: reverse("diffusion-pilot-detail", args=[_pilot(w, mine=False).pk]),
        api(200, peer=403, sponsor=403),
    ),
    Row(
        "api diffusion stories list",
        "get",
        lambda w: reverse("diffusion-story-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api diffusion story (own organisation)",
        "get",
        lambda w: reverse("diffusion-story-detail", args=[_story(w).pk]),
        api(200),
    ),
    Row(
        "api diffusion story (other cohort and organisation)",
        "get",
        lambda w: reverse("diffusion-story-detail", args=[_story(w, mine=False).pk]),
        api(200, peer=404, sponsor=403),
    ),
    Row(
        "api diffusion story (other cohort, own organisation)",
        "get",
        lambda w: reverse("diffusion-story-detail", args=[_other_cohort_story(w).pk]),
        api(200, peer=404),
    ),
    Row(
        "api diffusion reach",
        "get",
        lambda w: reverse("diffusion-reach-detail", args=[w.programme.pk]),
        api(200),
    ),
]
