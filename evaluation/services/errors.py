"""The errors of evaluation services: the message says why in plain words; answers that do not
fit their questions and bad lines of invitees are named one by one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peerlearn.errors import ServiceError


class EvaluationError(ServiceError):
    """A write that cannot happen; the message says why in plain words."""


class AnswerErrors(EvaluationError):
    """Answers that do not fit their questions: ``errors`` maps item codes to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need your attention."))
        self.errors = errors


class InviteeErrors(EvaluationError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


class ComparisonAlreadyAnswered(EvaluationError):
    """A comparison link is used again after its answers were sent."""
