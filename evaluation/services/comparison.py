"""The comparison group's answers: the signed link each invitee gets, and their answers, once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn import tokens

from .. import selectors
from ..models import ComparisonInvitee, Wave
from .answers import clean_answer, field_name
from .errors import AnswerErrors, ComparisonAlreadyAnswered, EvaluationError


def comparison_token(invitee: ComparisonInvitee) -> str:
    return tokens.COMPARISON.make({"c": invitee.pk})


@transaction.atomic
def submit_comparison(
    *, invitee: ComparisonInvitee, data: Mapping[str, Sequence[str]]
) -> ComparisonInvitee:
    """Store a comparison answer, once: a link already answered accepts nothing more, so a
    forwarded link can neither read nor overwrite the answers. Every answer must fit and the
    required ones be given; otherwise :class:`AnswerErrors` and nothing is stored."""
    invitee = ComparisonInvitee.objects.select_for_update().get(pk=invitee.pk)
    if invitee.submitted_at is not None:
        raise ComparisonAlreadyAnswered(_("This survey has already been answered with this link."))
    wave = invitee.wave
    if wave.status != Wave.Status.OPEN:
        raise EvaluationError(_("This survey is not open for answers."))
    answers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for item in selectors.comparison_items(wave.instrument):
        try:
            value = clean_answer(item, data.get(field_name(item), []), peer_ids=set())
        except ValueError as error:
            errors[item.code] = str(error)
            continue
        if item.required and value.empty:
            errors[item.code] = _("Please answer this question.")
        elif not value.empty:
            answers[item.code] = {
                "number": value.number,
                "choice": value.choice,
                "selected": value.selected or [],
                "text": value.text,
            }
    if errors:
        raise AnswerErrors(errors)
    invitee.answers = answers
    invitee.submitted_at = timezone.now()
    invitee.save(update_fields=["answers", "submitted_at"])
    return invitee
