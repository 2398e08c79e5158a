"""Programme section of the reflection journal, registered from ``EvaluationConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from peerlearn.navigation import ProgrammeSection, register_section


def register() -> None:
    register_section(
        ProgrammeSection(
            key="reflection-journal",
            label=_("Reflection journal"),
            url_name="evaluation:journal",
            permission="evaluation.keep_journal",
            order=58,
        )
    )
