"""Writes for the intake: the survey a facilitator sets up, the drafts and answers of peers,
and the reminders to peers who have not answered."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.users.models import User

from .. import selectors
from ..models import (
    CHALLENGE_MAX_LENGTH,
    MIN_CHALLENGES,
    Challenge,
    ChallengeVector,
    IntakeResponse,
    IntakeSurvey,
)
from .errors import MatchingError

if TYPE_CHECKING:
    from programmes.models import Cohort


logger = logging.getLogger(__name__)

DRAFT_TEXT_LIMIT = 2000
REMINDER_INTERVAL = timedelta(hours=20)


@transaction.atomic
def ensure_survey(*, cohort: Cohort) -> IntakeSurvey:
    survey, _created = IntakeSurvey.objects.get_or_create(cohort=cohort)
    return survey


@transaction.atomic
def update_survey(*, survey: IntakeSurvey, factors: Iterable[str], introduction: str) -> None:
    survey.factors = list(dict.fromkeys(factors))
    survey.introduction = introduction
    survey.save(update_fields=["factors", "introduction"])


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
    if not selectors.intake_open(survey, user):
        raise MatchingError(
            _("Groups are already published for your cohort, so the intake is closed."),
            field="challenges",
        )
    challenges = clean_challenges(answers.get("challenges", []))
    if len(challenges) < MIN_CHALLENGES:
        raise MatchingError(
            _("Please describe at least %(count)d different challenges.")
            % {"count": MIN_CHALLENGES},
            field="challenges",
        )
    if any(len(text) > CHALLENGE_MAX_LENGTH for text in challenges):
        raise MatchingError(
            _("Each challenge must be at most %(count)d characters.")
            % {"count": CHALLENGE_MAX_LENGTH},
            field="challenges",
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
    new: list[int] = []  # statements whose vector must be computed
    for position, text in enumerate(challenges):
        challenge = existing.get(text.casefold())
        if challenge is not None:
            if challenge.text != text:  # written differently: its vector is computed again
                ChallengeVector.objects.filter(challenge=challenge).delete()
                new.append(challenge.pk)
            challenge.position = position
            challenge.text = text
            challenge.save(update_fields=["position", "text"])
            keep.append(challenge.pk)
        else:
            challenge = Challenge.objects.create(response=response, position=position, text=text)
            new.append(challenge.pk)
            keep.append(challenge.pk)
    response.challenges.exclude(pk__in=keep).delete()
    if new:
        survey_id = survey.pk
        transaction.on_commit(lambda: _queue_statements(survey_id, new))
    return response


def _queue_statements(survey_id: int, challenge_ids: list[int]) -> None:
    """In the background: the statements' vectors, and their themes when the cohort has themes
    already (the same work for each submission, whatever the size of the cohort). The answers
    are saved whatever happens here: statements left without a vector get one from the next
    proposal, and the facilitator sees those left without a theme."""
    from ..tasks import assign_late_statements

    try:
        assign_late_statements.delay(survey_id, challenge_ids)
    except Exception:
        logger.exception("Statements %s of intake survey %s not queued", challenge_ids, survey_id)


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
            if response.submitted_at is not None or not selectors.intake_open(
                survey, membership.user
            ):
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
