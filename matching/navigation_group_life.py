"""Programme sections of group life, registered from ``MatchingConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from peerlearn.navigation import ProgrammeSection, register_section


def register() -> None:
    register_section(
        ProgrammeSection(
            key="group-life",
            label=_("My group"),
            url_name="matching:group_life",
            permission="matching.view_group_life",
            order=25,
        )
    )
    register_section(
        ProgrammeSection(
            key="progress-board",
            label=_("Progress board"),
            url_name="matching:progress_board",
            permission="matching.view_progress_board",
            order=27,
        )
    )
