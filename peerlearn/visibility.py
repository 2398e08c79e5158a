"""Who may read a piece of free text besides the person who wrote it (survey answers, stories,
reflections). Each app applies these levels in its selectors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read a free-text answer besides the person who wrote it."""

    PRIVATE = "private", _("Only me")
    GROUP = "group", _("My group and the facilitators")
    FACILITATORS = "facilitators", _("The facilitators")
    PROGRAMME = "programme", _("Everyone in the programme")
