"""The demo programme loaded by ``manage.py load_demo``. Safe to run any number of times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.db import transaction

from peerlearn.roles import Role
from peerlearn.users.models import User

from .models import Cohort, Membership, Organisation, Programme

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
    for index in range(peers):
        organisation = organisations[index % len(organisations)]
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        peer = _user(f"peer{index + 1:02d}@{DEMO_DOMAIN}", f"{first} {last}", password)
        first_peer = first_peer or peer
        Membership.objects.get_or_create(
            user=peer,
            programme=programme,
            role=Role.PEER,
            defaults={"organisation": organisation, "cohort": cohort},
        )

    logins = [
        DemoLogin(str(Role.FACILITATOR.label), facilitator.email, password),
        DemoLogin(str(Role.MANAGER.label), manager.email, password),
        DemoLogin(str(Role.SPONSOR.label), sponsor.email, password),
    ]
    if first_peer is not None:
        logins.append(DemoLogin(str(Role.PEER.label), first_peer.email, password))
    return logins
