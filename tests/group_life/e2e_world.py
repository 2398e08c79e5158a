"""A small programme for the group-life browser tests: a facilitator, a sponsor and five peers
of one cohort from five countries, matched into two published groups."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils import timezone

from matching import engine
from matching.models import Group, GroupMember, MatchingRun
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Cohort, Membership, Organisation, Programme

PASSWORD = "peerlearn-demo"
PEERS = [
    ("amara@example.org", "Amara Mensah", "Controller and Accountant-General's Department", "GH"),
    ("bilal@example.org", "Bilal Haddad", "Ministry of Finance", "JO"),
    ("chiara@example.org", "Chiara Rossi", "Ragioneria Generale dello Stato", "IT"),
    ("dmytro@example.org", "Dmytro Koval", "State Treasury Service", "UA"),
    ("elena@example.org", "Elena Vargas", "Ministerio de Economía y Finanzas", "PE"),
]


@dataclass
class GroupLifeWorld:
    programme: Programme
    cohort: Cohort
    facilitator: User
    sponsor: User
    peers: list[User]
    group: Group  # the first three peers
    other: Group  # the last two


def _person(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build() -> GroupLifeWorld:
    programme = Programme.objects.create(name="Treasury Peer Network", domain="Treasury reform")
    cohort = Cohort.objects.create(programme=programme, name="Cohort 2026")
    facilitator = _person("facilitator@example.org", "Farah Facilitator")
    Membership.objects.create(user=facilitator, programme=programme, role=Role.FACILITATOR)
    sponsor = _person("sponsor@example.org", "Samuel Sponsor")
    peers = []
    for email, name, organisation_name, country in PEERS:
        organisation = Organisation.objects.create(name=organisation_name, country=country)
        user = _person(email, name)
        Membership.objects.create(
            user=user, programme=programme, role=Role.PEER, cohort=cohort, organisation=organisation
        )
        peers.append(user)
    Membership.objects.create(
        user=sponsor,
        programme=programme,
        role=Role.SPONSOR,
        organisation=Organisation.objects.get(country="GH"),
    )
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    group = Group.objects.create(
        run=run,
        label="G01",
        explanation={"text": "You all named payment arrears and commitment control."},
        shared_themes={"Payment arrears": [1, 2, 3]},
    )
    other = Group.objects.create(
        run=run,
        label="G02",
        explanation={"text": "You share cash-forecasting problems."},
        shared_themes={"Payment arrears": [4, 5]},
    )
    for user in peers[:3]:
        GroupMember.objects.create(run=run, group=group, user=user)
    for user in peers[3:]:
        GroupMember.objects.create(run=run, group=other, user=user)
    return GroupLifeWorld(programme, cohort, facilitator, sponsor, peers, group, other)
