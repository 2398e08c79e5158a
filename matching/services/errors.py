"""The error of matching's services."""

from __future__ import annotations

from peerlearn.errors import ServiceError


class MatchingError(ServiceError):
    """A matching action cannot be done; the message says why in plain words."""
