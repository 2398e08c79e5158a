"""Factories for stage-one objects."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from programmes.models import (
    Activity,
    Attendance,
    Contact,
    ContractSignature,
    KnowledgeProduct,
    LearningObjective,
    Nomination,
    PeerImport,
)
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory


class ActivityFactory(DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Activity.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Peer meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    present = True


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    programme = factory.SubFactory(ProgrammeFactory)
    logged_by = factory.SubFactory(UserFactory)
    with_user = factory.SubFactory(UserFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    channel = Contact.Channel.CALL
    topic = "Arrears"


class NominationFactory(DjangoModelFactory[Nomination]):
    class Meta:
        model = Nomination

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"nominee{n}@example.org")


class LearningObjectiveFactory(DjangoModelFactory[LearningObjective]):
    class Meta:
        model = LearningObjective

    programme = factory.SubFactory(ProgrammeFactory)
    text = factory.Sequence(lambda n: f"Objective {n}")
    goal_type = "peer_support"


class KnowledgeProductFactory(DjangoModelFactory[KnowledgeProduct]):
    class Meta:
        model = KnowledgeProduct

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    origin = KnowledgeProduct.Origin.EXTERNAL
    url = "https://example.org/note"


class ContractSignatureFactory(DjangoModelFactory[ContractSignature]):
    class Meta:
        model = ContractSignature

    signed_name = "Signed Peer"
    clauses: Any = factory.LazyFunction(list)


class PeerImportFactory(DjangoModelFactory[PeerImport]):
    class Meta:
        model = PeerImport

    filename = "peers.csv"
    rows: Any = factory.LazyFunction(list)
