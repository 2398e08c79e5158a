"""Writes for published groups as people come and go: late joiners placed by the nightly job
without moving anyone else, and peers who leave their group."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from .. import engine, selectors
from ..models import Group, GroupMember, GroupMove, MatchingRun
from .errors import MatchingError
from .review import record_move, rescore, rescore_groups


def place_late_joiners(*, run_id: int) -> dict[str, Any]:
    """Place peers who completed intake after publication into the published groups.

    Nobody already placed moves (the engine keeps every existing member where they are). New
    groups are opened only when the engine opens them. Idempotent: placed peers are skipped.
    """
    with transaction.atomic():
        run = (
            MatchingRun.objects.select_for_update()
            .select_related("cohort")
            .filter(pk=run_id, published_at__isnull=False)
            .first()
        )
        if run is None:
            return {"placed": 0, "unplaced": []}
        waiting = list(selectors.unplaced_done_peers(run).values_list("user_id", flat=True))
        if not waiting:
            run.last_placement_at = timezone.now()
            run.save(update_fields=["last_placement_at"])
            return {"placed": 0, "unplaced": []}
        assignment = selectors.current_assignment(run)
        everyone = selectors.cohort_peers(run.cohort, user_ids=[*map(int, assignment), *waiting])
        by_id = {p.id: p for p in everyone}
        existing: dict[str, list[engine.Peer]] = {g.label: [] for g in run.groups.all()}
        for pid, label in assignment.items():
            if pid in by_id:
                existing[label].append(by_id[pid])
        new_peers = [by_id[str(uid)] for uid in waiting if str(uid) in by_id]
        options = engine.Options.from_dict(run.options)
        result = engine.place_late_joiners(existing, new_peers, options)
        groups = {g.label: g for g in run.groups.all()}
        for label in result.new_groups:
            groups[label] = Group.objects.create(run=run, label=label)
        for pid, label in result.placements.items():
            group = groups[label]
            GroupMember.objects.create(
                run=run, group=group, user_id=int(pid), source=GroupMember.Source.LATE_JOINER
            )
            record_move(
                run=run,
                user_id=int(pid),
                from_group=None,
                to_group=group,
                kind=GroupMove.Kind.LATE_JOINER,
                reason=_("Completed intake after the groups were published."),
                moved_by=None,
            )
        run.last_placement_at = timezone.now()
        run.save(update_fields=["last_placement_at"])
        if result.placements:
            rescore(run=run)
    return {
        "placed": len(result.placements),
        "unplaced": [u.to_dict() for u in result.unplaced],
    }


def place_all_late_joiners() -> int:
    """The nightly job: place late joiners in every published run. Returns how many were
    placed (each run in its own transaction, so one run's trouble does not undo the others)."""
    runs = MatchingRun.objects.filter(published_at__isnull=False).values_list("pk", flat=True)
    return sum(int(place_late_joiners(run_id=run_id)["placed"]) for run_id in runs)


@transaction.atomic
def remove_from_group(*, member: GroupMember, removed_by: User | None, reason: str) -> Group:
    """A peer leaves their group (for example, they left their post). Recorded in the trail;
    the group left is scored again, and the report's issues about it."""
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Please give the reason the peer leaves the group."))
    # Changes to the run's groups are made one at a time (see ``move_peer``).
    run = MatchingRun.objects.select_for_update().get(pk=member.run_id)
    current = GroupMember.objects.select_related("group").filter(pk=member.pk).first()
    if current is None:
        raise MatchingError(_("This peer is not in any group of this run."))
    member, group = current, current.group
    member.delete()
    record_move(
        run=run,
        user_id=member.user_id,
        from_group=group,
        to_group=None,
        kind=GroupMove.Kind.LEFT,
        reason=reason,
        moved_by=removed_by,
    )
    options = engine.Options.from_dict(run.options)
    rescore_groups(run=run, scope=selectors.groups_in_run(run, options, [group]))
    return group
