"""Load the built-in instruments. Question texts are quoted word for word from the report
(seeds/000_ea49eecaab008382.txt); each instrument's description names its source."""

from typing import Any

from django.db import migrations

SOURCE_DOC = "Peer learning in public sector reform (report)"

VALUE_LABELS = ["No value", "Little value", "Some value", "Considerable value", "Great value"]
DESIRE_LABELS = ["None", "Weak", "Moderate", "Strong", "Very strong"]
AGREE_LABELS = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
QUALITY_LABELS = ["Very poor", "Poor", "Acceptable", "Of quality", "High quality"]
SATISFACTION_LABELS = [
    "Highly unsatisfactory",
    "Unsatisfactory",
    "Neither",
    "Satisfactory",
    "Highly satisfactory",
]
RUBRIC_LABELS = ["Absent", "Weak", "Present", "Strong", "Outstanding"]
YES_NO = [("yes", "Yes"), ("no", "No")]

POTENTIAL = "2. Potential value: What has all this activity produced?"

# (cycle, part, question, guiding questions) — Annex 6, lines 1506-1515.
WENGER = [
    (
        "immediate",
        "",
        "1. Immediate value: What happened and what was my experience of it?",
        "What were significant events? What happened? How much participation was there? "
        "What was the quality of the mutual engagement? Was it fun, inspiring, convivial? "
        "How relevant to me was the activity/interaction? With whom did I interact or make "
        "connections? Which connections are most influential on my own development?",
    ),
    (
        "potential",
        "a",
        "a. How has my participation changed me?",
        "Have I acquired new skills or knowledge? Has my understanding of the domain or my "
        "perspective changed? Do I feel more inspired by the work I do? Have I gained "
        "confidence in my ability to engage in practice?",
    ),
    (
        "potential",
        "b",
        "b. How has my participation changed my social relationships?",
        "What access to new people have I gained? Do I know them well enough to know what they "
        "can contribute to my learning? Do I trust them enough to turn to them for help? Do I "
        "feel less isolated? Am I gaining a reputation from my participation?",
    ),
    (
        "potential",
        "c",
        "c. What access to resources has my participation given me?",
        "Do I have new tools, methods, or processes? Do I have access to documents or sources "
        "of information I would not have otherwise?",
    ),
    (
        "potential",
        "d",
        "d. What position has the community acquired?",
        "Has the community changed the recognition of our expertise? Have we acquired a new "
        "voice through our collective learning?",
    ),
    (
        "potential",
        "e",
        "e. How has participating transformed my view of learning?",
        "Do I see opportunities for learning that I did not see before?",
    ),
    (
        "applied",
        "",
        "3. Applied value: What difference has it made to my practice/life/context?",
        "Where have I used the products of the community/network? Where did I apply a skill I "
        "acquired? When did I leverage a community/network connection in the accomplishment of "
        "a task? Was I able to enlist others in pursuing a cause I care about? When and how did "
        "I use a document or tool that the community produced or made accessible? How was an "
        "idea or suggestion implemented? At what level -- individual, team/unit, organisation?",
    ),
    (
        "realised",
        "",
        "4. Realised value: What difference has it made to my ability to achieve what matters "
        "to me or other stakeholders?",
        "What aspects of my performance has my participation in community/network affected? "
        "Did I save time or achieve something new? Am I more successful generally? How? What "
        "effect did the implementation of an idea have? Did any of this affect some metrics "
        "that are used to evaluate performance? What has my organisation been able to achieve "
        "because of my participation in community/network?",
    ),
    (
        "reframing",
        "",
        "5. Reframing value: Has it changed my or other stakeholders' understanding and "
        "definition of what matters?",
        "Has the process of social learning led to a reflection on what matters? Has this "
        "changed someone's understanding of what matters? Does this suggest new criteria and "
        "new metrics to include in evaluation? How has this new understanding affected those "
        "who have the power to define criteria of success? Has this new understanding "
        "translated into institutional changes? Has a new framework or system evolved or been "
        "created as a result of this new understanding?",
    ),
]

# Sirnik, Lautar & Maver (2011), quoted at lines 487-491 and 1825-1830.
PEMPAL_STORY = [
    (
        "immediate",
        "What is the most meaningful PEM PAL activity that you have participated in and your "
        "experience of it (e.g., conversation, a working session, a project, etc.)?",
    ),
    (
        "potential",
        "Please describe a specific resource this activity produced for you (e.g., an idea or "
        "document) and why you thought it might be useful.",
    ),
    ("applied", "Please tell how you used this resource in your practice."),
    ("realised", "How did this affect your personal success?"),
    ("realised", "Has your participation contributed to the success of your organisation?"),
]


def likert(labels: list[str]) -> list[dict[str, Any]]:
    return [{"value": str(i + 1), "label": {"en": label}} for i, label in enumerate(labels)]


def options(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"value": value, "label": {"en": label}} for value, label in pairs]


def instruments() -> list[dict[str, Any]]:
    wenger_items: list[dict[str, Any]] = []
    for cycle, part, question, guiding in WENGER:
        code = f"{cycle}{'_' + part if part else ''}"
        help_en = (f"{POTENTIAL} " if part else "") + "How much of this value did you experience?"
        wenger_items.append(
            {
                "code": f"{code}_rating",
                "kind": "likert",
                "text": {"en": question},
                "help": {"en": help_en},
                "choices": likert(VALUE_LABELS),
                "required": True,
                "cycle": cycle,
                "cycle_part": part,
            }
        )
        wenger_items.append(
            {
                "code": f"{code}_story",
                "kind": "long_text",
                "text": {"en": guiding},
                "help": {"en": "In your own words (optional)."},
                "visibility": "facilitators",
            }
        )
    story_items = [
        {
            "code": f"q{index}",
            "kind": "long_text",
            "text": {"en": question},
            "required": index == 1,
            "cycle": cycle,
            "visibility": "facilitators",
        }
        for index, (cycle, question) in enumerate(PEMPAL_STORY, start=1)
    ]
    return [
        {
            "key": "wenger-value-creation",
            "kind": "value_creation",
            "name": "Value creation cycles (Wenger-Trayner)",
            "source": f"{SOURCE_DOC}, Annex 6: Evaluating peer learner experience, lines 1506-1515",
            "description": (
                "The five cycles of value creation of Wenger, Trayner and de Laat: immediate, "
                "potential (a-e), applied, realised and reframing value. Questions quoted word "
                "for word from Annex 6 (Evaluating peer learner experience) of the report."
            ),
            "items": wenger_items,
        },
        {
            "key": "pempal-story",
            "kind": "story",
            "name": "PEMPAL value-creation story questions",
            "source": f"{SOURCE_DOC}, lines 487-491 and 1825-1830 (Sirnik, Lautar & Maver, 2011)",
            "description": (
                "The five questions PEMPAL used to collect value-creation stories, after the "
                "Wenger et al. framework (Sirnik, Lautar & Maver, 2011, p.10), quoted in the "
                "report at lines 487-491 and 1825-1830."
            ),
            "items": story_items,
        },
        {
            "key": "continuing-engagement",
            "kind": "engagement",
            "name": "Continuing engagement",
            "source": f"{SOURCE_DOC}, Experiment 1, line 820",
            "description": (
                "Experiment 1 (matching peers by problem, role or task): \"Peers were also asked "
                "at the end of the exercise about their desire to continue engaging with peers "
                "in their groups, given the learning that had already occurred and what they "
                'imagined might still be possible." (line 820)'
            ),
            "items": [
                {
                    "code": "desire_learning",
                    "kind": "likert",
                    "text": {
                        "en": "How strong is your desire to continue engaging with peers in "
                        "your group, given the learning that has already occurred?"
                    },
                    "choices": likert(DESIRE_LABELS),
                    "required": True,
                    "indicator": "continue_engaging",
                },
                {
                    "code": "desire_possible",
                    "kind": "likert",
                    "text": {
                        "en": "How strong is your desire to continue engaging with peers in "
                        "your group, given what you imagine might still be possible?"
                    },
                    "choices": likert(DESIRE_LABELS),
                    "required": True,
                    "indicator": "continue_possible",
                },
                {
                    "code": "which_peers",
                    "kind": "peers",
                    "text": {"en": "Which peers would you like to keep working with?"},
                },
                {
                    "code": "still_possible",
                    "kind": "long_text",
                    "text": {"en": "What do you imagine might still be possible?"},
                    "visibility": "group",
                },
            ],
        },
        {
            "key": "peer-contact",
            "kind": "contact",
            "name": "Peer contact",
            "source": f"{SOURCE_DOC}, Experiment 4 (OECD Governance Reviews), lines 947-1045",
            "description": (
                "Experiment 4 asked review participants and a control group of non-participants "
                "what a peer is, whether they had contact with a peer lasting at least 3 months, "
                "how often and how, whether the peer was in the same organisation, whether they "
                "worked on a shared task, and what was gained (report lines 1007-1021)."
            ),
            "items": [
                {
                    "code": "peer_meaning",
                    "kind": "long_text",
                    "text": {"en": "What does \"peer\" mean to you?"},
                    "required": True,
                    "visibility": "programme",
                    "indicator": "peer_definition",
                },
                {
                    "code": "contact_3_months",
                    "kind": "single",
                    "text": {
                        "en": "Has your participation led to your having contact with a peer, "
                        "defined as above, who you would not otherwise have had contact with "
                        "and which lasted at least 3 months?"
                    },
                    "choices": options(YES_NO),
                    "required": True,
                    "indicator": "contact_3_months",
                },
                {
                    "code": "duration",
                    "kind": "single",
                    "text": {"en": "How long have you maintained contact with this peer?"},
                    "choices": options(
                        [
                            ("under_1", "Less than a month"),
                            ("1_3", "One to three months"),
                            ("3_12", "Several months"),
                            ("12_plus", "A year or more"),
                        ]
                    ),
                },
                {
                    "code": "frequency",
                    "kind": "single",
                    "text": {"en": "How often are you in contact with this peer?"},
                    "choices": options(
                        [
                            ("weekly", "Weekly or more often"),
                            ("monthly", "Monthly"),
                            ("less", "Less than monthly"),
                        ]
                    ),
                    "indicator": "contact_frequency",
                },
                {
                    "code": "channel",
                    "kind": "multiple",
                    "text": {"en": "How do you keep in contact?"},
                    "choices": options(
                        [
                            ("phone", "Phone"),
                            ("email", "Email"),
                            ("video", "Video call"),
                            ("messaging", "Messaging"),
                            ("in_person", "In person"),
                        ]
                    ),
                },
                {
                    "code": "same_organisation",
                    "kind": "single",
                    "text": {"en": "Is this peer in the same organisation as you?"},
                    "choices": options(YES_NO),
                },
                {
                    "code": "shared_task",
                    "kind": "single",
                    "text": {
                        "en": "Have you worked together with this peer on a specific task "
                        "(for example a twinning project, policy implementation, a grant "
                        "project or a draft law)?"
                    },
                    "choices": options(YES_NO),
                    "indicator": "shared_task",
                },
                {
                    "code": "contact_peers",
                    "kind": "peers",
                    "text": {"en": "Which peers in this programme are you in contact with?"},
                },
                {
                    "code": "lessons",
                    "kind": "long_text",
                    "text": {
                        "en": "What was gained from the peer contact? Which practical lessons "
                        "did you take from it?"
                    },
                    "visibility": "facilitators",
                },
            ],
        },
        {
            "key": "end-product-rubric",
            "kind": "rubric",
            "name": "End-product rubric",
            "source": f"{SOURCE_DOC}, Experiment 1, line 820",
            "description": (
                "Experiment 1 assessed each group's end product \"by examining the new "
                "peer-driven ideas in each example, the way the groups drew on their different "
                'experiences, and the interaction of peers in the presentation." (line 820) '
                "Filled in by a facilitator for each group or pair."
            ),
            "items": [
                {
                    "code": "group",
                    "kind": "short_text",
                    "text": {"en": "Group or pair assessed"},
                    "required": True,
                    "visibility": "programme",
                },
                {
                    "code": "new_ideas",
                    "kind": "likert",
                    "text": {"en": "The new peer-driven ideas in the end product"},
                    "choices": likert(RUBRIC_LABELS),
                    "required": True,
                    "indicator": "rubric_ideas",
                },
                {
                    "code": "experiences",
                    "kind": "likert",
                    "text": {"en": "The way the group drew on their different experiences"},
                    "choices": likert(RUBRIC_LABELS),
                    "required": True,
                    "indicator": "rubric_experiences",
                },
                {
                    "code": "interaction",
                    "kind": "likert",
                    "text": {"en": "The interaction of peers in the presentation"},
                    "choices": likert(RUBRIC_LABELS),
                    "required": True,
                    "indicator": "rubric_interaction",
                },
                {
                    "code": "notes",
                    "kind": "long_text",
                    "text": {"en": "Notes"},
                    "visibility": "facilitators",
                },
            ],
        },
        {
            "key": "pempal-network",
            "kind": "network",
            "name": "Network indicators (PEMPAL)",
            "source": f"{SOURCE_DOC}, Annex 7: The PEMPAL peer learning evaluation mechanism",
            "description": (
                "The survey-based indicators of the PEMPAL evaluation mechanism (Annex 7, "
                "Folscher 2009): sense of belonging and of influence on priority setting, use "
                "and quality of learning resources, rating of event inputs, use of the network's "
                "experiences in one's own organisation and contributions."
            ),
            "items": [
                {
                    "code": "belonging",
                    "kind": "likert",
                    "text": {"en": "I have a sense of belonging to the network."},
                    "choices": likert(AGREE_LABELS),
                    "required": True,
                    "indicator": "belonging",
                },
                {
                    "code": "influence",
                    "kind": "likert",
                    "text": {"en": "I believe I am able to influence network priority setting."},
                    "choices": likert(AGREE_LABELS),
                    "required": True,
                    "indicator": "influence",
                },
                {
                    "code": "resource_use",
                    "kind": "single",
                    "text": {
                        "en": "How often do you use the network's website and/or other "
                        "learning resources?"
                    },
                    "choices": options(
                        [
                            ("never", "Never"),
                            ("up_to_6", "Up to 6 times a year"),
                            ("more_than_6", "More than 6 times a year"),
                        ]
                    ),
                    "indicator": "resource_use",
                },
                {
                    "code": "resource_quality",
                    "kind": "likert",
                    "text": {"en": "How do you rate the network's learning resources?"},
                    "choices": likert(QUALITY_LABELS),
                    "indicator": "resource_quality",
                },
                {
                    "code": "event_inputs",
                    "kind": "likert",
                    "text": {"en": "How do you rate the inputs at the network's events?"},
                    "choices": likert(SATISFACTION_LABELS),
                    "indicator": "event_inputs",
                },
                {
                    "code": "use_in_organisation",
                    "kind": "single",
                    "text": {
                        "en": "Have you used the network's experiences in designing and "
                        "recommending or implementing improvements in your own organisation?"
                    },
                    "choices": options(YES_NO),
                    "required": True,
                    "indicator": "use_in_organisation",
                },
                {
                    "code": "contributions",
                    "kind": "number",
                    "text": {
                        "en": "How many contributions have you made to the network's events "
                        "and learning resources in this period (presentations, documents, "
                        "technical assistance missions)?"
                    },
                    "min_value": 0,
                    "max_value": 500,
                    "indicator": "contributions",
                },
            ],
        },
    ]


def load(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("evaluation", "Instrument")
    Item = apps.get_model("evaluation", "Item")
    for definition in instruments():
        instrument, created = Instrument.objects.get_or_create(
            family=definition["key"],
            version=1,
            defaults={
                "key": definition["key"],
                "kind": definition["kind"],
                "name": {"en": definition["name"]},
                "description": {"en": definition["description"]},
                "source": definition["source"],
                "is_current": True,
            },
        )
        if not created:
            continue
        for position, item in enumerate(definition["items"], start=1):
            Item.objects.create(
                instrument=instrument,
                position=position,
                code=item["code"],
                kind=item["kind"],
                text=item["text"],
                help=item.get("help", {}),
                choices=item.get("choices", []),
                required=item.get("required", False),
                visibility=item.get("visibility", "facilitators"),
                min_value=item.get("min_value"),
                max_value=item.get("max_value"),
                cycle=item.get("cycle", ""),
                cycle_part=item.get("cycle_part", ""),
                indicator=item.get("indicator", ""),
            )


def unload(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("evaluation", "Instrument")
    keys = [definition["key"] for definition in instruments()]
    Instrument.objects.filter(programme__isnull=True, family__in=keys, responses=None).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
