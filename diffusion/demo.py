"""Demo data of diffusion, added to the demo programme by ``manage.py load_demo``.

Plans agreed with sponsors, report-backs whose attendees shared onward (a graph three levels
deep), a domestic chapter, a rapid-results pilot and an impact story. Safe to run again.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from programmes.selectors import all_memberships

from .models import (
    Chapter,
    ChapterMeeting,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Level,
    Pilot,
    PilotMilestone,
    PilotStep,
    PilotUpdate,
    PlannedActivity,
    Recipient,
    ReportBack,
)

if TYPE_CHECKING:
    from programmes.models import Programme


SESSIONS = [
    ("Commitment controls: what Moldova and Georgia taught us", Level.UNIT, 14),
    ("Treasury single account — lessons from the peer event", Level.ORGANISATION, 35),
    ("Cash forecasting with monthly profiles", Level.TEAM, 8),
    ("Arrears monitoring: a peer's dashboard", Level.UNIT, 12),
    ("Budget execution reports citizens can read", Level.SECTOR, 60),
    ("Payment approval in three steps, not nine", Level.TEAM, 6),
]
USES = [
    "The monthly cash profile template, starting with the two largest ministries.",
    "The checklist for commitment registration before contracts are signed.",
    "The one-page arrears report for the deputy minister.",
]


def _demo_email(report_back_index: int, path: str) -> str:
    return f"colleague{report_back_index + 1}.{path}@home.demo.peerlearn.org"


def _recipient(
    report_back: ReportBack, email: str, shared_by: Recipient | None, answered: bool, index: int
) -> Recipient:
    recipient, _created = Recipient.objects.get_or_create(
        report_back=report_back,
        email=email,
        defaults={
            "shared_by": shared_by,
            "depth": 1 if shared_by is None else shared_by.depth + 1,
            "link_sent_at": timezone.now(),
            "link_expires_at": timezone.now() + timedelta(days=30),
        },
    )
    if answered and recipient.answered_at is None:
        recipient.will_use = USES[index % len(USES)]
        recipient.answered_at = timezone.now()
        recipient.save(update_fields=["will_use", "answered_at"])
    return recipient


@transaction.atomic
def extend_demo(programme: Programme) -> None:
    """Add this app's demo data to ``programme``. Must be safe to run any number of times."""
    peers = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    if not peers:
        return
    sponsor = (
        all_memberships()
        .filter(programme=programme, role=Role.SPONSOR)
        .select_related("user")
        .first()
    )
    start = programme.starts_on or date(2026, 3, 2)

    # Diffusion plans for the first dozen peers; the sponsor's organisation's are confirmed.
    for index, membership in enumerate(peers[:12]):
        plan, created = DiffusionPlan.objects.get_or_create(
            programme=programme,
            peer=membership.user,
            defaults={
                "organisation": membership.organisation,
                "goal": "Bring the peers' commitment-control practice into our treasury.",
                "status": DiffusionPlan.Status.PROPOSED,
            },
        )
        if created:
            PlannedActivity.objects.create(
                plan=plan,
                audience="Treasury department heads",
                planned_on=start + timedelta(days=30 + index),
                format=PlannedActivity.Format.BRIEFING,
                level=Level.UNIT,
            )
            PlannedActivity.objects.create(
                plan=plan,
                audience="Budget execution team",
                planned_on=start + timedelta(days=60 + index),
                format=PlannedActivity.Format.WORKSHOP,
                level=Level.TEAM,
            )
            if (
                sponsor is not None
                and membership.organisation_id is not None
                and membership.organisation_id == sponsor.organisation_id
            ):
                plan.status = DiffusionPlan.Status.CONFIRMED
                plan.time_and_means = "Half a day a month of the team's time and a meeting room."
                plan.confirmed_by = sponsor.user
                plan.confirmed_at = timezone.now()
                plan.save()

    # Report-backs of the first six peers; attendees share onward, three levels deep.
    for index, (title, level, size) in enumerate(SESSIONS):
        membership = peers[index % len(peers)]
        report_back, _created = ReportBack.objects.get_or_create(
            programme=programme,
            peer=membership.user,
            title=title,
            defaults={
                "organisation": membership.organisation,
                "held_on": start + timedelta(days=21 + 7 * index),
                "audience": "Colleagues at home",
                "audience_size": size,
                "level": level,
                "lessons": "What our peers did differently, and what we could try first.",
                "lessons_visible_to_sponsor": index % 2 == 0,
            },
        )
        first = [
            _recipient(report_back, _demo_email(index, f"a{n}"), None, n < 2, n) for n in range(3)
        ]
        if index < 3:
            second = [
                _recipient(report_back, _demo_email(index, f"a0b{n}"), first[0], n == 0, n)
                for n in range(2)
            ]
            _recipient(report_back, _demo_email(index, "a0b0c0"), second[0], False, 0)
            _recipient(report_back, _demo_email(index, "a1b0"), first[1], False, 1)

    # A domestic chapter launched by a peer, with members and meetings.
    founder = peers[min(18, len(peers) - 1)]
    country = founder.organisation.country if founder.organisation else "GH"
    chapter, created = Chapter.objects.get_or_create(
        programme=programme,
        name=f"Budget Execution Community — {country}",
        defaults={
            "country": country,
            "founded_by": founder.user,
            "organisation": founder.organisation,
            "launched_on": start + timedelta(days=75),
            "purpose": "Officials of line ministries and agencies who execute budgets.",
        },
    )
    if created:
        for n, (name, organisation) in enumerate(
            [
                ("Abena Owusu", "Ministry of Health"),
                ("Kojo Asante", "Ministry of Education"),
                ("Efua Boateng", "Controller and Accountant-General's Department"),
                ("Yaw Darko", "Ghana Revenue Authority"),
            ]
        ):
            ChapterMember.objects.create(
                chapter=chapter,
                full_name=name,
                email=f"chapter{n + 1}@home.demo.peerlearn.org",
                organisation=organisation,
                joined_on=start + timedelta(days=75 + n),
            )
        ChapterMeeting.objects.create(
            chapter=chapter,
            held_on=start + timedelta(days=90),
            topic="Launch: commitment controls in line ministries",
            attendance=18,
        )

    # A rapid-results pilot led by the first peer.
    lead = peers[0]
    # running now: started some weeks ago, so it has days left in the demo
    pilot_start = max(start + timedelta(days=45), timezone.localdate() - timedelta(days=40))
    pilot, created = Pilot.objects.get_or_create(
        programme=programme,
        lead=lead.user,
        title="Weekly cash forecast in two ministries",
        defaults={
            "organisation": lead.organisation,
            "goal": "Forecast errors below 10% in the ministries of health and education.",
            "starts_on": pilot_start,
            "ends_on": Pilot.default_end(pilot_start),
            "status": Pilot.Status.ON_TRACK,
        },
    )
    if created:
        for position, (kind, text) in enumerate(
            [
                (PilotStep.Kind.INPUT, "Two analysts, the peers' forecasting template"),
                (PilotStep.Kind.ACTIVITY, "Weekly forecast meeting with both ministries"),
                (PilotStep.Kind.OUTPUT, "A weekly forecast sent every Monday"),
                (PilotStep.Kind.OUTCOME, "Idle balances fall; fewer emergency releases"),
            ],
            start=1,
        ):
            PilotStep.objects.create(pilot=pilot, kind=kind, description=text, position=position)
        PilotMilestone.objects.create(
            pilot=pilot,
            title="Template adapted",
            due_on=pilot_start + timedelta(days=14),
            reached_on=pilot_start + timedelta(days=12),
        )
        PilotMilestone.objects.create(
            pilot=pilot,
            title="Eight weekly forecasts sent",
            due_on=pilot_start + timedelta(days=70),
        )
        PilotUpdate.objects.create(
            pilot=pilot,
            author=lead.user,
            text="Both ministries joined the first meeting; the template works as is.",
            status=Pilot.Status.ON_TRACK,
        )

    # An impact story that followed.
    story, created = ImpactStory.objects.get_or_create(
        programme=programme,
        title="Commitment controls written into the budget execution regulation",
        defaults={
            "kind": ImpactStory.Kind.POLICY,
            "description": (
                "After the report-backs and the pilot, the ministry amended its budget "
                "execution regulation to require commitment registration before contracts."
            ),
            "happened_on": min(start + timedelta(days=160), timezone.localdate()),
            "organisation": lead.organisation,
            "evidence": "Ministerial order on budget execution, article 12 (amended).",
        },
    )
    if created:
        story.peers.set([lead.user, peers[min(1, len(peers) - 1)].user])
        story.pilots.set([pilot])
