"""A demo programme of any size, written in bulk: ``manage.py load_demo --peers N``.

The hand-written demo (``programmes.demo``) goes through the services one peer at a time, which is
right for 55 peers and far too slow for thousands. This one writes rows with ``bulk_create`` in
the same proportions as the hand-written demo, with the same logins (facilitator, manager and
sponsor; ``peer01`` is the first peer), and each later app adds its stage with its own
``demo_bulk.extend_bulk_demo``.

The programme has two cohorts: ``Cohort 2026`` (about four peers in five) went through the
ten-day event and works in published groups; ``Cohort 2027`` is still answering its intake.
Every password is the one given, hashed once. Every timestamp is in the past.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from peerlearn.roles import Role
from peerlearn.users.models import User

from .checklist import CHECKLIST, DEFAULT_CONTRACT
from .demo import (
    CHECKLIST_ANSWERS,
    DEMO_DOMAIN,
    DEMO_PROGRAMME,
    FIRST_NAMES,
    KNOWLEDGE,
    LAST_NAMES,
    OBJECTIVES,
    ORGANISATIONS,
    THEORY,
    DemoLogin,
)
from .models import (
    Activity,
    ActivitySeries,
    Attendance,
    ChecklistAnswer,
    Cohort,
    Contact,
    ContractSignature,
    ContractTemplate,
    Invitation,
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

BATCH = 2000
STARTS = date(2026, 3, 2)
ENDS = date(2027, 3, 1)
MATCHED_SHARE = 0.8  # peers in the cohort that has its groups
# Bodies of each country besides the ministry of finance, so a large programme has a few
# hundred organisations, as a regional network does.
BODIES: list[tuple[str, str]] = [
    ("Treasury", Organisation.Kind.AGENCY),
    ("Supreme Audit Institution", Organisation.Kind.AUDIT),
    ("Revenue Authority", Organisation.Kind.AGENCY),
    ("Public Procurement Agency", Organisation.Kind.AGENCY),
    ("Ministry of Health, finance department", Organisation.Kind.MINISTRY),
    ("Ministry of Education, finance department", Organisation.Kind.MINISTRY),
    ("Parliamentary Budget Office", Organisation.Kind.LEGISLATURE),
    ("Capital City Finance Department", Organisation.Kind.SUBNATIONAL),
]
FRENCH = {"SN", "CI", "BJ", "MA"}
POSITIONS = ["Head of unit", "Deputy director", "Senior analyst", "Director", "Chief accountant"]
TOPICS = [
    "Commitment controls and arrears",
    "Cash forecasting templates",
    "Our procurement reform",
    "Preparing the site visit",
    "Payroll audit findings",
]


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _past(moment: datetime, now: datetime) -> datetime:
    return min(moment, now - timedelta(minutes=1))


def _users(
    names: list[tuple[str, str]], password_hash: str, languages: dict[str, str] | None = None
) -> list[User]:
    """Users (and their verified email addresses) for ``[(email, full name)]``, created or read."""
    emails = [email for email, _name in names]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    new = [
        User(
            email=email,
            full_name=name,
            password=password_hash,
            preferred_language=(languages or {}).get(email, ""),
        )
        for email, name in names
        if email not in existing
    ]
    created = User.objects.bulk_create(new, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in created],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    by_email = {**existing, **{u.email: u for u in created}}
    return [by_email[email] for email in emails]


def peer_name(index: int) -> str:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}"


@transaction.atomic
def build_programme(*, password: str, peers: int, seed: int = 2026) -> list[DemoLogin]:
    """The programme, its people and stage one (nominations, contracts, activities, contacts)."""
    rng = random.Random(seed)
    now = timezone.now()
    password_hash = make_password(password)
    facilitator, co_facilitator, manager, sponsor = _users(
        [
            (f"facilitator@{DEMO_DOMAIN}", "Farah Facilitator"),
            (f"facilitator2@{DEMO_DOMAIN}", "Felix Facilitator"),
            (f"manager@{DEMO_DOMAIN}", "Marta Manager"),
            (f"sponsor@{DEMO_DOMAIN}", "Sami Sponsor"),
        ],
        password_hash,
    )
    programme = Programme.objects.create(
        name=DEMO_PROGRAMME,
        domain="Public financial management: budget execution and treasury reform",
        description=(
            "A regional community of practice of budget, treasury, audit and procurement "
            "officials who learn from each other's reforms: a ten-day peer event, then a year "
            "of group work and diffusion."
        ),
        working_languages="en, fr, ru, es",
        starts_on=STARTS,
        ends_on=ENDS,
        created_by=facilitator,
    )
    cohorts = [
        Cohort.objects.create(
            programme=programme, name="Cohort 2026", starts_on=STARTS, ends_on=ENDS
        ),
        Cohort.objects.create(
            programme=programme,
            name="Cohort 2027",
            starts_on=date(2027, 3, 1),
            ends_on=date(2028, 2, 28),
        ),
    ]

    organisations = _organisations(peers)
    emails = [f"peer{index + 1:02d}@{DEMO_DOMAIN}" for index in range(peers)]
    users = _users(
        [(email, peer_name(index)) for index, email in enumerate(emails)],
        password_hash,
        {
            email: "fr"
            for index, email in enumerate(emails)
            if organisations[index % len(organisations)].country in FRENCH
        },
    )
    matched = max(1, round(peers * MATCHED_SHARE))
    staff = [
        Membership(user=facilitator, programme=programme, role=Role.FACILITATOR),
        Membership(user=co_facilitator, programme=programme, role=Role.FACILITATOR),
        Membership(user=manager, programme=programme, role=Role.MANAGER),
        Membership(
            user=sponsor, programme=programme, role=Role.SPONSOR, organisation=organisations[0]
        ),
    ]
    sponsors = _sponsors(programme, organisations, password_hash)
    memberships = Membership.objects.bulk_create(
        staff
        + sponsors
        + [
            Membership(
                user=user,
                programme=programme,
                role=Role.PEER,
                organisation=organisations[index % len(organisations)],
                cohort=cohorts[0] if index < matched else cohorts[1],
                joined_at=_moment(STARTS - timedelta(days=30 - index % 20)),
                charter_acknowledged_at=_moment(STARTS - timedelta(days=10 - index % 10)),
            )
            for index, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    peer_memberships = memberships[len(staff) + len(sponsors) :]
    _foundations(programme, facilitator, organisations, now)
    _people(programme, facilitator, peer_memberships, rng, peers, now)
    _activities(programme, cohorts, facilitator, peer_memberships[:matched], organisations, rng)
    _contacts(programme, peer_memberships, rng, now)
    _working_groups(cohorts, peer_memberships[:matched])
    return [
        DemoLogin(str(Role.FACILITATOR.label), facilitator.email, password),
        DemoLogin(str(Role.MANAGER.label), manager.email, password),
        DemoLogin(str(Role.SPONSOR.label), sponsor.email, password),
        DemoLogin(str(Role.PEER.label), users[0].email, password),
    ]


def _organisations(peers: int) -> list[Organisation]:
    """The ministries of the hand-written demo, then other bodies of the same countries: about
    one organisation per 25 peers."""
    wanted = max(len(ORGANISATIONS), peers // 25)
    names = list(ORGANISATIONS)
    for body, _kind in BODIES:
        names.extend((country, body) for country, _ministry in ORGANISATIONS)
    names = names[:wanted]
    kinds = {body: kind for body, kind in BODIES}
    existing = {
        (o.country, o.name): o
        for o in Organisation.objects.filter(name__in={name for _c, name in names})
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=name, country=country, kind=kinds.get(name, Organisation.Kind.MINISTRY)
            )
            for country, name in names
            if (country, name) not in existing
        ],
        ignore_conflicts=True,
    )
    by_key = {
        (o.country, o.name): o
        for o in Organisation.objects.filter(name__in={name for _c, name in names})
    }
    return [by_key[key] for key in names]


def _sponsors(
    programme: Programme, organisations: list[Organisation], password_hash: str
) -> list[Membership]:
    """A sponsor for every other organisation (the demo sponsor holds the first one)."""
    chosen = organisations[2::2]
    users = _users(
        [
            (f"sponsor{index + 2:03d}@{DEMO_DOMAIN}", f"Sponsor of {o.name} ({o.country})")
            for index, o in enumerate(chosen)
        ],
        password_hash,
    )
    return [
        Membership(user=user, programme=programme, role=Role.SPONSOR, organisation=organisation)
        for user, organisation in zip(users, chosen, strict=True)
    ]


def _foundations(
    programme: Programme, facilitator: User, organisations: list[Organisation], now: datetime
) -> None:
    TheoryOfChange.objects.create(programme=programme, **THEORY, updated_by=facilitator)
    LearningObjective.objects.bulk_create(
        [
            LearningObjective(programme=programme, text=text, goal_type=goal, position=position)
            for position, (text, goal) in enumerate(OBJECTIVES, start=1)
        ]
    )
    keys = {q.key for part in CHECKLIST for q in part.questions}
    ChecklistAnswer.objects.bulk_create(
        [
            ChecklistAnswer(
                programme=programme, question_key=key, answer=answer, updated_by=facilitator
            )
            for key, answer in CHECKLIST_ANSWERS.items()
            if key in keys
        ]
    )
    ContractTemplate.objects.create(
        programme=programme, **{k: str(v) for k, v in DEFAULT_CONTRACT.items()}
    )
    SponsorCommitment.objects.bulk_create(
        [
            SponsorCommitment(
                programme=programme,
                organisation=organisation,
                learning_wants="How peers keep arrears down when revenue falls short.",
                reform_context="Our new commitment control system goes live next year.",
                time_committed="Ten days for the event; two hours a month afterwards.",
                means_committed="A report-back to the department; travel for visits.",
                signed_name=f"Director, {organisation.name}",
                committed_at=_past(_moment(STARTS - timedelta(days=40)), now),
            )
            for index, organisation in enumerate(organisations)
            if index % 3 != 2
        ]
    )
    for title, origin, url, tags in KNOWLEDGE:
        product = KnowledgeProduct.objects.create(
            programme=programme, title=title, origin=origin, url=url, added_by=facilitator
        )
        for name in tags.split(","):
            tag, _created = KnowledgeTag.objects.get_or_create(
                programme=programme, name=name.strip()
            )
            product.tags.add(tag)


def _people(
    programme: Programme,
    facilitator: User,
    memberships: list[Membership],
    rng: random.Random,
    peers: int,
    now: datetime,
) -> None:
    """Invitations (all accepted, a few more still pending), nominations (eight in nine
    authorised) and contract signatures (six in seven)."""
    clauses = [
        {"key": key, "title": str(CLAUSE_TITLES[key]), "text": str(text)}
        for key, text in DEFAULT_CONTRACT.items()
    ]
    invited_at = _past(_moment(STARTS - timedelta(days=45)), now)
    invitations = [
        Invitation(
            programme=programme,
            email=m.user.email,
            full_name=m.user.full_name,
            role=Role.PEER,
            organisation=m.organisation,
            cohort=m.cohort,
            invited_by=facilitator,
            status=Invitation.Status.ACCEPTED,
            send_requested_at=invited_at,
            sent_at=invited_at,
            accepted_at=m.joined_at,
            accepted_by=m.user,
        )
        for m in memberships
    ]
    pending = max(1, peers // 30)
    invitations += [
        Invitation(
            programme=programme,
            email=f"invitee{index + 1:03d}@{DEMO_DOMAIN}",
            full_name=peer_name(peers + index),
            role=Role.PEER,
            organisation=memberships[index % len(memberships)].organisation,
            cohort=memberships[-1].cohort,
            invited_by=facilitator,
            status=Invitation.Status.PENDING if index % 4 else Invitation.Status.EXPIRED,
            send_requested_at=invited_at,
            sent_at=invited_at,
        )
        for index in range(pending)
    ]
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    authorised_at = _past(_moment(STARTS - timedelta(days=20)), now)
    Nomination.objects.bulk_create(
        [
            Nomination(
                programme=programme,
                organisation=m.organisation,
                email=m.user.email,
                full_name=m.user.full_name,
                position=POSITIONS[index % len(POSITIONS)],
                **(
                    {
                        "authorised_at": authorised_at,
                        "method": Nomination.Method.SIGN_OFF,
                        "signed_name": f"Director, {m.organisation.name}",
                    }
                    if index % 9 != 4
                    else {}
                ),
            )
            for index, m in enumerate(memberships)
            if m.organisation is not None
        ],
        batch_size=BATCH,
    )
    ContractSignature.objects.bulk_create(
        [
            ContractSignature(
                membership=m,
                signed_name=m.user.full_name,
                signed_at=_past(_moment(STARTS - timedelta(days=rng.randrange(1, 15))), now),
                clauses=clauses,
                shares_forward=index % 2 == 0,
            )
            for index, m in enumerate(memberships)
            if index % 7 != 3
        ],
        batch_size=BATCH,
    )


def _activities(
    programme: Programme,
    cohorts: list[Cohort],
    facilitator: User,
    memberships: list[Membership],
    organisations: list[Organisation],
    rng: random.Random,
) -> None:
    """The ten-day event of the first cohort, a training, a site visit and monthly webinars for
    the whole programme, with attendance."""
    start = _moment(STARTS, 9)
    series = ActivitySeries.objects.create(
        programme=programme, frequency=ActivitySeries.Frequency.DAILY, occurrences=10
    )
    title = "Ten-day peer learning event: daily plenary"
    event = [
        Activity(
            programme=programme,
            cohort=cohorts[0],
            kind=Activity.Kind.PLENARY if day % 2 == 0 else Activity.Kind.SMALL_GROUP,
            title=f"{title} ({day + 1}/10)",
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=7),
            location="Hotel conference centre, Tbilisi",
            series=series,
            created_by=facilitator,
        )
        for day in range(10)
    ]
    event.append(
        Activity(
            programme=programme,
            cohort=cohorts[0],
            kind=Activity.Kind.TRAINING,
            title="Training: cash forecasting models",
            starts_at=start + timedelta(days=2, hours=5),
            ends_at=start + timedelta(days=2, hours=7),
            location="Room B",
            created_by=facilitator,
        )
    )
    monthly_series = ActivitySeries.objects.create(
        programme=programme, frequency=ActivitySeries.Frequency.MONTHLY, occurrences=8
    )
    webinars = [
        Activity(
            programme=programme,
            kind=Activity.Kind.PLENARY,
            title=f"Monthly webinar ({month + 1}/8)",
            starts_at=start + timedelta(days=30 * (month + 1), hours=4),
            ends_at=start + timedelta(days=30 * (month + 1), hours=6),
            location="Online",
            series=monthly_series,
            created_by=facilitator,
        )
        for month in range(8)
    ]
    visit = Activity(
        programme=programme,
        cohort=cohorts[0],
        kind=Activity.Kind.SITE_VISIT,
        title="Site visit to the State Treasury",
        starts_at=start + timedelta(days=4, hours=1),
        ends_at=start + timedelta(days=4, hours=5),
        reciprocal=True,
        host_organisation=organisations[min(5, len(organisations) - 1)],
        created_by=facilitator,
    )
    created = Activity.objects.bulk_create([*event, *webinars, visit])
    created[-1].visiting_organisations.set(organisations[:4])
    now = timezone.now()
    rows = []
    for activity in created[: len(event)]:
        for index, membership in enumerate(memberships):
            rows.append(
                Attendance(
                    activity=activity,
                    membership=membership,
                    present=index == 0 or rng.random() < 0.9,
                    recorded_by=facilitator,
                )
            )
    for activity in created[len(event) : len(event) + len(webinars)]:
        if activity.starts_at > now:
            continue
        for membership in memberships:
            if rng.random() < 0.3:
                rows.append(
                    Attendance(activity=activity, membership=membership, recorded_by=facilitator)
                )
    Attendance.objects.bulk_create(rows, batch_size=5000)


def _contacts(
    programme: Programme, memberships: list[Membership], rng: random.Random, now: datetime
) -> None:
    """Two logged contacts per peer in the first months (seven in ten confirmed)."""
    if len(memberships) < 3:
        return
    channels = [c for c, _label in Contact.Channel.choices]
    rows = []
    for index, membership in enumerate(memberships):
        for step in (1, 5):
            other = memberships[(index + step) % len(memberships)]
            occurred = STARTS + timedelta(days=rng.randrange(0, 120))
            rows.append(
                Contact(
                    programme=programme,
                    logged_by_id=membership.user_id,
                    with_user_id=other.user_id,
                    occurred_on=min(occurred, now.date()),
                    channel=rng.choice(channels),
                    topic=TOPICS[(index + step) % len(TOPICS)],
                    confirmed_at=_past(_moment(occurred, 18), now) if rng.random() < 0.7 else None,
                )
            )
    Contact.objects.bulk_create(rows, batch_size=5000)


def _working_groups(cohorts: list[Cohort], memberships: list[Membership]) -> None:
    """Working groups of the event's cohort: one per 100 peers, about a dozen members each."""
    count = max(2, len(memberships) // 100)
    names = ["Commitment controls", "Cash planning", "Payroll", "Procurement", "Audit follow-up"]
    groups = WorkingGroup.objects.bulk_create(
        [
            WorkingGroup(
                cohort=cohorts[0],
                name=f"{names[index % len(names)]} {index // len(names) + 1}",
                component="Controls at commitment stage" if index % 2 == 0 else "",
            )
            for index in range(count)
        ]
    )
    through = WorkingGroup.members.through
    rows: list[Any] = []
    for index, group in enumerate(groups):
        for membership in memberships[index::count][:12]:
            rows.append(through(workinggroup_id=group.pk, membership_id=membership.pk))
    through.objects.bulk_create(rows, batch_size=BATCH)
