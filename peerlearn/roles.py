"""The roles a person can hold in a programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PEER = "peer", _("Peer")
    MANAGER = "manager", _("Programme manager")
    SPONSOR = "sponsor", _("Organisation sponsor")
