"""Diffusion's part of the demo programme of any size (``manage.py load_demo --peers N``).

In the proportions of the hand-written demo (``diffusion.demo``): diffusion plans of one peer in
five (a third confirmed by their organisation's sponsor), report-backs of one peer in nine whose
attendees answer and share onward up to three levels deep, a domestic chapter per 500 peers, a
rapid-results pilot and an impact story per 250 peers. Every date is in the past.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from programmes.selectors import all_memberships

from .demo import SESSIONS, USES
from .models import (
    Chapter,
    ChapterMeeting,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Pilot,
    PilotMilestone,
    PilotStep,
    PilotUpdate,
    PlannedActivity,
    Recipient,
    ReportBack,
)

if TYPE_CHECKING:
    from programmes.models import Membership, Programme

BATCH = 5000


@transaction.atomic
def extend_bulk_demo(programme: Programme) -> None:
    rng = random.Random(4)
    peers = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    if not peers:
        return
    sponsors = {
        m.organisation_id: m.user_id
        for m in all_memberships().filter(programme=programme, role=Role.SPONSOR).order_by("-pk")
    }
    start = programme.starts_on or date(2026, 3, 2)
    today = timezone.localdate()
    _plans(programme, peers[::5], sponsors, start)
    _report_backs(programme, peers[::9], start, today, rng)
    _chapters(programme, peers[18::500], start, today)
    _pilots_and_stories(programme, peers[::250], start, today)


def _plans(
    programme: Programme, peers: list[Membership], sponsors: dict[int | None, int], start: date
) -> None:
    now = timezone.now()
    plans = []
    for index, membership in enumerate(peers):
        sponsor = sponsors.get(membership.organisation_id)
        confirmed = sponsor is not None and index % 3 == 0
        plans.append(
            DiffusionPlan(
                programme=programme,
                peer_id=membership.user_id,
                organisation_id=membership.organisation_id,
                goal="Bring the peers' commitment-control practice into our treasury.",
                status=(
                    DiffusionPlan.Status.CONFIRMED if confirmed else DiffusionPlan.Status.PROPOSED
                ),
                time_and_means=(
                    "Half a day a month of the team's time and a meeting room." if confirmed else ""
                ),
                confirmed_by_id=sponsor if confirmed else None,
                confirmed_at=now - timedelta(days=10) if confirmed else None,
                proposed_at=now - timedelta(days=20),
            )
        )
    created = DiffusionPlan.objects.bulk_create(plans, batch_size=BATCH)
    PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(
                plan=plan,
                audience=audience,
                planned_on=start + timedelta(days=days + index % 30),
                format=kind,
                level=level,
            )
            for index, plan in enumerate(created)
            for audience, days, kind, level in (
                ("Treasury department heads", 30, PlannedActivity.Format.BRIEFING, "unit"),
                ("Budget execution team", 60, PlannedActivity.Format.WORKSHOP, "team"),
            )
        ],
        batch_size=BATCH,
    )


def _report_backs(
    programme: Programme, peers: list[Membership], start: date, today: date, rng: random.Random
) -> None:
    now = timezone.now()
    span = max(1, (today - start).days - 21)
    report_backs = ReportBack.objects.bulk_create(
        [
            ReportBack(
                programme=programme,
                peer_id=membership.user_id,
                organisation_id=membership.organisation_id,
                title=SESSIONS[index % len(SESSIONS)][0],
                held_on=start + timedelta(days=21 + (index * 7) % span),
                audience="Colleagues at home",
                audience_size=SESSIONS[index % len(SESSIONS)][2],
                level=SESSIONS[index % len(SESSIONS)][1],
                lessons="What our peers did differently, and what we could try first.",
                lessons_visible_to_sponsor=index % 2 == 0,
            )
            for index, membership in enumerate(peers)
        ],
        batch_size=BATCH,
    )

    def recipient(report_back: ReportBack, path: str, shared_by: Recipient | None) -> Recipient:
        answered = rng.random() < 0.5
        return Recipient(
            report_back=report_back,
            shared_by=shared_by,
            email=f"colleague.{report_back.pk}.{path}@home.demo.peerlearn.org",
            depth=1 if shared_by is None else shared_by.depth + 1,
            link_sent_at=now - timedelta(days=20),
            link_expires_at=now + timedelta(days=10),
            will_use=USES[len(path) % len(USES)] if answered else "",
            answered_at=now - timedelta(days=15) if answered else None,
        )

    first = Recipient.objects.bulk_create(
        [recipient(rb, f"a{n}", None) for rb in report_backs for n in range(3)],
        batch_size=BATCH,
    )
    second = Recipient.objects.bulk_create(
        [
            recipient(r.report_back, f"a{n}b{m}", r)
            for n, r in enumerate(first[::6])
            for m in (0, 1)
        ],
        batch_size=BATCH,
    )
    Recipient.objects.bulk_create(
        [recipient(r.report_back, f"b{n}c0", r) for n, r in enumerate(second[::2])],
        batch_size=BATCH,
    )


def _chapters(programme: Programme, founders: list[Membership], start: date, today: date) -> None:
    for index, founder in enumerate(founders):
        country = founder.organisation.country if founder.organisation else "GH"
        chapter = Chapter.objects.create(
            programme=programme,
            name=f"Budget Execution Community — {country} {index + 1}",
            country=country,
            founded_by_id=founder.user_id,
            organisation_id=founder.organisation_id,
            launched_on=min(today, start + timedelta(days=75)),
            purpose="Officials of line ministries and agencies who execute budgets.",
        )
        ChapterMember.objects.bulk_create(
            [
                ChapterMember(
                    chapter=chapter,
                    full_name=f"Chapter member {n + 1}",
                    email=f"chapter{chapter.pk}.{n + 1}@home.demo.peerlearn.org",
                    organisation="Ministry of Health",
                    joined_on=min(today, start + timedelta(days=75 + n)),
                )
                for n in range(8)
            ]
        )
        ChapterMeeting.objects.create(
            chapter=chapter,
            held_on=min(today, start + timedelta(days=90)),
            topic="Launch: commitment controls in line ministries",
            attendance=18,
        )


def _pilots_and_stories(
    programme: Programme, leads: list[Membership], start: date, today: date
) -> None:
    for index, lead in enumerate(leads):
        pilot_start = max(start + timedelta(days=45), today - timedelta(days=40 + index % 30))
        pilot = Pilot.objects.create(
            programme=programme,
            lead_id=lead.user_id,
            organisation_id=lead.organisation_id,
            title="Weekly cash forecast in two ministries",
            goal="Forecast errors below 10% in the ministries of health and education.",
            starts_on=pilot_start,
            ends_on=Pilot.default_end(pilot_start),
            status=Pilot.Status.ON_TRACK,
        )
        PilotStep.objects.bulk_create(
            [
                PilotStep(pilot=pilot, kind=kind, description=text, position=position)
                for position, (kind, text) in enumerate(
                    [
                        (PilotStep.Kind.INPUT, "Two analysts, the peers' forecasting template"),
                        (PilotStep.Kind.ACTIVITY, "Weekly forecast meeting with both ministries"),
                        (PilotStep.Kind.OUTPUT, "A weekly forecast sent every Monday"),
                        (PilotStep.Kind.OUTCOME, "Idle balances fall; fewer emergency releases"),
                    ],
                    start=1,
                )
            ]
        )
        PilotMilestone.objects.create(
            pilot=pilot,
            title="Template adapted",
            due_on=pilot_start + timedelta(days=14),
            reached_on=min(today, pilot_start + timedelta(days=12)),
        )
        PilotUpdate.objects.create(
            pilot=pilot,
            author_id=lead.user_id,
            text="Both ministries joined the first meeting; the template works as is.",
            status=Pilot.Status.ON_TRACK,
        )
        story = ImpactStory.objects.create(
            programme=programme,
            title="Commitment controls written into the budget execution regulation",
            kind=ImpactStory.Kind.POLICY,
            description=(
                "After the report-backs and the pilot, the ministry amended its budget "
                "execution regulation to require commitment registration before contracts."
            ),
            happened_on=min(start + timedelta(days=160), today),
            organisation_id=lead.organisation_id,
            evidence="Ministerial order on budget execution, article 12 (amended).",
        )
        story.peers.set([lead.user_id])
        story.pilots.set([pilot])
