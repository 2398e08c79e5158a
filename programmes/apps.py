from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)
        from peerlearn.navigation import ProgrammeSection, register_section

        sections = [
            ("overview", _("Overview"), "programmes:overview", "programmes.view_overview", 10),
            ("setup", _("Foundations"), "programmes:setup", "programmes.view_programme", 11),
            (
                "organisations",
                _("Organisations"),
                "programmes:organisations",
                "programmes.view_organisations",
                12,
            ),
            (
                "nominations",
                _("Nominations"),
                "programmes:nominations",
                "programmes.nominate_peers",
                13,
            ),
            (
                "contract",
                _("Commitment contract"),
                "programmes:contract",
                "programmes.view_programme",
                14,
            ),
            (
                "my_objectives",
                _("My learning objectives"),
                "programmes:my_objectives",
                "programmes.keep_own_objectives",
                15,
            ),
            (
                "activities",
                _("Activities"),
                "programmes:activities",
                "programmes.view_activities",
                16,
            ),
            ("contacts", _("Contacts"), "programmes:contacts", "programmes.view_contacts", 17),
            ("library", _("Library"), "programmes:library", "programmes.view_knowledge", 18),
        ]
        for key, label, url_name, permission, order in sections:
            register_section(
                ProgrammeSection(
                    key=key, label=label, url_name=url_name, permission=permission, order=order
                )
            )
