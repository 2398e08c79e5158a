from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from .personal_data import register as register_personal_data

        register_personal_data()
        from peerlearn.home import register_next_steps

        from .next_steps import next_steps

        register_next_steps(self.label, next_steps)
        from peerlearn.flags import register_flags

        from .flags import flags_for

        register_flags(self.label, flags_for)
        from peerlearn import navigation as nav
        from peerlearn.navigation import ProgrammeSection, register_section

        def page(name: str) -> str:
            return f"programmes:{name}"

        sections = [
            ProgrammeSection(
                key="setup",
                label=_("Foundations"),
                url_name="programmes:setup",
                permission="programmes.view_programme",
                order=10,
                stage=nav.SETUP,
                pages=tuple(
                    map(
                        page, ["edit", "theory", "objectives", "checklist", "cohorts", "cohort_add"]
                    )
                ),
            ),
            ProgrammeSection(
                key="contract",
                label=_("Commitment contract"),
                url_name="programmes:contract",
                permission="programmes.view_programme",
                order=14,
                stage=nav.SETUP,
                pages=tuple(map(page, ["contract_edit", "countersign", "charter"])),
            ),
            ProgrammeSection(
                key="my_objectives",
                label=_("My learning objectives"),
                url_name="programmes:my_objectives",
                permission="programmes.keep_own_objectives",
                order=15,
                stage=nav.SETUP,
            ),
            ProgrammeSection(
                key="overview",
                label=_("Overview"),
                url_name="programmes:overview",
                permission="programmes.view_overview",
                order=10,
                stage=nav.PEOPLE,
                pages=tuple(map(page, ["invite", "import", "import_preview"])),
            ),
            ProgrammeSection(
                key="organisations",
                label=_("Organisations"),
                url_name="programmes:organisations",
                permission="programmes.view_organisations",
                order=12,
                stage=nav.PEOPLE,
                pages=(page("sponsor_commitment"),),
            ),
            ProgrammeSection(
                key="nominations",
                label=_("Nominations"),
                url_name="programmes:nominations",
                permission="programmes.nominate_peers",
                order=13,
                stage=nav.PEOPLE,
                pages=(page("authorise"),),
            ),
            ProgrammeSection(
                key="activities",
                label=_("Activities"),
                url_name="programmes:activities",
                permission="programmes.view_activities",
                order=30,
                stage=nav.GROUP_LIFE,
                pages=tuple(map(page, ["activity_create", "activity_detail"])),
            ),
            ProgrammeSection(
                key="contacts",
                label=_("Contacts"),
                url_name="programmes:contacts",
                permission="programmes.view_contacts",
                order=31,
                stage=nav.GROUP_LIFE,
            ),
            ProgrammeSection(
                key="agenda",
                label=_("Learning agenda"),
                url_name="programmes:agenda",
                permission="programmes.view_agenda",
                order=16,
                stage=nav.SETUP,
                pages=(page("agenda_topic"),),
            ),
            ProgrammeSection(
                key="governance",
                label=_("Governance"),
                url_name="programmes:governance",
                permission="programmes.view_governance",
                order=17,
                stage=nav.SETUP,
            ),
            ProgrammeSection(
                key="library",
                label=_("Library"),
                url_name="programmes:library",
                permission="programmes.view_knowledge",
                order=50,
                stage=nav.DIFFUSION,
                pages=(page("library_item"),),
            ),
        ]
        for section in sections:
            register_section(section)
