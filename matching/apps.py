from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from .personal_data import register as register_personal_data

        register_personal_data()
        from peerlearn.home import register_next_steps

        from .next_steps import next_steps

        register_next_steps(self.label, next_steps)
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)
        from peerlearn.freshness import version_apart

        # An intake's draft is saved as the peer types: only what reads the drafts (the
        # matching flags) is computed again, not what reads the submitted answers.
        version_apart("matching.IntakeResponse", ["draft", "draft_saved_at"])

        # The programme overview learns who has done the intake without reading matching.
        from peerlearn.progress import INTAKE, register_step

        from .selectors import intake_done_users

        register_step(INTAKE, intake_done_users)
        from peerlearn.contacts import register_circle

        from .selectors import group_mate_ids

        register_circle(self.label, group_mate_ids)
        from peerlearn.navigation import MATCHING, ProgrammeSection, register_section

        register_section(
            ProgrammeSection(
                key="matching",
                label=_("Matching"),
                url_name="matching:overview",
                permission="matching.view_matching",
                order=20,
                stage=MATCHING,
            )
        )
