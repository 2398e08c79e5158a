"""factory-boy factories of diffusion."""

from __future__ import annotations

import datetime
import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from diffusion.models import (
    Chapter,
    DiffusionPlan,
    ImpactStory,
    Level,
    Pilot,
    PilotMilestone,
    Recipient,
    ReportBack,
)
from diffusion.selectors import hash_token
from tests.factories import ProgrammeFactory, UserFactory


class DiffusionPlanFactory(DjangoModelFactory[DiffusionPlan]):
    class Meta:
        model = DiffusionPlan
        django_get_or_create = ("programme", "peer")

    programme = factory.SubFactory(ProgrammeFactory)
    peer = factory.SubFactory(UserFactory)
    goal = "Bring commitment controls home."
    status = DiffusionPlan.Status.PROPOSED


class ReportBackFactory(DjangoModelFactory[ReportBack]):
    class Meta:
        model = ReportBack

    programme = factory.SubFactory(ProgrammeFactory)
    peer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Report-back {n}")
    held_on = datetime.date(2026, 5, 4)
    audience = "Treasury team"
    audience_size = 10
    level = Level.TEAM


class RecipientFactory(DjangoModelFactory[Recipient]):
    class Meta:
        model = Recipient

    report_back = factory.SubFactory(ReportBackFactory)
    email = factory.Sequence(lambda n: f"attendee{n}@home.example.org")
    depth = 1
    link_sent_at = factory.LazyFunction(timezone.now)
    link_expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


def recipient_with_token(**kwargs: object) -> tuple[Recipient, str]:
    """A recipient whose feedback link token is known to the test."""
    token = secrets.token_urlsafe(32)
    recipient = RecipientFactory(token_hash=hash_token(token), **kwargs)
    return recipient, token


class ChapterFactory(DjangoModelFactory[Chapter]):
    class Meta:
        model = Chapter

    programme = factory.SubFactory(ProgrammeFactory)
    founded_by = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"National chapter {n}")
    country = "GH"
    launched_on = datetime.date(2026, 6, 1)


class PilotFactory(DjangoModelFactory[Pilot]):
    class Meta:
        model = Pilot

    programme = factory.SubFactory(ProgrammeFactory)
    lead = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Pilot {n}")
    goal = "Forecast errors below 10%."
    starts_on = datetime.date(2026, 6, 1)
    ends_on = datetime.date(2026, 9, 9)


class PilotMilestoneFactory(DjangoModelFactory[PilotMilestone]):
    class Meta:
        model = PilotMilestone

    pilot = factory.SubFactory(PilotFactory)
    title = "Template adapted"
    due_on = datetime.date(2026, 6, 15)


class ImpactStoryFactory(DjangoModelFactory[ImpactStory]):
    class Meta:
        model = ImpactStory

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Regulation amended {n}")
    kind = ImpactStory.Kind.POLICY
    description = "The regulation now requires commitment registration."
    happened_on = datetime.date(2026, 9, 1)
    evidence = "Ministerial order, article 12."
