"""factory-boy factories shared by the whole suite."""

import factory
from factory.django import DjangoModelFactory

from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Cohort, Invitation, Membership, Organisation, Programme

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministry of Finance {n}")
    country = factory.Iterator(["GH", "KE", "AL", "PE", "PH", "UA", "SN"])


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Treasury Reform Network {n}")
    domain = "Public financial management"


class CohortFactory(DjangoModelFactory[Cohort]):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.PEER


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    programme = factory.SubFactory(ProgrammeFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.PEER
