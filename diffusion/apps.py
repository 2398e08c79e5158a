from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiffusionConfig(AppConfig):
    name = "diffusion"
    verbose_name = _("Diffusion")

    def ready(self) -> None:
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)
        from peerlearn.navigation import ProgrammeSection, register_section

        register_section(
            ProgrammeSection(
                key="diffusion",
                label=_("Diffusion"),
                url_name="diffusion:overview",
                permission="diffusion.view_diffusion",
                order=40,
            )
        )
        register_section(
            ProgrammeSection(
                key="sponsor-report",
                label=_("Sponsor progress report"),
                url_name="diffusion:sponsor_report",
                permission="diffusion.view_sponsor_report",
                order=45,
            )
        )
