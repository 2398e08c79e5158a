"""Group life's part of the demo programme of any size (``manage.py load_demo --peers N``).

Every published group gets the story of the hand-written demo (``group_life.demo``), written in
bulk: two drafts of its problem statement (three in four groups distilled), a daily meeting slot
and the meetings of the last ten working days, a contact a day between two members, the Blind
Side board, a reflection prompt and journal entries of about half the members, an end product
in two groups of three (half of them scored), and the progress board in every other group.
One peer in fifty asks another to pair; most pairs are accepted and a few plan a site visit.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from matching import selectors as matching
from peerlearn.visibility import Visibility
from programmes import services as programme_services

from . import services
from .demo import DAYS, DRAFTS, LEARNED, NOTES
from .models import (
    BlindSideNote,
    EndProduct,
    GroupMeeting,
    GroupWorkspace,
    MeetingSlot,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
)

if TYPE_CHECKING:
    from programmes.models import Programme

BATCH = 5000
VISIBILITIES = [Visibility.GROUP, Visibility.FACILITATORS, Visibility.PRIVATE]
QUESTION = "What did you learn from a peer this week that you will try at home?"


@transaction.atomic
def extend_bulk_demo(programme: Programme) -> None:
    rng = random.Random(programme.pk)
    now = timezone.now()
    today = timezone.localdate()
    start = today - timedelta(days=DAYS)
    groups = [
        (group, [m.user_id for m in group.members.all()])
        for group in matching.published_groups(programme)
    ]
    groups = [(group, members) for group, members in groups if len(members) >= 2]
    drafts: list[ProblemDraft] = []
    slots, meetings, notes, prompts, products = [], [], [], [], []
    contacts: list[tuple[int, int, Any, str, str, bool]] = []
    for index, (group, members) in enumerate(groups):
        for number, text in enumerate(DRAFTS):
            drafts.append(
                ProblemDraft(group=group, author_id=members[number % len(members)], text=text)
            )
        slots.append(
            MeetingSlot(
                group=group,
                every=MeetingSlot.Every.DAY,
                time=time(9, 0),
                duration_minutes=45,
                starts_on=start,
                location="Online",
                created_by_id=members[0],
            )
        )
        for day in range(DAYS):
            held_on = start + timedelta(days=day)
            if held_on.weekday() < 5:
                meetings.append(
                    GroupMeeting(
                        group=group,
                        held_on=held_on,
                        notes="Daily group meeting",
                        logged_by_id=members[day % len(members)],
                    )
                )
            first, second = rng.sample(members, 2)
            contacts.append((first, second, held_on, "online", "Our shared problem", True))
        for quadrant, text in NOTES.items():
            notes.append(
                BlindSideNote(group=group, quadrant=quadrant, text=text, author_id=members[0])
            )
        prompts.append(
            ReflectionPrompt(group=group, question=QUESTION, due_on=today + timedelta(days=2))
        )
        if index % 3 != 2:
            scored = index % 2 == 0
            products.append(
                EndProduct(
                    group=group,
                    title=f"Commitment control roadmap — group {group.label}",
                    text="1. Link quotas to the cash plan. 2. Register multi-year commitments. "
                    "3. Publish the arrears stock quarterly.",
                    submitted_by_id=members[0],
                    submitted_at=now - timedelta(days=1),
                    new_ideas=3 if scored else None,
                    different_experiences=4 if scored else None,
                    peer_interaction=3 if scored else None,
                    rubric_note="Strong use of each member's country experience." if scored else "",
                    scored_at=now - timedelta(hours=2) if scored else None,
                )
            )
    created_drafts = ProblemDraft.objects.bulk_create(drafts, batch_size=BATCH)
    # Drafts are dated a few days apart, in the past.
    for number, draft in enumerate(created_drafts):
        draft.created_at = timezone.make_aware(
            datetime.combine(start + timedelta(days=(number % 2) * 3 + 1), time(10))
        )
    ProblemDraft.objects.bulk_update(created_drafts, ["created_at"], batch_size=BATCH)
    GroupWorkspace.objects.bulk_create(
        [
            GroupWorkspace(
                group=group,
                distilled=created_drafts[2 * index + 1] if index % 4 != 3 else None,
                distilled_at=now - timedelta(days=3) if index % 4 != 3 else None,
                distilled_by_id=members[0] if index % 4 != 3 else None,
                on_progress_board=index % 2 == 0,
            )
            for index, (group, members) in enumerate(groups)
        ],
        batch_size=BATCH,
    )
    MeetingSlot.objects.bulk_create(slots, batch_size=BATCH)
    GroupMeeting.objects.bulk_create(meetings, batch_size=BATCH)
    BlindSideNote.objects.bulk_create(notes, batch_size=BATCH)
    EndProduct.objects.bulk_create(products, batch_size=BATCH)
    created_prompts = ReflectionPrompt.objects.bulk_create(prompts, batch_size=BATCH)
    programme_services.log_contacts_in_bulk(programme=programme, contacts=contacts)
    _journal(programme, groups, created_prompts, rng)
    _pairs(programme, groups, rng)


def _journal(
    programme: Programme,
    groups: list[tuple[Any, list[int]]],
    prompts: list[ReflectionPrompt],
    rng: random.Random,
) -> None:
    """About half of every group's members write an entry (the first answers the prompt), with
    each visibility in turn."""
    entries = []
    for index, ((group, members), prompt) in enumerate(zip(groups, prompts, strict=True)):
        for number, member in enumerate(members):
            if number > 0 and rng.random() < 0.5:
                continue
            peer = members[(number + 1) % len(members)]
            entries.append(
                ReflectionEntry(
                    programme=programme,
                    author_id=member,
                    group=group,
                    peer_id=peer,
                    prompt=prompt if number == 0 else None,
                    learned=LEARNED[(index + number) % len(LEARNED)],
                    from_whom="A peer of my group",
                    will_act="Propose it to my director next month.",
                    visibility=VISIBILITIES[(index + number) % len(VISIBILITIES)],
                )
            )
    ReflectionEntry.objects.bulk_create(entries, batch_size=BATCH)


def _pairs(programme: Programme, groups: list[tuple[Any, list[int]]], rng: random.Random) -> None:
    """One peer in fifty asks someone of another group to pair; four in five are accepted, and
    one pair in ten plans a reciprocal site visit (through the service, as a site visit)."""
    people = [member for _group, members in groups for member in members]
    if len(people) < 2:
        return
    now = timezone.now()
    pairs = []
    asked = rng.sample(people, max(1, len(people) // 50))
    for number, requester in enumerate(asked):
        other = people[(people.index(requester) + 7) % len(people)]
        if other == requester:
            continue
        accepted = number % 5 != 4
        pairs.append(
            PairRequest(
                programme=programme,
                requested_by_id=requester,
                requested_of_id=other,
                purpose="To see how your treasury runs its commitment register.",
                status=PairRequest.Status.ACCEPTED if accepted else PairRequest.Status.PENDING,
                decided_at=now - timedelta(days=5) if accepted else None,
            )
        )
    created = PairRequest.objects.bulk_create(pairs)
    for pair in [p for p in created if p.is_accepted][::10]:
        begins = now + timedelta(days=14)
        services.plan_visit(
            pair=PairRequest.objects.select_related("requested_by", "requested_of").get(pk=pair.pk),
            by=pair.requested_by,
            starts_at=begins,
            ends_at=begins + timedelta(hours=6),
            location="State Treasury",
            reciprocal=True,
            learning_agenda="How quotas are set; who can override them; how arrears are reported.",
        )
