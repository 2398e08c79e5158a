"""Writes for matching: intake, problem themes, matching runs, review, publication and moves.

The grouping itself is done by the pure-Python engine in ``matching.engine``; this module turns
the database into engine peers (``peer_for``) and stores what the engine returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.errors import ServiceError
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.selectors import all_memberships

from . import engine, selectors
from .models import (
    CHALLENGE_MAX_LENGTH,
    MIN_CHALLENGES,
    CareerLevel,
    Challenge,
    Education,
    Group,
    GroupMember,
    GroupMove,
    IntakeResponse,
    IntakeSurvey,
    MatchingRun,
    MoveRequest,
    Seniority,
    Theme,
)
from .themes import TfidfEmbedder, cosine, propose_themes

if TYPE_CHECKING:
    from programmes.models import Cohort, Membership


DRAFT_TEXT_LIMIT = 2000
REMINDER_INTERVAL = timedelta(hours=20)


class MatchingError(ServiceError):
    """A matching action cannot be done; the message says why in plain words."""


# ---------------------------------------------------------------------- intake


@transaction.atomic
def ensure_survey(*, cohort: Cohort) -> IntakeSurvey:
    survey, _created = IntakeSurvey.objects.get_or_create(cohort=cohort)
    return survey


@transaction.atomic
def update_survey(*, survey: IntakeSurvey, factors: Iterable[str], introduction: str) -> None:
    survey.factors = list(dict.fromkeys(factors))
    survey.introduction = introduction
    survey.save(update_fields=["factors", "introduction"])


def intake_open(survey: IntakeSurvey, user: Any = None) -> bool:
    """Answers can be revised until the cohort's groups are published; a peer who has no
    published group yet (a late joiner) can still answer, to be placed by the nightly job."""
    run = selectors.published_run(survey.cohort)
    if run is None:
        return True
    return user is not None and not run.members.filter(user=user).exists()


def clean_challenges(values: Iterable[Any]) -> list[str]:
    """Non-empty challenge statements, white space collapsed, duplicates dropped, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        text = " ".join(str(value or "").split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def _bounded(data: Mapping[str, Any]) -> dict[str, Any]:
    """A draft as typed, only bounded in size (nothing is validated, nothing is dropped)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = [str(v)[:DRAFT_TEXT_LIMIT] for v in value[:20]]
        else:
            out[key] = str(value)[:DRAFT_TEXT_LIMIT]
    return out


def _same_as_submitted(draft: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    if clean_challenges(draft.get("challenges", [])) != list(answers.get("challenges", [])):
        return False
    return all(
        str(value).strip() == str(answers.get(key, "")).strip()
        for key, value in draft.items()
        if key != "challenges"
    )


@transaction.atomic
def save_draft(*, survey: IntakeSurvey, user: User, data: Mapping[str, Any]) -> IntakeResponse:
    """Keep what a peer has typed so far, whatever it is; the submitted answers stay as they are."""
    response, _created = IntakeResponse.objects.select_for_update().get_or_create(
        survey=survey, user=user
    )
    draft = _bounded(data)
    if response.submitted_at is not None and _same_as_submitted(draft, response.answers):
        draft = {}  # nothing changed since the last submission
    response.draft = draft
    response.draft_saved_at = timezone.now()
    response.save(update_fields=["draft", "draft_saved_at"])
    return response


@transaction.atomic
def submit_intake(
    *, survey: IntakeSurvey, user: User, answers: Mapping[str, Any]
) -> IntakeResponse:
    """Store a peer's validated answers and their challenge statements.

    Refused (``MatchingError``) with fewer than three challenges, or once groups are published.
    """
    if not intake_open(survey, user):
        raise MatchingError(
            _("Groups are already published for your cohort, so the intake is closed.")
        )
    challenges = clean_challenges(answers.get("challenges", []))
    if len(challenges) < MIN_CHALLENGES:
        raise MatchingError(
            _("Please describe at least %(count)d different challenges.")
            % {"count": MIN_CHALLENGES}
        )
    if any(len(text) > CHALLENGE_MAX_LENGTH for text in challenges):
        raise MatchingError(
            _("Each challenge must be at most %(count)d characters.")
            % {"count": CHALLENGE_MAX_LENGTH}
        )
    response, _created = IntakeResponse.objects.select_for_update().get_or_create(
        survey=survey, user=user
    )
    stored = {key: value for key, value in answers.items() if key != "challenges"}
    stored["challenges"] = challenges
    response.answers = stored
    response.draft = {}
    response.submitted_at = timezone.now()
    response.save(update_fields=["answers", "draft", "submitted_at"])
    existing = {c.text.casefold(): c for c in response.challenges.all()}
    keep: list[int] = []
    new: list[Challenge] = []
    for position, text in enumerate(challenges):
        challenge = existing.get(text.casefold())
        if challenge is not None:
            challenge.position = position
            challenge.text = text
            challenge.save(update_fields=["position", "text"])
            keep.append(challenge.pk)
        else:
            challenge = Challenge.objects.create(response=response, position=position, text=text)
            new.append(challenge)
            keep.append(challenge.pk)
    response.challenges.exclude(pk__in=keep).delete()
    if new and survey.themes.exists():
        assign_to_nearest_theme(survey=survey, challenges=new)
    return response


def assign_to_nearest_theme(*, survey: IntakeSurvey, challenges: Sequence[Challenge]) -> None:
    """Give new statements the theme whose statements they resemble most (none if no overlap)."""
    themed = list(
        Challenge.objects.filter(response__survey=survey, theme__isnull=False).exclude(
            pk__in=[c.pk for c in challenges]
        )
    )
    if not themed:
        return
    vectors = TfidfEmbedder().embed([c.text for c in themed] + [c.text for c in challenges])
    by_theme: dict[int, list[int]] = {}
    for index, challenge in enumerate(themed):
        assert challenge.theme_id is not None
        by_theme.setdefault(challenge.theme_id, []).append(index)
    for offset, challenge in enumerate(challenges):
        vector = vectors[len(themed) + offset]
        best_theme, best = None, 0.0
        for theme_id, indexes in sorted(by_theme.items()):
            score = sum(cosine(vector, vectors[i]) for i in indexes) / len(indexes)
            if score > best:
                best_theme, best = theme_id, score
        if best_theme is not None:
            challenge.theme_id = best_theme
            challenge.save(update_fields=["theme"])


def intake_url(programme_id: int) -> str:
    path = reverse("matching:intake", kwargs={"pk": programme_id})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_intake_reminders(*, survey_id: int, now: Any = None) -> int:
    """Email the peers of a cohort who have not submitted their intake.

    Idempotent: a peer reminded in the last 20 hours is not reminded again. Returns the count.
    """
    now = now or timezone.now()
    survey = IntakeSurvey.objects.select_related("cohort__programme").filter(pk=survey_id).first()
    if survey is None:
        return 0
    sent = 0
    for membership in selectors.peer_memberships(survey.cohort):
        with transaction.atomic():
            response, _created = IntakeResponse.objects.select_for_update().get_or_create(
                survey=survey, user=membership.user
            )
            if response.submitted_at is not None or not intake_open(survey, membership.user):
                continue
            if response.reminded_at and now - response.reminded_at < REMINDER_INTERVAL:
                continue
            context = {
                "user": membership.user,
                "programme": survey.programme,
                "cohort": survey.cohort,
                "url": intake_url(survey.programme.pk),
                "has_draft": bool(response.draft),
            }
            mail.send_email(
                to=membership.user,
                subject=gettext_lazy("Your intake for %(programme)s is waiting"),
                subject_params={"programme": survey.programme.name},
                template="matching/email/intake_reminder",
                context=context,
            )
            response.reminded_at = now
            response.save(update_fields=["reminded_at"])
            sent += 1
    return sent


# ---------------------------------------------------------------------- themes


def _submitted_challenges(survey: IntakeSurvey) -> list[Challenge]:
    return list(
        Challenge.objects.filter(
            response__survey=survey, response__submitted_at__isnull=False
        ).order_by("response__user_id", "position")
    )


def _unique_name(survey: IntakeSurvey, name: str, exclude: int | None = None) -> str:
    name = " ".join(name.split())[:120] or _("Theme")
    taken = {
        n.casefold() for n in survey.themes.exclude(pk=exclude or 0).values_list("name", flat=True)
    }
    candidate, suffix = name, 2
    while candidate.casefold() in taken:
        candidate = f"{name[:110]} ({suffix})"
        suffix += 1
    return candidate


@transaction.atomic
def propose_cohort_themes(*, survey: IntakeSurvey, count: int | None = None) -> list[Theme]:
    """Replace the cohort's themes by clusters of its challenge statements."""
    challenges = _submitted_challenges(survey)
    if not challenges:
        raise MatchingError(_("No challenge statements yet: themes come from the intake answers."))
    proposals = propose_themes([c.text for c in challenges], k=count)
    survey.themes.all().delete()
    created: list[Theme] = []
    for proposal in proposals:
        theme = Theme.objects.create(survey=survey, name=_unique_name(survey, proposal.name))
        Challenge.objects.filter(pk__in=[challenges[i].pk for i in proposal.members]).update(
            theme=theme
        )
        created.append(theme)
    survey.themes_accepted_at = None
    survey.save(update_fields=["themes_accepted_at"])
    return created


def _themes_changed(survey: IntakeSurvey) -> None:
    if survey.themes_accepted_at is not None:
        survey.themes_accepted_at = None
        survey.save(update_fields=["themes_accepted_at"])


@transaction.atomic
def rename_theme(*, theme: Theme, name: str) -> Theme:
    if not " ".join(name.split()):
        raise MatchingError(_("A theme needs a name."))
    theme.name = _unique_name(theme.survey, name, exclude=theme.pk)
    theme.save(update_fields=["name"])
    return theme


@transaction.atomic
def merge_themes(*, source: Theme, target: Theme) -> Theme:
    if source.pk == target.pk:
        raise MatchingError(_("Choose two different themes to merge."))
    if source.survey_id != target.survey_id:
        raise MatchingError(_("Themes of different cohorts cannot be merged."))
    source.challenges.update(theme=target)
    survey = source.survey
    source.delete()
    _themes_changed(survey)
    return target


@transaction.atomic
def split_theme(*, theme: Theme, challenge_ids: Iterable[int], name: str) -> Theme:
    """Move the chosen statements of ``theme`` into a new theme called ``name``."""
    ids = set(challenge_ids)
    chosen = theme.challenges.filter(pk__in=ids)
    if not chosen.exists():
        raise MatchingError(_("Choose the statements that should form the new theme."))
    if chosen.count() == theme.challenges.count():
        raise MatchingError(_("Leave at least one statement in the theme you split."))
    new = Theme.objects.create(survey=theme.survey, name=_unique_name(theme.survey, name))
    chosen.update(theme=new)
    _themes_changed(theme.survey)
    return new


@transaction.atomic
def move_challenge(*, challenge: Challenge, theme: Theme | None) -> Challenge:
    if theme is not None and theme.survey_id != challenge.response.survey_id:
        raise MatchingError(_("That theme belongs to another cohort."))
    challenge.theme = theme
    challenge.save(update_fields=["theme"])
    _themes_changed(challenge.response.survey)
    return challenge


@transaction.atomic
def delete_empty_theme(*, theme: Theme) -> None:
    if theme.challenges.exists():
        raise MatchingError(_("Only a theme without statements can be deleted."))
    theme.delete()


@transaction.atomic
def accept_themes(*, survey: IntakeSurvey) -> None:
    if not survey.themes.exists():
        raise MatchingError(_("There are no themes to accept yet."))
    survey.themes_accepted_at = timezone.now()
    survey.save(update_fields=["themes_accepted_at"])


# ---------------------------------------------------------------------- engine peers


def _split_tags(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def peer_for(membership: Membership, response: IntakeResponse | None) -> engine.Peer:
    """The engine's view of a peer: their factors and the themes of their challenges."""
    answers = response.answers if response else {}
    organisation = membership.organisation
    themes: list[str] = []
    if response is not None:
        themes = [c.theme.name for c in response.challenges.all() if c.theme is not None]

    def label(choices: type[models.TextChoices], key: str) -> str:
        value = str(answers.get(key, ""))
        return str(dict(choices.choices).get(value, value))

    return engine.Peer(
        id=str(membership.user_id),
        name=membership.user.full_name or membership.user.email,
        country=organisation.country if organisation else "",
        organisation=str(organisation.pk) if organisation else "",
        role=str(answers.get("role", "")),
        seniority=label(Seniority, "seniority"),
        task_area=str(answers.get("task_area", "")),
        career_level=label(CareerLevel, "career_level"),
        education=label(Education, "education"),
        context=tuple(_split_tags(answers.get("context", ""))),
        languages=tuple(_split_tags(answers.get("languages", ""))),
        themes=tuple(themes),
    )


def cohort_peers(cohort: Cohort, *, user_ids: Iterable[int] | None = None) -> list[engine.Peer]:
    """Engine peers of a cohort: those who submitted intake (or exactly ``user_ids``)."""
    responses = {
        r.user_id: r
        for r in IntakeResponse.objects.filter(survey__cohort=cohort).prefetch_related(
            "challenges__theme"
        )
    }
    memberships = selectors.peer_memberships(cohort)
    if user_ids is not None:
        wanted = set(user_ids)
        chosen = [m for m in memberships if m.user_id in wanted]
    else:
        chosen = [
            m
            for m in memberships
            if m.user_id in responses and responses[m.user_id].submitted_at is not None
        ]
    seen: set[int] = set()
    peers = []
    for membership in chosen:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        peers.append(peer_for(membership, responses.get(membership.user_id)))
    return peers


# ---------------------------------------------------------------------- runs


@transaction.atomic
def start_run(*, cohort: Cohort, created_by: User | None, options: engine.Options) -> MatchingRun:
    """Queue a matching run of the cohort's peers who completed intake."""
    from .tasks import execute_matching_run

    peers = cohort_peers(cohort)
    lo = 2 if options.pairs else options.min_size
    if len(peers) < lo:
        raise MatchingError(
            _("Only %(count)d peers have completed intake; at least %(minimum)d are needed.")
            % {"count": len(peers), "minimum": lo}
        )
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy=options.strategy,
        options=options.to_dict(),
        created_by=created_by,
        peer_count=len(peers),
        warnings=list(engine.strategy_warnings(options)),
    )
    run_id = run.pk
    transaction.on_commit(lambda: execute_matching_run.delay(run_id))
    return run


class _ProgressWriter:
    """Writes the engine's progress to the run row, at most every 2 % or every 0.5 s."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        import time

        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        if fraction - self.last >= 0.02 or (fraction > self.last and now - self.last_time > 0.5):
            MatchingRun.objects.filter(pk=self.run_id).update(progress=fraction)
            self.last, self.last_time = fraction, now


def _store_groups(run: MatchingRun, result: engine.MatchingResult) -> None:
    run.groups.all().delete()
    for group in result.groups:
        row = Group.objects.create(
            run=run,
            label=group.label,
            score=group.score,
            normalised_score=group.normalised_score,
            explanation=group.explanation.to_dict(),
            shared_themes={k: list(v) for k, v in group.shared_themes.items()},
        )
        GroupMember.objects.bulk_create(
            [
                GroupMember(run=run, group=row, user_id=int(pid), locked=pid in group.locked)
                for pid in group.members
            ]
        )


def execute_run(*, run_id: int, progress: Callable[[float], None] | None = None) -> bool:
    """Run the engine for a queued run and store its groups. Idempotent: a run that is not
    queued is left alone (returns False)."""
    claimed = MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, started_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return False
    run = MatchingRun.objects.select_related("cohort").get(pk=run_id)
    try:
        options = engine.Options.from_dict(run.options)
        peers = cohort_peers(run.cohort)
        result = engine.run(peers, options, progress=progress or _ProgressWriter(run_id))
    except ValueError as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        return False
    except (OperationalError, ConnectionError, TimeoutError):
        # Transient: back in the queue, the task is retried with backoff.
        MatchingRun.objects.filter(pk=run_id).update(status=MatchingRun.Status.QUEUED)
        raise
    except Exception as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED,
            error=_("The matching run stopped with an error: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        _store_groups(run, result)
        run.status = MatchingRun.Status.DONE
        run.progress = 1.0
        run.score = result.score
        run.total = result.total
        run.report = result.report.to_dict()
        run.warnings = list(result.warnings)
        run.stats = {**dict(result.stats), "isolated": list(result.isolated)}
        run.peer_count = len(peers)
        run.finished_at = timezone.now()
        run.save()
    return True


def current_assignment(run: MatchingRun) -> dict[str, str]:
    return {
        str(user_id): label for user_id, label in run.members.values_list("user_id", "group__label")
    }


def rescore(*, run: MatchingRun) -> engine.MatchingResult:
    """Score the run's current groups with the engine (every peer locked where they are)."""
    assignment = current_assignment(run)
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
    peers = cohort_peers(run.cohort, user_ids=[int(pid) for pid in assignment])
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


def _record_move(
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


@transaction.atomic
def move_peer(
    *,
    run: MatchingRun,
    user_id: int,
    to_group: Group,
    moved_by: User | None,
    reason: str = "",
    kind: str = GroupMove.Kind.REVIEW,
) -> GroupMember:
    """Move a peer to another group of the same run, record it in the audit trail, rescore."""
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
    member.group = to_group
    member.source = GroupMember.Source.MOVED
    member.save(update_fields=["group", "source"])
    _record_move(
        run=run,
        user_id=user_id,
        from_group=from_group,
        to_group=to_group,
        kind=kind,
        reason=reason,
        moved_by=moved_by,
    )
    rescore(run=run)
    return member


@transaction.atomic
def set_locked(*, member: GroupMember, locked: bool) -> GroupMember:
    member.locked = locked
    member.save(update_fields=["locked"])
    return member


@transaction.atomic
def publish_run(*, run: MatchingRun, published_by: User | None) -> MatchingRun:
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != MatchingRun.Status.DONE:
        raise MatchingError(_("Only a finished run can be published."))
    if run.is_published:
        raise MatchingError(_("This run is already published."))
    other = selectors.published_run(run.cohort)
    if other is not None:
        raise MatchingError(
            _(
                "Groups are already published for this cohort (run %(number)s). Move peers "
                "within the published groups instead."
            )
            % {"number": other.pk}
        )
    run.published_at = timezone.now()
    run.published_by = published_by
    run.save(update_fields=["published_at", "published_by"])
    return run


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
    if run.move_requests.filter(user=user, status=MoveRequest.Status.PENDING).exists():
        raise MatchingError(_("You have already asked to move; your facilitator will answer."))
    return MoveRequest.objects.create(
        run=run, user=user, from_group=member.group, wanted_group=wanted_group, reason=reason
    )


@transaction.atomic
def decide_move_request(
    *,
    move_request: MoveRequest,
    decided_by: User,
    approve: bool,
    to_group: Group | None = None,
    note: str = "",
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
        )
        move_request.status = MoveRequest.Status.APPROVED
    else:
        move_request.status = MoveRequest.Status.DECLINED
    move_request.decided_by = decided_by
    move_request.decided_at = timezone.now()
    move_request.decision_note = note
    move_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return move_request


# ---------------------------------------------------------------------- after publication


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
        assignment = current_assignment(run)
        everyone = cohort_peers(run.cohort, user_ids=[*map(int, assignment), *waiting])
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
            _record_move(
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
    """A peer leaves their group (for example, they left their post). Recorded in the trail."""
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Please give the reason the peer leaves the group."))
    run = member.run
    group = member.group
    member.delete()
    _record_move(
        run=run,
        user_id=member.user_id,
        from_group=group,
        to_group=None,
        kind=GroupMove.Kind.LEFT,
        reason=reason,
        moved_by=removed_by,
    )
    rescore(run=run)
    return group


def replacement_proposals(
    *, group: Group, leaving_user_id: int | None = None
) -> list[engine.ReplacementCandidate]:
    """Ranked candidates to fill a place in ``group``: peers without a group first, then
    unlocked members of groups above the minimum size."""
    run = group.run
    options = engine.Options.from_dict(run.options)
    lo, _hi = options.size_bounds
    members = list(group.members.values_list("user_id", flat=True))
    unplaced = list(selectors.unplaced_done_peers(run).values_list("user_id", flat=True))
    movable: list[int] = []
    for other in selectors.groups_of(run).exclude(pk=group.pk):
        people = list(other.members.all())
        if len(people) > lo:
            movable.extend(m.user_id for m in people if not m.locked)
    group_ids = [*members, *([leaving_user_id] if leaving_user_id else [])]
    peers = {p.id: p for p in cohort_peers(run.cohort, user_ids=[*group_ids, *unplaced, *movable])}
    group_peers = [peers[str(u)] for u in group_ids if str(u) in peers]
    candidates = [peers[str(u)] for u in [*unplaced, *movable] if str(u) in peers]
    leaving = str(leaving_user_id) if leaving_user_id else ""
    return engine.propose_replacement(
        group_peers, leaving, candidates, options, group_label=group.label
    )


def peers_without_group_after_publication(run: MatchingRun) -> list[int]:
    return list(selectors.unplaced_done_peers(run).values_list("user_id", flat=True))


def is_peer_of_cohort(user: User, cohort: Cohort) -> bool:
    return all_memberships().filter(user=user, cohort=cohort, role=Role.PEER).exists()
