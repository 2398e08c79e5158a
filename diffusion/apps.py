from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiffusionConfig(AppConfig):
    name = "diffusion"
    verbose_name = _("Diffusion")

    def ready(self) -> None:
        from .personal_data import register as register_personal_data

        register_personal_data()
        from peerlearn.home import register_next_steps

        from .next_steps import next_steps

        register_next_steps(self.label, next_steps)
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)
        from peerlearn.navigation import DIFFUSION, ProgrammeSection, register_section

        def pages(*names: str) -> tuple[str, ...]:
            return tuple(f"diffusion:{name}" for name in names)

        register_section(
            ProgrammeSection(
                key="diffusion",
                label=_("Diffusion"),
                url_name="diffusion:overview",
                permission="diffusion.view_diffusion",
                order=40,
                stage=DIFFUSION,
                pages=pages(
                    "plan_detail",
                    "report_back_detail",
                    "chapter_detail",
                    "pilot_detail",
                    "story_detail",
                ),
            )
        )
        register_section(
            ProgrammeSection(
                key="sponsor-report",
                label=_("Sponsor progress report"),
                url_name="diffusion:sponsor_report",
                permission="diffusion.view_sponsor_report",
                order=45,
                stage=DIFFUSION,
            )
        )
