"""Signed tokens for links sent by email. Every kind of token has an expiry.

A token carries a small dictionary signed with the site's secret key and a salt naming its
purpose; a tampered, expired or foreign token reads as ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing


@dataclass(frozen=True)
class TokenKind:
    """One purpose of signed links: its salt and how long its links work."""

    salt: str
    max_age: timedelta

    def make(self, data: dict[str, Any]) -> str:
        return signing.dumps(data, salt=self.salt)

    def read(self, token: str, *, max_age: timedelta | None = None) -> dict[str, Any] | None:
        """The data of a valid token, or ``None``. ``max_age`` may shorten or lengthen the
        expiry for this reading (for example from a setting)."""
        try:
            data = signing.loads(token, salt=self.salt, max_age=max_age or self.max_age)
        except signing.BadSignature:
            return None
        return data if isinstance(data, dict) else None


# Invitation links; the validity comes from ``INVITATION_VALID_DAYS`` when read.
INVITATION = TokenKind("peerlearn.invitation", timedelta(days=30))
# "Stop these reminders" links of a programme's reminder emails.
REMINDER_UNSUBSCRIBE = TokenKind("peerlearn.evaluation.unsubscribe", timedelta(days=400))
# Links to the comparison-group survey sent to non-participants.
COMPARISON = TokenKind("peerlearn.evaluation.comparison", timedelta(days=120))
# "Stop the monthly report" links of a sponsor's progress report.
SPONSOR_REPORT_UNSUBSCRIBE = TokenKind("diffusion.sponsor-report.unsubscribe", timedelta(days=400))
# "Stop discussion emails" links of a programme's discussion notifications and digests.
DISCUSSION_UNSUBSCRIBE = TokenKind("group_life.discussions.unsubscribe", timedelta(days=400))
