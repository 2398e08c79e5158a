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


# What each level means for the person choosing it, in the words a survey shows.
READERS = {
    Visibility.PRIVATE: _("No one else reads it; it is in no report or export."),
    Visibility.GROUP: _("Your group's members and the facilitators."),
    Visibility.FACILITATORS: _(
        "Only the facilitators: not the programme's managers, sponsors or other peers, and "
        "not in the managers' reports and exports."
    ),
    Visibility.PROGRAMME: _(
        "Peers, facilitators and the programme's managers; it can be quoted in the programme's "
        "reports and exports."
    ),
}


def visibility_choices() -> list[tuple[str, str, str]]:
    """Each level as (value, label, who reads it), narrowest first."""
    return [(level.value, str(level.label), str(READERS[level])) for level in Visibility]
