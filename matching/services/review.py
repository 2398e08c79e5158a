"""Writes for the review of a run and changes to its groups: the score of the groups as they
stand, moves (with their audit trail), locks, publication, peers' requests to move and the
facilitator's answers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from .. import engine, selectors
from ..issues import readable_issue
from ..models import Group, GroupMember, GroupMove, MatchingRun, MoveRequest
from .errors import MatchingError


def rescore(*, run: MatchingRun) -> engine.MatchingResult:
    """Score the run's current groups with the engine (every peer locked where they are)."""
    assignment = selectors.current_assignment(run)
    options = engine.Options.from_dict(run.options)
    constraints = engine.Constraints.from_dict(
        {**options.constraints.to_dict(), "locked": assignment, "keep_together": []}
    )
    scoring = engine.Options.from_dict(
        {
            **options.to_dict(),
            "constraints": constraints.to_dict(),
            "effort": 0,
            "group_count": None,
        }
    )
    peers = selectors.cohort_peers(run.cohort, user_ids=[int(pid) for pid in assignment])
    result = engine.run(peers, scoring)
    by_label = {g.label: g for g in result.groups}
    locked = set(
        str(pk) for pk in run.members.filter(locked=True).values_list("user_id", flat=True)
    )
    for group in run.groups.all():
        scored = by_label.get(group.label)
        if scored is None:
            group.score = 0.0
            group.normalised_score = 0.0
            group.explanation = {"reasons": [], "text": ""}
            group.shared_themes = {}
        else:
            group.score = scored.score
            group.normalised_score = scored.normalised_score
            explanation = engine.explain_group(
                [p for p in peers if p.id in scored.members],
                options,
                locked=[pid for pid in scored.members if pid in locked],
            )
            group.explanation = explanation.to_dict()
            group.shared_themes = {k: list(v) for k, v in scored.shared_themes.items()}
        group.save(update_fields=["score", "normalised_score", "explanation", "shared_themes"])
    report = result.report.to_dict()
    report["issues"] = [i for i in report["issues"] if i.get("constraint") != "locked"]
    run.score = result.score
    run.total = result.total
    run.report = report
    run.stats = {**(run.stats or {}), "isolated": list(result.isolated)}
    run.save(update_fields=["score", "total", "report", "stats"])
    return result


def record_move(
    *,
    run: MatchingRun,
    user_id: int,
    from_group: Group | None,
    to_group: Group | None,
    kind: str,
    reason: str,
    moved_by: User | None,
) -> GroupMove:
    return GroupMove.objects.create(
        run=run,
        user_id=user_id,
        from_group=from_group,
        to_group=to_group,
        from_label=from_group.label if from_group else "",
        to_label=to_group.label if to_group else "",
        kind=kind,
        reason=reason,
        moved_by=moved_by,
        after_publication=run.is_published,
    )


class MoveNeedsConfirmation(MatchingError):
    """The move breaks a rule of the run; it is made only when the facilitator confirms."""

    def __init__(self, check: engine.GroupingCheck) -> None:
        names = " ".join(readable_issue(issue.to_dict()) for issue in check.violations)
        super().__init__(
            _("This move breaks a rule of the run. %(problems)s Confirm to move anyway.")
            % {"problems": names}
        )
        self.check = check


def _scoring_options(run: MatchingRun, assignment: dict[str, str]) -> engine.Options:
    options = engine.Options.from_dict(run.options)
    constraints = engine.Constraints.from_dict(
        {**options.constraints.to_dict(), "locked": assignment, "keep_together": []}
    )
    return engine.Options.from_dict(
        {
            **options.to_dict(),
            "constraints": constraints.to_dict(),
            "effort": 0,
            "group_count": None,
        }
    )


def rescore_groups(*, run: MatchingRun, scope: selectors.GroupsInRun) -> None:
    """Score again only the groups of ``scope`` (after a move between them, or a peer leaving
    one), and update the run's total, its score and the violations of its constraint report
    about those groups. The work grows with the size of the groups, not of the cohort."""
    groups = scope.rows
    labels = [g.label for g in groups]
    assignment = {pid: label for label, members in scope.groups.items() for pid in members}
    locked = scope.locked
    options = engine.Options.from_dict(run.options)
    known = scope.peers
    peers = [p for p in known if p.id in assignment]
    by_label: dict[str, engine.Group] = {}
    if peers:
        by_label = {g.label: g for g in engine.run(peers, _scoring_options(run, assignment)).groups}
    before = sum(g.score for g in groups)
    for group in groups:
        scored = by_label.get(group.label)
        if scored is None:
            group.score = 0.0
            group.normalised_score = 0.0
            group.explanation = {"reasons": [], "text": ""}
            group.shared_themes = {}
        else:
            group.score = scored.score
            group.normalised_score = scored.normalised_score
            group.explanation = engine.explain_group(
                [p for p in peers if p.id in scored.members],
                options,
                locked=[pid for pid in scored.members if pid in locked],
            ).to_dict()
            group.shared_themes = {k: list(v) for k, v in scored.shared_themes.items()}
        group.save(update_fields=["score", "normalised_score", "explanation", "shared_themes"])
    after = sum(g.score for g in groups)
    if run.total is not None:
        bound = run.total / run.score if run.score else 0.0
        run.total = run.total - before + after
        run.score = run.total / bound if bound else run.score
    grouped = {
        g.label: [pid for pid, label in assignment.items() if label == g.label] for g in groups
    }
    report = dict(run.report or {})
    touched = set(labels)
    kept = [
        issue
        for issue in report.get("issues", [])
        if issue.get("kind") != "violation" or not set(issue.get("groups") or []) & touched
    ]
    fresh = [
        issue.to_dict()
        for issue in engine.check_groups(
            known, grouped, options, elsewhere=scope.elsewhere, triples=scope.triples
        )
        if issue.constraint not in ("assignment", "locked") and set(issue.groups) & touched
    ]
    report["issues"] = kept + fresh
    run.report = report
    isolated = set((run.stats or {}).get("isolated", [])) - set(assignment)
    for scored in by_label.values():
        isolated |= set(scored.isolated)
    run.stats = {**(run.stats or {}), "isolated": sorted(isolated)}
    run.save(update_fields=["score", "total", "report", "stats"])


@transaction.atomic
def move_peer(
    *,
    run: MatchingRun,
    user_id: int,
    to_group: Group,
    moved_by: User | None,
    reason: str = "",
    kind: str = GroupMove.Kind.REVIEW,
    confirmed: bool = False,
) -> GroupMember:
    """Move a peer to another group of the same run, record it in the audit trail, score the
    two groups again. A move that breaks a rule of the run (an organisation twice, no common
    language, a size out of bounds, ...) raises :class:`MoveNeedsConfirmation` unless
    ``confirmed``; a confirmed breach is written in the trail."""
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != MatchingRun.Status.DONE:
        raise MatchingError(_("The run has not finished yet."))
    if to_group.run_id != run.pk:
        raise MatchingError(_("That group belongs to another run."))
    member = run.members.select_related("group").filter(user_id=user_id).first()
    if member is None:
        raise MatchingError(_("This peer is not in any group of this run."))
    if member.group_id == to_group.pk:
        raise MatchingError(_("The peer is already in that group."))
    if member.locked:
        raise MatchingError(_("This peer is locked in their group. Unlock them first."))
    from_group = member.group
    options = engine.Options.from_dict(run.options)
    scope = selectors.groups_in_run(run, options, [to_group, from_group])
    check = selectors.move_check(run=run, user_id=user_id, to_group=to_group, scope=scope)
    if not check.ok and not confirmed:
        raise MoveNeedsConfirmation(check)
    member.group = to_group
    member.source = GroupMember.Source.MOVED
    member.save(update_fields=["group", "source"])
    if not check.ok:
        broken = " ".join(readable_issue(issue.to_dict()) for issue in check.violations)
        reason = " ".join(
            part
            for part in (reason, _("Confirmed although: %(rules)s") % {"rules": broken})
            if part
        )
    record_move(
        run=run,
        user_id=user_id,
        from_group=from_group,
        to_group=to_group,
        kind=kind,
        reason=reason,
        moved_by=moved_by,
    )
    rescore_groups(run=run, scope=scope.moved(user_id, to_group.label))
    return member


@transaction.atomic
def set_locked(*, member: GroupMember, locked: bool) -> GroupMember:
    member.locked = locked
    member.save(update_fields=["locked"])
    return member


@transaction.atomic
def request_move(
    *, run: MatchingRun, user: User, reason: str, wanted_group: Group | None = None
) -> MoveRequest:
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Please say why you would like to move."))
    member = run.members.select_related("group").filter(user=user).first()
    if member is None or not run.is_published:
        raise MatchingError(_("You have no published group to move from."))
    if wanted_group is not None and (
        wanted_group.run_id != run.pk or wanted_group.pk == member.group_id
    ):
        raise MatchingError(_("Choose another group of your cohort, or none."))
    already = MatchingError(_("You have already asked to move; your facilitator will answer."))
    if run.move_requests.filter(user=user, status=MoveRequest.Status.PENDING).exists():
        raise already
    try:
        with transaction.atomic():
            return MoveRequest.objects.create(
                run=run,
                user=user,
                from_group=member.group,
                wanted_group=wanted_group,
                reason=reason,
            )
    except IntegrityError:
        # The same request sent twice at once: the first one is kept.
        raise already from None


@transaction.atomic
def decide_move_request(
    *,
    move_request: MoveRequest,
    decided_by: User,
    approve: bool,
    to_group: Group | None = None,
    note: str = "",
    confirmed: bool = False,
) -> MoveRequest:
    move_request = MoveRequest.objects.select_for_update().get(pk=move_request.pk)
    if move_request.status != MoveRequest.Status.PENDING:
        raise MatchingError(_("This request has already been answered."))
    if approve:
        target = to_group or move_request.wanted_group
        if target is None:
            raise MatchingError(_("Choose the group the peer should move to."))
        move_peer(
            run=move_request.run,
            user_id=move_request.user_id,
            to_group=target,
            moved_by=decided_by,
            reason=move_request.reason,
            kind=GroupMove.Kind.REQUEST,
            confirmed=confirmed,
        )
        move_request.status = MoveRequest.Status.APPROVED
    else:
        move_request.status = MoveRequest.Status.DECLINED
    move_request.decided_by = decided_by
    move_request.decided_at = timezone.now()
    move_request.decision_note = note
    move_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return move_request
