"""Demo data of group life: ten days of work in every published group of the demo programme.

Each group drafts and distils its problem statement, meets daily, logs contacts and
reflections and fills its Blind Side board; most groups submit an end product, some are
scored and some show their progress on the board; one pair plans a reciprocal site visit.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from matching import selectors as matching
from peerlearn.visibility import Visibility
from programmes import services as programme_services

from . import services
from .models import (
    BlindSideNote,
    EndProduct,
    GroupMeeting,
    MeetingSlot,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
)

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme

DAYS = 10
DRAFTS = [
    "Spending units commit funds before the treasury releases cash, so arrears build up.",
    "Spending units commit funds before cash is released because commitment controls are not "
    "linked to the cash plan; arrears build up and suppliers raise prices.",
]
NOTES = {
    BlindSideNote.Quadrant.KNOW_WE_KNOW: "Our cash plans are updated monthly",
    BlindSideNote.Quadrant.KNOW_WE_DONT: "How other treasuries record multi-year commitments",
    BlindSideNote.Quadrant.DONT_KNOW_WE_KNOW: "Two of us already run a commitment register",
    BlindSideNote.Quadrant.DONT_KNOW_WE_DONT: "What suppliers price in because of late payment",
}
LEARNED = [
    "A commitment register only works when the IT system blocks orders above the quota.",
    "Publishing the arrears stock every quarter created pressure to clear it.",
    "Asking suppliers about payment delays gave us data we did not have.",
    "Start the cash plan from the procurement plan, not from last year's outturn.",
]


def _story(group: Group, programme: Programme, rng: random.Random, index: int) -> None:
    members = [m.user for m in group.members.select_related("user")]
    if len(members) < 2 or group.problem_drafts.exists():
        return
    today = timezone.localdate()
    start = today - timedelta(days=DAYS)
    for draft_index, text in enumerate(DRAFTS):
        draft = services.add_problem_draft(
            group=group, author=members[draft_index % len(members)], text=f"{group.label}: {text}"
        )
        ProblemDraft.objects.filter(pk=draft.pk).update(
            created_at=timezone.make_aware(
                datetime.combine(start + timedelta(days=draft_index * 3 + 1), time(10))
            )
        )
    if index % 4 != 3:
        services.mark_distilled(group=group, draft=draft, by=members[0])
    MeetingSlot.objects.create(
        group=group,
        every=MeetingSlot.Every.DAY,
        time=time(9, 0),
        duration_minutes=45,
        starts_on=start,
        location="Online",
        created_by=members[0],
    )
    for day in range(DAYS):
        held_on = start + timedelta(days=day)
        if held_on.weekday() < 5:
            GroupMeeting.objects.get_or_create(
                group=group,
                held_on=held_on,
                defaults={"notes": "Daily group meeting", "logged_by": members[day % len(members)]},
            )
        first, second = rng.sample(members, 2)
        contact = programme_services.log_contact(
            programme=programme,
            logged_by=first,
            with_user=second,
            occurred_on=held_on,
            channel="online",
            topic="Our shared problem",
        )
        programme_services.confirm_contact(contact=contact, user=second)
    for quadrant, text in NOTES.items():
        BlindSideNote.objects.create(group=group, quadrant=quadrant, text=text, author=members[0])
    prompt = ReflectionPrompt.objects.create(
        group=group,
        question="What did you learn from a peer this week that you will try at home?",
        due_on=today + timedelta(days=2),
    )
    visibilities = [Visibility.GROUP, Visibility.FACILITATORS, Visibility.PRIVATE]
    for number, member in enumerate(members[:3]):
        ReflectionEntry.objects.create(
            programme=programme,
            author=member,
            group=group,
            peer=members[(number + 1) % len(members)],
            prompt=prompt if number == 0 else None,
            learned=LEARNED[(index + number) % len(LEARNED)],
            from_whom=str(members[(number + 1) % len(members)]),
            will_act="Propose it to my director next month.",
            visibility=visibilities[number % len(visibilities)],
        )
    if index % 3 != 2:
        product = EndProduct.objects.create(
            group=group,
            title=f"Commitment control roadmap — group {group.label}",
            text="1. Link quotas to the cash plan. 2. Register multi-year commitments. "
            "3. Publish the arrears stock quarterly.",
            submitted_by=members[0],
            submitted_at=timezone.now() - timedelta(days=1),
        )
        if index % 2 == 0:
            product.new_ideas, product.different_experiences, product.peer_interaction = 3, 4, 3
            product.rubric_note = "Strong use of each member's country experience."
            product.scored_at = timezone.now()
            product.save()
    if index % 2 == 0:
        services.set_progress_board(group=group, shown=True)


def _pair(programme: Programme, groups: list[Group]) -> None:
    if PairRequest.objects.filter(programme=programme).exists() or not groups:
        return
    members = [m.user for m in groups[0].members.select_related("user")]
    if len(members) < 2:
        return
    pair = PairRequest.objects.create(
        programme=programme,
        requested_by=members[0],
        requested_of=members[1],
        purpose="To see how your treasury runs its commitment register.",
    )
    services.answer_pair(pair=pair, accept=True)
    start = timezone.now() + timedelta(days=14)
    services.plan_visit(
        pair=pair,
        by=members[0],
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        location="State Treasury",
        reciprocal=True,
        learning_agenda="How quotas are set; who can override them; how arrears are reported.",
    )


@transaction.atomic
def extend_demo(programme: Programme) -> None:
    """Add ten days of group life to ``programme``. Safe to run any number of times."""
    rng = random.Random(programme.pk)
    groups = list(matching.published_groups(programme))
    for index, group in enumerate(groups):
        _story(group, programme, rng, index)
    _pair(programme, groups)
