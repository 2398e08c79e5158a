"""The demo programme loaded by ``manage.py load_demo``. Safe to run any number of times."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from peerlearn.users.models import User

from .checklist import CHECKLIST, DEFAULT_CONTRACT
from .models import (
    Activity,
    ActivitySeries,
    Attendance,
    ChecklistAnswer,
    Cohort,
    Contact,
    ContractSignature,
    ContractTemplate,
    GoalType,
    KnowledgeProduct,
    KnowledgeTag,
    LearningObjective,
    Membership,
    Nomination,
    Organisation,
    Programme,
    SponsorCommitment,
    TheoryOfChange,
    WorkingGroup,
)
from .selectors import CLAUSE_TITLES

DEMO_PROGRAMME = "Budget Execution Reform Community (demo)"
DEMO_DOMAIN = "demo.peerlearn.org"

# (country code, organisation) — 33 countries, as in a PEMPAL-like network.
ORGANISATIONS: list[tuple[str, str]] = [
    ("AL", "Ministry of Finance and Economy"),
    ("AM", "Ministry of Finance"),
    ("AZ", "Ministry of Finance"),
    ("BA", "Ministry of Finance and Treasury"),
    ("BY", "Ministry of Finance"),
    ("GE", "Ministry of Finance"),
    ("HR", "Ministry of Finance"),
    ("KZ", "Ministry of Finance"),
    ("KG", "Ministry of Finance"),
    ("XK", "Ministry of Finance, Labour and Transfers"),
    ("MD", "Ministry of Finance"),
    ("ME", "Ministry of Finance"),
    ("MK", "Ministry of Finance"),
    ("RS", "Ministry of Finance"),
    ("TJ", "Ministry of Finance"),
    ("TR", "Ministry of Treasury and Finance"),
    ("UA", "Ministry of Finance"),
    ("UZ", "Ministry of Economy and Finance"),
    ("GH", "Ministry of Finance"),
    ("KE", "National Treasury"),
    ("RW", "Ministry of Finance and Economic Planning"),
    ("UG", "Ministry of Finance, Planning and Economic Development"),
    ("TZ", "Ministry of Finance"),
    ("ZA", "National Treasury"),
    ("NG", "Budget Office of the Federation"),
    ("SN", "Ministère des Finances et du Budget"),
    ("CI", "Ministère du Budget"),
    ("BJ", "Ministère de l'Économie et des Finances"),
    ("MA", "Ministère de l'Économie et des Finances"),
    ("PH", "Department of Budget and Management"),
    ("ID", "Ministry of Finance"),
    ("PE", "Ministerio de Economía y Finanzas"),
    ("CO", "Ministerio de Hacienda y Crédito Público"),
]

FIRST_NAMES = [
    "Amina",
    "Bekzod",
    "Carmen",
    "Dritan",
    "Elena",
    "Farida",
    "Goran",
    "Hasan",
    "Irina",
    "Joseph",
    "Kwame",
    "Lela",
    "Marat",
    "Nadia",
    "Oleksandr",
    "Precious",
    "Quang",
    "Rosa",
    "Samuel",
    "Tamar",
    "Ulan",
    "Vesna",
    "Wanjiru",
    "Xhesika",
    "Yusuf",
    "Zarina",
    "Aigerim",
    "Bogdan",
    "Chidi",
    "Daniela",
    "Emeka",
    "Fatou",
    "Gulnara",
    "Hugo",
    "Ines",
    "Jelena",
    "Kofi",
    "Lina",
    "Miroslav",
    "Ngozi",
    "Olga",
    "Pablo",
    "Rustam",
    "Sipho",
    "Tatiana",
    "Umar",
    "Valentina",
    "Yaw",
    "Zeynep",
    "Ana",
    "Bakhyt",
    "Cristina",
    "Dmitri",
    "Esi",
    "Felipe",
]
LAST_NAMES = [
    "Hoxha",
    "Petrosyan",
    "Aliyev",
    "Kovačević",
    "Ivanova",
    "Beridze",
    "Horvat",
    "Nurlanov",
    "Asanov",
    "Krasniqi",
    "Rusu",
    "Vujović",
    "Stojanovski",
    "Jovanović",
    "Rahimov",
    "Yılmaz",
    "Shevchenko",
    "Karimov",
    "Mensah",
    "Otieno",
    "Uwase",
    "Okello",
    "Mwakyusa",
    "Dlamini",
    "Okafor",
    "Diop",
    "Kouassi",
    "Adjovi",
    "Benali",
    "Santos",
    "Wijaya",
    "Quispe",
    "Restrepo",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    through: str = ""  # the last of a numbered range of logins starting at ``email``

    @property
    def emails(self) -> str:
        return f"{self.email} … {self.through}" if self.through else self.email


def _user(email: str, full_name: str, password: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.has_usable_password():
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load_demo(*, password: str, peers: int = 55) -> list[DemoLogin]:
    """Create (or complete) the demo programme and return the logins to print."""
    facilitator = _user(f"facilitator@{DEMO_DOMAIN}", "Farah Facilitator", password)
    manager = _user(f"manager@{DEMO_DOMAIN}", "Marta Manager", password)
    programme, _ = Programme.objects.get_or_create(
        name=DEMO_PROGRAMME,
        defaults={
            "domain": "Public financial management: budget execution and treasury reform",
            "description": (
                "A community of practice of budget and treasury officials who learn from each "
                "other's reforms: a ten-day peer event, then a year of group work and diffusion."
            ),
            "working_languages": "en, fr, ru",
            "starts_on": date(2026, 3, 2),
            "ends_on": date(2027, 3, 1),
            "created_by": facilitator,
        },
    )
    cohort, _ = Cohort.objects.get_or_create(
        programme=programme,
        name="Cohort 2026",
        defaults={"starts_on": date(2026, 3, 2), "ends_on": date(2027, 3, 1)},
    )
    Membership.objects.get_or_create(user=facilitator, programme=programme, role=Role.FACILITATOR)
    Membership.objects.get_or_create(user=manager, programme=programme, role=Role.MANAGER)

    organisations = []
    for country, name in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(name=name, country=country)
        organisations.append(organisation)

    sponsor = _user(f"sponsor@{DEMO_DOMAIN}", "Sami Sponsor", password)
    Membership.objects.get_or_create(
        user=sponsor,
        programme=programme,
        role=Role.SPONSOR,
        defaults={"organisation": organisations[0]},
    )

    first_peer: User | None = None
    last_peer: User | None = None
    for index in range(peers):
        organisation = organisations[index % len(organisations)]
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        peer = _user(f"peer{index + 1:02d}@{DEMO_DOMAIN}", f"{first} {last}", password)
        first_peer = first_peer or peer
        last_peer = peer
        Membership.objects.get_or_create(
            user=peer,
            programme=programme,
            role=Role.PEER,
            defaults={"organisation": organisation, "cohort": cohort},
        )

    _stage_one(programme, cohort, facilitator, sponsor)

    logins = [
        DemoLogin(str(Role.FACILITATOR.label), facilitator.email, password),
        DemoLogin(str(Role.MANAGER.label), manager.email, password),
        DemoLogin(str(Role.SPONSOR.label), sponsor.email, password),
    ]
    if first_peer is not None and last_peer is not None:
        through = last_peer.email if last_peer != first_peer else ""
        logins.append(DemoLogin(str(Role.PEER.label), first_peer.email, password, through))
    return logins


OBJECTIVES: list[tuple[str, str]] = [
    (
        "Learn from peers how they cut budget execution arrears and in-year reallocations",
        GoalType.EXPERIENTIAL_KNOWLEDGE,
    ),
    (
        "Understand treasury single account and commitment control designs",
        GoalType.FORMAL_KNOWLEDGE,
    ),
    ("Build a group of peers to call when a reform stalls", GoalType.PEER_SUPPORT),
    ("Produce a joint note on commitment controls with peers", GoalType.COLLABORATION),
]

CHECKLIST_ANSWERS: dict[str, str] = {
    "domain_what": (
        "Budget execution and treasury management: a functional domain shared by budget "
        "departments and treasuries, grown out of the PFM reforms of the 2000s."
    ),
    "domain_competences": "Cash planning, commitment control, in-year reporting, arrears.",
    "community_leaders": "Heads of treasury of five founding countries; the executive committee.",
    "community_tradition": "Yes: annual plenary meetings and study visits since 2006.",
    "practice_practitioners": "Members run treasuries; they see themselves as practitioners.",
    "practice_reflection": "End-of-event reflection sessions; little in between meetings.",
    "plc_qualities": "Mid-career heads of unit who own a reform and can change procedures.",
    "plc_coordination": "A facilitator team with a rotating chair from member countries.",
    "plc_where": "A ten-day event, then monthly online group meetings and two site visits.",
    "plc_stakeholders": "Peers want to learn; ministers and donors want results at scale.",
}

THEORY = {
    "focal_point": (
        "Budget execution in member countries keeps to approved budgets: fewer arrears and "
        "fewer unplanned reallocations."
    ),
    "influential_variables": (
        "Commitment control systems; cash planning capacity; political support for the "
        "budget calendar; staff turnover in treasuries."
    ),
    "assumptions": (
        "Peers facing the same execution problems learn practical fixes from each other; "
        "sponsors give them room to try those fixes at home."
    ),
}

KNOWLEDGE = [
    (
        "Commitment control: a practitioners' note",
        KnowledgeProduct.Origin.PEER,
        "https://www.pempal.org/knowledge-product/commitment-control",
        "commitment control, treasury",
    ),
    (
        "Treasury single account: lessons from practice",
        KnowledgeProduct.Origin.EXTERNAL,
        "https://www.imf.org/en/Publications/TNM/Issues/2016/12/31/Treasury-Single-Account",
        "treasury, cash management",
    ),
    (
        "Arrears clearance in five member countries",
        KnowledgeProduct.Origin.COMMUNITY,
        "https://www.pempal.org/knowledge-product/arrears",
        "arrears",
    ),
]


def _stage_one(programme: Programme, cohort: Cohort, facilitator: User, sponsor: User) -> None:
    """Theory of change, objectives, checklist, nominations, contracts, activities, contacts."""
    rng = random.Random(2026)
    TheoryOfChange.objects.update_or_create(
        programme=programme, defaults={**THEORY, "updated_by": facilitator}
    )
    for position, (text, goal_type) in enumerate(OBJECTIVES, start=1):
        LearningObjective.objects.get_or_create(
            programme=programme, text=text, defaults={"goal_type": goal_type, "position": position}
        )
    keys = {q.key for part in CHECKLIST for q in part.questions}
    for key, answer in CHECKLIST_ANSWERS.items():
        if key in keys:
            ChecklistAnswer.objects.get_or_create(
                programme=programme,
                question_key=key,
                defaults={"answer": answer, "updated_by": facilitator},
            )
    ContractTemplate.objects.get_or_create(
        programme=programme, defaults={k: str(v) for k, v in DEFAULT_CONTRACT.items()}
    )
    sponsor_membership = Membership.objects.filter(
        user=sponsor, programme=programme, role=Role.SPONSOR
    ).first()
    if sponsor_membership is not None and sponsor_membership.organisation is not None:
        SponsorCommitment.objects.get_or_create(
            programme=programme,
            organisation=sponsor_membership.organisation,
            defaults={
                "learning_wants": "How peers keep arrears down when revenue falls short.",
                "reform_context": "Our new commitment control system goes live next year.",
                "time_committed": "Ten days for the event; two hours a month afterwards.",
                "means_committed": "A report-back to the treasury department; travel for visits.",
                "committed_by": sponsor,
                "signed_name": sponsor.full_name,
                "committed_at": timezone.now(),
            },
        )

    peers = list(
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    clauses = [
        {"key": key, "title": str(CLAUSE_TITLES[key]), "text": str(text)}
        for key, text in DEFAULT_CONTRACT.items()
    ]
    for index, membership in enumerate(peers):
        organisation = membership.organisation
        if organisation is None:
            continue
        authorised = index % 9 != 4  # a few peers still wait for their sponsor
        nomination, _created = Nomination.objects.get_or_create(
            programme=programme,
            email=membership.user.email,
            defaults={
                "organisation": organisation,
                "full_name": membership.user.full_name,
                "position": "Head of unit",
            },
        )
        if authorised and nomination.authorised_at is None:
            nomination.authorised_at = timezone.now()
            nomination.method = Nomination.Method.SIGN_OFF
            nomination.signed_name = f"Director, {organisation.name}"
            nomination.save()
        if membership.charter_acknowledged_at is None:
            membership.charter_acknowledged_at = timezone.now()
            membership.save(update_fields=["charter_acknowledged_at"])
        if index % 7 != 3:  # most have signed the contract
            ContractSignature.objects.get_or_create(
                membership=membership,
                defaults={
                    "signed_name": membership.user.full_name,
                    "clauses": clauses,
                    "shares_forward": index % 2 == 0,
                },
            )

    groups = [("Commitment controls", "Controls at commitment stage"), ("Cash planning", "")]
    for offset, (name, component) in enumerate(groups):
        group, created = WorkingGroup.objects.get_or_create(
            cohort=cohort, name=name, defaults={"component": component}
        )
        if created:
            group.members.set(peers[offset::2][:8])

    title = "Ten-day peer learning event: daily plenary"
    if not Activity.objects.filter(programme=programme, title__startswith=title).exists():
        tz = timezone.get_current_timezone()
        start = datetime.combine(date(2026, 3, 2), time(9, 0), tzinfo=tz)
        series = ActivitySeries.objects.create(
            programme=programme, frequency=ActivitySeries.Frequency.DAILY, occurrences=10
        )
        days = []
        for day in range(10):
            days.append(
                Activity.objects.create(
                    programme=programme,
                    kind=Activity.Kind.PLENARY if day % 2 == 0 else Activity.Kind.SMALL_GROUP,
                    title=f"{title} ({day + 1}/10)",
                    starts_at=start + timedelta(days=day),
                    ends_at=start + timedelta(days=day, hours=7),
                    location="Hotel conference centre, Tbilisi",
                    series=series,
                    created_by=facilitator,
                )
            )
        training = Activity.objects.create(
            programme=programme,
            kind=Activity.Kind.TRAINING,
            title="Training: cash forecasting models",
            starts_at=start + timedelta(days=2, hours=5),
            ends_at=start + timedelta(days=2, hours=7),
            location="Room B",
            created_by=facilitator,
        )
        organisations = [p.organisation for p in peers if p.organisation is not None]
        visit = Activity.objects.create(
            programme=programme,
            kind=Activity.Kind.SITE_VISIT,
            title="Site visit to the State Treasury",
            starts_at=start + timedelta(days=4, hours=1),
            ends_at=start + timedelta(days=4, hours=5),
            reciprocal=True,
            host_organisation=organisations[5] if len(organisations) > 5 else None,
            created_by=facilitator,
        )
        visit.visiting_organisations.set(organisations[:4])
        for activity in [*days, training]:
            for index, membership in enumerate(peers):
                present = rng.random() < 0.9 or index == 0
                Attendance.objects.create(
                    activity=activity,
                    membership=membership,
                    present=present,
                    recorded_by=facilitator,
                )
    if not Contact.objects.filter(programme=programme).exists() and len(peers) > 2:
        channels = [c for c, _label in Contact.Channel.choices]
        for index, membership in enumerate(peers):
            for step in (1, 5):
                other = peers[(index + step) % len(peers)]
                contact = Contact.objects.create(
                    programme=programme,
                    logged_by=membership.user,
                    with_user=other.user,
                    occurred_on=date(2026, 3, 2) + timedelta(days=rng.randrange(0, 120)),
                    channel=rng.choice(channels),
                    topic="Commitment controls and arrears",
                )
                if rng.random() < 0.7:
                    contact.confirmed_at = timezone.now()
                    contact.save(update_fields=["confirmed_at"])
    for product_title, origin, url, tags in KNOWLEDGE:
        product, created = KnowledgeProduct.objects.get_or_create(
            programme=programme,
            title=product_title,
            defaults={"origin": origin, "url": url, "added_by": facilitator},
        )
        if created:
            for name in tags.split(","):
                tag, _created = KnowledgeTag.objects.get_or_create(
                    programme=programme, name=name.strip()
                )
                product.tags.add(tag)
