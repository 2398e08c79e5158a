from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from .personal_data import register as register_personal_data

        register_personal_data()
        from peerlearn.home import register_next_steps

        from .next_steps import next_steps

        register_next_steps(self.label, next_steps)
        from peerlearn.flags import register_flags

        from .flags import flags_for

        # Who viewed the dashboard is a log no flag reads, and export jobs (their progress is
        # written every few hundred rows) change no figure.
        register_flags(
            self.label, flags_for, ignore=["evaluation.AccessRecord", "evaluation.ExportJob"]
        )

        from peerlearn.mail import register_reminder_choices

        from .selectors import reminders_stopped, reminders_stopped_in
        from .services import unsubscribe_url

        register_reminder_choices(
            stopped=reminders_stopped,
            unsubscribe_url=unsubscribe_url,
            stopped_in=reminders_stopped_in,
        )
        from peerlearn.navigation import EVALUATION, ProgrammeSection, register_section

        def pages(*names: str) -> tuple[str, ...]:
            return tuple(f"evaluation:{name}" for name in names)

        register_section(
            ProgrammeSection(
                key="evaluation-surveys",
                label=_("Surveys and stories"),
                url_name="evaluation:home",
                permission="evaluation.view_section",
                order=60,
                stage=EVALUATION,
                pages=pages("wave", "answer", "response", "instrument", "story", "story_follow_up"),
            )
        )
        register_section(
            ProgrammeSection(
                key="evaluation-dashboard",
                label=_("Evaluation dashboard"),
                url_name="evaluation:dashboard",
                permission="evaluation.view_dashboard",
                order=61,
                stage=EVALUATION,
                pages=pages("exports", "export_request"),
            )
        )
        register_section(
            ProgrammeSection(
                key="evaluation-plan",
                label=_("Evaluation plan"),
                url_name="evaluation:plan",
                permission="evaluation.view_dashboard",
                order=62,
                stage=EVALUATION,
                pages=pages("plan_link", "plan_unlink"),
            )
        )
