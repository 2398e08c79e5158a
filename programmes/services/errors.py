"""The errors of programme services: the message says why in plain words."""

from __future__ import annotations

from peerlearn.errors import ServiceError


class InvitationError(ServiceError):
    """An invitation cannot be accepted; the message says why in plain words."""


class StageOneError(ServiceError):
    """A stage-one action cannot be done; the message says why in plain words."""
