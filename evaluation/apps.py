from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)

        from peerlearn.mail import register_reminder_choices

        from .selectors import reminders_stopped
        from .services import unsubscribe_url

        register_reminder_choices(stopped=reminders_stopped, unsubscribe_url=unsubscribe_url)
        from peerlearn.navigation import ProgrammeSection, register_section

        register_section(
            ProgrammeSection(
                key="evaluation-surveys",
                label=_("Surveys and stories"),
                url_name="evaluation:home",
                permission="evaluation.view_section",
                order=60,
            )
        )
        register_section(
            ProgrammeSection(
                key="evaluation-dashboard",
                label=_("Evaluation dashboard"),
                url_name="evaluation:dashboard",
                permission="evaluation.view_dashboard",
                order=61,
            )
        )
