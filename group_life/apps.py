from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupLifeConfig(AppConfig):
    """Stages 2-3 of the hourglass: sustained contact and actual learning in matched groups."""

    name = "group_life"
    verbose_name = _("Group life")

    def ready(self) -> None:
        from .personal_data import register as register_personal_data

        register_personal_data()
        from peerlearn.home import register_next_steps

        from .next_steps import next_steps

        register_next_steps(self.label, next_steps)
        from peerlearn.contacts import register_circle

        from .selectors import accepted_pair_partner_ids

        register_circle(self.label, accepted_pair_partner_ids)
        from peerlearn.flags import register_flags
        from peerlearn.navigation import GROUP_LIFE, ProgrammeSection, register_section

        from .flags import flags_for

        register_flags(self.label, flags_for)
        sections = [
            (
                "group-life",
                _("My group"),
                "group_life:group_life",
                "view_group_life",
                25,
                ("workspace", "blind_side", "pairs", "pair", "cross_group"),
            ),
            (
                "discussions",
                _("Discussions"),
                "group_life:discussions",
                "view_discussions",
                26,
                (
                    "thread",
                    "discussion_notifications",
                    "discussion_settings",
                ),
            ),
            (
                "progress-board",
                _("Progress board"),
                "group_life:progress_board",
                "view_progress_board",
                27,
                (),
            ),
            (
                "assessments",
                _("Assessments and benchmark"),
                "group_life:assessments",
                "view_assessments",
                29,
                (
                    "assessment_tool",
                    "assessment_tool_create",
                    "assessment_criterion_add",
                    "self_assess",
                    "benchmark",
                    "assessment",
                    "assessment_review",
                ),
            ),
            (
                "placements",
                _("Embedded peer advisers"),
                "group_life:placements",
                "view_placements",
                30,
                ("placement", "placement_create", "placement_check_in", "placement_reflection"),
            ),
            (
                "reflection-journal",
                _("Reflection journal"),
                "group_life:journal",
                "keep_journal",
                28,
                ("reflection",),
            ),
        ]
        for key, label, url_name, permission, order, pages in sections:
            register_section(
                ProgrammeSection(
                    key=key,
                    label=label,
                    url_name=url_name,
                    permission=f"group_life.{permission}",
                    order=order,
                    stage=GROUP_LIFE,
                    pages=tuple(f"group_life:{name}" for name in pages),
                )
            )
