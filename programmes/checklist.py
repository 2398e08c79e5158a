"""The community-of-practice checklist (Annex 5 of the report): questions kept as data.

Each question has a stable key; a programme's answers are stored in ``ChecklistAnswer`` by key,
so rewording a question keeps its answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    key: str
    text: Promise


@dataclass(frozen=True)
class Part:
    key: str
    title: Promise
    questions: tuple[Question, ...]


CHECKLIST: tuple[Part, ...] = (
    Part(
        "domain",
        _("Is there a clear overarching domain?"),
        (
            Question(
                "domain_what",
                _(
                    "What is the domain - is it around professional, technical or functional "
                    "roles and tasks - and why has it emerged?"
                ),
            ),
            Question(
                "domain_managed",
                _(
                    "How is the domain managed - how are boundaries and competencies within it "
                    "defined?"
                ),
            ),
            Question("domain_evolving", _("Is the domain evolving?")),
            Question(
                "domain_principles",
                _("Are there some lasting principles which underpin that domain?"),
            ),
            Question("domain_competences", _("What are the shared competences?")),
        ),
    ),
    Part(
        "community",
        _("Is there a community?"),
        (
            Question(
                "community_interests",
                _(
                    "Are there shared interests or expertise that distinguishes a community "
                    "within that domain?"
                ),
            ),
            Question("community_leaders", _("Who are the de facto leaders of that community?")),
            Question(
                "community_activities",
                _(
                    "What are the existing activities and discussions through which the "
                    "community operates?"
                ),
            ),
            Question(
                "community_tradition",
                _("Is there an established tradition of learning from each other?"),
            ),
        ),
    ),
    Part(
        "practice",
        _("Is there a practice?"),
        (
            Question(
                "practice_practitioners",
                _(
                    "Whether or not members of that community see themselves as researchers or "
                    "analysts, do they (also) see themselves as practitioners undertaking "
                    "practical tasks?"
                ),
            ),
            Question(
                "practice_resources",
                _(
                    "How do the members of the community develop shared practitioner "
                    "resources: experiences, tools and ways of addressing problems?"
                ),
            ),
            Question(
                "practice_reflection",
                _("What opportunities for reflection on learning are built into the practice?"),
            ),
        ),
    ),
    Part(
        "plc_definition",
        _("What would define the Peer Learning Community?"),
        (
            Question(
                "plc_qualities",
                _("What are the qualities of the people who will form your community?"),
            ),
            Question(
                "plc_guidelines",
                _("What are your guidelines for selecting or inviting members of the community?"),
            ),
            Question(
                "plc_processes", _("What are the processes for selecting/inviting your members?")
            ),
            Question(
                "plc_diversity", _("How are your guidelines and processes inclusive of diversity?")
            ),
            Question(
                "plc_value",
                _(
                    "How would this add distinctive value to other initiatives within the larger "
                    "Community of Practice?"
                ),
            ),
        ),
    ),
    Part(
        "plc_management",
        _("How would this be managed?"),
        (
            Question("plc_coordination", _("How will this be coordinated?")),
            Question("plc_where", _("How and where will this interaction take place?")),
            Question("plc_resources", _("How will this be resourced?")),
            Question(
                "plc_recognition",
                _(
                    "How will the contribution of other related organisations and communities "
                    "be recognised?"
                ),
            ),
        ),
    ),
    Part(
        "plc_effective",
        _("What would make peer learning particularly effective?"),
        (
            Question(
                "plc_stakeholders",
                _(
                    "Who are the stakeholders in the peer learning? Who wants to learn and who "
                    "wants the learning to be effective at achieving result at scale?"
                ),
            ),
            Question(
                "plc_interactions", _("What will be the characteristics of the interactions?")
            ),
            Question(
                "plc_leadership",
                _(
                    "How will existing leadership within the larger Community of Practice be "
                    "recognised?"
                ),
            ),
        ),
    ),
    # Its answers are read again on the evaluation plan, beside the indicators.
    Part(
        "evaluation",
        _("How could peer learning be evaluated?"),
        (
            Question(
                "eval_interactions",
                _("How will the quality of the interactions between peers be evaluated?"),
            ),
            Question("eval_community", _("How will the Peer Learning Community be evaluated?")),
        ),
    ),
)

#: The part of the checklist whose answers the evaluation plan shows.
EVALUATION_PART = "evaluation"

QUESTION_KEYS: frozenset[str] = frozenset(q.key for part in CHECKLIST for q in part.questions)


TRUST_CHARTER: tuple[tuple[Promise, Promise], ...] = (
    (_("Talk straight"), _("Say what you think and where you are stuck, honestly and kindly.")),
    (
        _("Create transparency"),
        _("Share what you know and what you do not know; no hidden agendas."),
    ),
    (
        _("Clarify expectations"),
        _("Agree what each of us will do, by when, before the work starts."),
    ),
    (
        _("Practise accountability"),
        _("Hold yourself and the group to what was agreed, and report back."),
    ),
    (
        _("Keep commitments"),
        _("Do what you said you would do; if you cannot, say so early."),
    ),
)

DEFAULT_CONTRACT: dict[str, Promise] = {
    "working_together": _(
        "I will work together with the peers of my group on our shared problem, and contribute "
        "my own experience, including what did not work."
    ),
    "attending_meetings": _(
        "I will attend the peer meetings of my group and of the programme, and say in advance "
        "when I cannot."
    ),
    "communicating": _(
        "I will keep in regular contact with my peers between meetings, and log our contacts."
    ),
    "applying_at_home": _(
        "I will try to apply what I learn in my own organisation, and tell my peers how it went."
    ),
    "sharing_forward": _(
        "I will share what I learned with colleagues at home (a report-back, a note, a training)."
    ),
}
