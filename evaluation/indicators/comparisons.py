"""Comparisons: matching strategies side by side, and participants against the comparison group."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from matching.selectors import all_group_members

from ..models import Answer, ComparisonInvitee, Cycle, Item, Response
from .facts import Facts, reporting, share_of

if TYPE_CHECKING:
    from programmes.models import Programme


def strategy_comparison(programme: Programme, facts: Facts) -> list[dict[str, Any]] | None:
    """Continuing engagement and value by matching strategy, or ``None`` when the programme has
    no published matching run to compare."""
    members = list(
        all_group_members()
        .filter(run__cohort__programme=programme, run__published_at__isnull=False)
        .values_list("run__strategy", "user_id")
    )
    if not members:
        return None
    by_strategy: dict[str, set[int]] = defaultdict(set)
    for strategy, user_id in members:
        by_strategy[str(strategy)].add(user_id)
    engagement = dict(
        Answer.objects.filter(
            response__wave__programme=programme,
            response__status=Response.Status.SUBMITTED,
            item__indicator="continue_engaging",
        ).values_list("response__respondent_id", "number")
    )
    learning = reporting(facts, Cycle.POTENTIAL)
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    rows = []
    for strategy, people in sorted(by_strategy.items()):
        scores = [float(score) for p in people if (score := engagement.get(p)) is not None]
        rows.append(
            {
                "strategy": strategy,
                "peers": len(people),
                "engagement": sum(scores) / len(scores) if scores else None,
                "engagement_answers": len(scores),
                "learning": share_of(len(people & learning), len(people)),
                "value": share_of(len(people & value), len(people)),
            }
        )
    return rows


def comparison_table(programme: Programme) -> list[dict[str, Any]]:
    """Participants and comparison group side by side, for every single-choice question of the
    waves that invited a comparison group: per option, the count and share in each group."""

    invitees = list(
        ComparisonInvitee.objects.filter(
            wave__programme=programme, submitted_at__isnull=False
        ).values_list("wave_id", "answers")
    )
    if not invitees:
        return []
    wave_ids = sorted({wave_id for wave_id, _answers in invitees})
    items = list(
        Item.objects.filter(instrument__waves__in=wave_ids, kind=Item.Kind.SINGLE)
        .distinct()
        .order_by("instrument_id", "position")
    )
    participant_counts: dict[tuple[int, str], int] = defaultdict(int)
    participant_totals: dict[int, int] = defaultdict(int)
    for item_id, choice, n in (
        Answer.objects.filter(
            response__wave_id__in=wave_ids,
            response__status=Response.Status.SUBMITTED,
            item__in=items,
        )
        .values("item_id", "choice")
        .annotate(n=Count("pk"))
        .values_list("item_id", "choice", "n")
        .order_by()
    ):
        participant_counts[(item_id, choice)] += n
        participant_totals[item_id] += n
    rows = []
    for item in items:
        chosen = [
            answers.get(item.code, {}).get("choice", "")
            for _wave, answers in invitees
            if answers.get(item.code, {}).get("choice")
        ]
        options = []
        for value, label in item.options():
            peers_n = participant_counts.get((item.pk, value), 0)
            others_n = chosen.count(value)
            options.append(
                {
                    "label": label,
                    "participants": peers_n,
                    "participants_share": share_of(peers_n, participant_totals.get(item.pk, 0)),
                    "comparison": others_n,
                    "comparison_share": share_of(others_n, len(chosen)),
                }
            )
        rows.append(
            {
                "question": item.question,
                "options": options,
                "participants": participant_totals.get(item.pk, 0),
                "comparison": len(chosen),
            }
        )
    return rows
