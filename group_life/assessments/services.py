"""Writes of shared assessments: a facilitator defines a tool and its criteria with levels; a
peer self-assesses their organisation; a peer or an expert reviews another organisation's
assessment; a peer asks a better-scoring peer to pair."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.errors import ServiceError
from peerlearn.roles import Role, roles_in
from programmes import selectors as programmes

from .. import services as group_life
from . import selectors
from .models import (
    AssessmentTool,
    Criterion,
    CriterionScore,
    Level,
    Review,
    ReviewComment,
    SelfAssessment,
)

if TYPE_CHECKING:
    from group_life.models import PairRequest
    from peerlearn.users.models import User
    from programmes.models import Programme


class AssessmentError(ServiceError):
    """An assessment request that cannot be carried out."""


@transaction.atomic
def create_tool(
    *, programme: Programme, by: User, name: str, description: str = ""
) -> AssessmentTool:
    name = name.strip()
    if not name:
        raise AssessmentError(_("Give the tool a name."), field="name")
    try:
        with transaction.atomic():
            return AssessmentTool.objects.create(
                programme=programme, name=name, description=description.strip(), created_by=by
            )
    except IntegrityError:
        raise AssessmentError(
            _("The programme already has a tool with this name."), field="name"
        ) from None


def parse_levels(text: str) -> list[tuple[int, str, str]]:
    """Levels written one a line as "score | label | what it looks like" (the description may
    be left out); scores are whole numbers from 0 to 20, each used once."""
    levels: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or not parts[1]:
            raise AssessmentError(
                _("Line %(line)s: write “score | level | what it looks like”.") % {"line": number},
                field="levels",
            )
        try:
            score = int(parts[0])
        except ValueError:
            raise AssessmentError(
                _("Line %(line)s: the score must be a whole number.") % {"line": number},
                field="levels",
            ) from None
        if not 0 <= score <= 20:
            raise AssessmentError(
                _("Line %(line)s: the score must be between 0 and 20.") % {"line": number},
                field="levels",
            )
        if any(score == existing for existing, _l, _d in levels):
            raise AssessmentError(
                _("Line %(line)s: the score %(score)s is used twice.")
                % {"line": number, "score": score},
                field="levels",
            )
        levels.append((score, parts[1][:200], " | ".join(parts[2:])[:2000]))
    if len(levels) < 2:
        raise AssessmentError(_("A criterion needs at least two levels."), field="levels")
    return sorted(levels)


@transaction.atomic
def add_criterion(*, tool: AssessmentTool, title: str, guidance: str, levels: str) -> Criterion:
    title = title.strip()
    if not title:
        raise AssessmentError(_("Name the criterion."), field="title")
    parsed = parse_levels(levels)
    if SelfAssessment.objects.filter(tool=tool, submitted_at__isnull=False).exists():
        raise AssessmentError(
            _(
                "Organisations have already assessed themselves with this tool; "
                "define a new tool to change its criteria."
            )
        )
    position = tool.criteria.count()
    criterion = Criterion.objects.create(
        tool=tool, position=position, title=title, guidance=guidance.strip()
    )
    Level.objects.bulk_create(
        Level(criterion=criterion, score=score, label=label, description=description)
        for score, label, description in parsed
    )
    return criterion


@transaction.atomic
def submit_self_assessment(
    *,
    tool: AssessmentTool,
    by: User,
    round_number: int,
    scores: dict[int, int],
    evidence: dict[int, str],
    named_consent: bool,
) -> SelfAssessment:
    """Record (or correct, until reviewed) the self-assessment of ``by``'s organisation."""
    programme = tool.programme
    organisation = selectors.own_organisation(by, programme)
    if organisation is None:
        raise AssessmentError(_("Only a peer who represents an organisation can self-assess."))
    if round_number < 1:
        raise AssessmentError(_("The round is a number from 1."), field="round")
    criteria = list(tool.criteria.prefetch_related("levels"))
    if not criteria:
        raise AssessmentError(_("This tool has no criteria yet."))
    for criterion in criteria:
        allowed = {level.score for level in criterion.levels.all()}
        if scores.get(criterion.pk) not in allowed:
            raise AssessmentError(
                _("Choose a level for “%(criterion)s”.") % {"criterion": criterion.title}
            )
    assessment, _created = SelfAssessment.objects.get_or_create(
        tool=tool,
        organisation=organisation,
        round=round_number,
        defaults={"cohort_id": programmes.member_cohort_id(by, programme)},
    )
    if assessment.reviews.exists():
        raise AssessmentError(
            _("This round's assessment has been reviewed; start a new round to assess again.")
        )
    for criterion in criteria:
        CriterionScore.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={
                "score": scores[criterion.pk],
                "evidence": evidence.get(criterion.pk, "").strip()[:4000],
            },
        )
    assessment.named_consent = named_consent
    assessment.submitted_by = by
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["named_consent", "submitted_by", "submitted_at"])
    return assessment


def may_review(user: Any, assessment: SelfAssessment) -> bool:
    """A peer of another organisation, a facilitator or a site administrator, once the
    assessment is submitted."""
    if not assessment.is_submitted:
        return False
    programme = assessment.tool.programme
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles:
        return True
    own = selectors.own_organisation(user, programme)
    return own is not None and own.pk != assessment.organisation_id


@transaction.atomic
def review_assessment(
    *,
    assessment: SelfAssessment,
    by: User,
    comment: str,
    comments: dict[int, str],
    suggested: dict[int, int | None],
) -> Review:
    if not may_review(by, assessment):
        raise AssessmentError(_("You cannot review your own organisation's assessment."))
    comment = comment.strip()
    if not comment:
        raise AssessmentError(_("Write an overall comment."), field="comment")
    roles = roles_in(by, assessment.tool.programme)
    kind = (
        Review.Kind.PEER
        if Role.PEER in roles and Role.FACILITATOR not in roles
        else Review.Kind.EXPERT
    )
    review = Review.objects.create(assessment=assessment, reviewer=by, kind=kind, comment=comment)
    criteria = list(assessment.tool.criteria.prefetch_related("levels"))
    for criterion in criteria:
        text = comments.get(criterion.pk, "").strip()
        score = suggested.get(criterion.pk)
        if score is not None and score not in {level.score for level in criterion.levels.all()}:
            raise AssessmentError(
                _("Choose one of the levels of “%(criterion)s”.") % {"criterion": criterion.title}
            )
        if text or score is not None:
            ReviewComment.objects.create(
                review=review, criterion=criterion, comment=text[:2000], suggested_score=score
            )
    return review


@transaction.atomic
def ask_better_peer_to_pair(
    *, tool: AssessmentTool, criterion: Criterion, by: User, peer: User
) -> PairRequest:
    """A pair request to a peer whose organisation does markedly better on ``criterion``."""
    suggestion = next(
        (s for s in selectors.deviance_suggestions(by, tool, criterion) if s.peer.pk == peer.pk),
        None,
    )
    if suggestion is None:
        raise AssessmentError(
            _("This peer's organisation does not score markedly better on this criterion.")
        )
    purpose = _(
        "On “%(criterion)s” (%(tool)s) your organisation scores %(theirs)s and mine %(ours)s. "
        "I would like to learn how you do it, in a pair or on a site visit."
    ) % {
        "criterion": criterion.title,
        "tool": tool.name,
        "theirs": f"{suggestion.their_score:g}",
        "ours": f"{suggestion.our_score:g}",
    }
    return group_life.request_pair(
        programme=tool.programme, requested_by=by, requested_of=peer, purpose=purpose
    )
