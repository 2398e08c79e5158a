from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from peerlearn.navigation import ProgrammeSection, register_section

        from .navigation_group_life import register

        register()

        register_section(
            ProgrammeSection(
                key="matching",
                label=_("Matching"),
                url_name="matching:overview",
                permission="matching.view_matching",
                order=20,
            )
        )
