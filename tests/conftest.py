"""Fixtures shared by the whole suite: people in every role, and real services on demand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings

from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Cohort, Organisation, Programme
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.servicekit import (  # noqa: F401
    SERVICES_USED,
    browser,
    celery_worker,
    make_run_jobs,
    redis_server,
)


@dataclass
class World:
    """One programme with a person in each role, and an outsider who runs another programme."""

    programme: Programme
    cohort: Cohort
    other_cohort: Cohort
    organisation: Organisation
    other_organisation: Organisation
    facilitator: User
    peer: User
    peer_same_cohort: User
    peer_other_cohort: User
    peer_other_organisation: User
    manager: User
    sponsor: User
    outsider: User
    admin: User
    other_programme: Programme

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


ROLES = ["anonymous", "outsider", "peer", "facilitator", "manager", "sponsor", "admin"]


@pytest.fixture
def world(db: None) -> World:
    programme = ProgrammeFactory(name="Budget Reform Network")
    other_programme = ProgrammeFactory(name="Other Network")
    cohort = CohortFactory(programme=programme, name="Cohort A")
    other_cohort = CohortFactory(programme=programme, name="Cohort B")
    organisation = OrganisationFactory(name="Ministry of Finance", country="GH")
    other_organisation = OrganisationFactory(name="National Treasury", country="KE")

    def member(email: str, role: str, **extra: object) -> User:
        user = UserFactory(email=email)
        MembershipFactory(user=user, programme=programme, role=role, **extra)
        return user

    facilitator = member("facilitator@example.org", Role.FACILITATOR)
    peer = member("peer@example.org", Role.PEER, cohort=cohort, organisation=organisation)
    peer_same_cohort = member(
        "peer.same@example.org", Role.PEER, cohort=cohort, organisation=other_organisation
    )
    peer_other_cohort = member(
        "peer.other@example.org", Role.PEER, cohort=other_cohort, organisation=organisation
    )
    peer_other_organisation = member(
        "peer.elsewhere@example.org",
        Role.PEER,
        cohort=other_cohort,
        organisation=other_organisation,
    )
    manager = member("manager@example.org", Role.MANAGER)
    sponsor = member("sponsor@example.org", Role.SPONSOR, organisation=organisation)
    outsider = UserFactory(email="outsider@example.org")
    MembershipFactory(user=outsider, programme=other_programme, role=Role.FACILITATOR)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return World(
        programme=programme,
        cohort=cohort,
        other_cohort=other_cohort,
        organisation=organisation,
        other_organisation=other_organisation,
        facilitator=facilitator,
        peer=peer,
        peer_same_cohort=peer_same_cohort,
        peer_other_cohort=peer_other_cohort,
        peer_other_organisation=peer_other_organisation,
        manager=manager,
        sponsor=sponsor,
        outsider=outsider,
        admin=admin,
        other_programme=other_programme,
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache (login rate limits, cached figures)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts and ends in the default language, whatever an earlier test (or a
    request served in another language) activated on this thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _builtin_instruments_after_a_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test (live server, ``transaction=True``) finds the database as the
    migrations left it: the built-in instruments, which a data migration loads, are loaded again
    after the flush that ends every such test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        return
    request.getfixturevalue("_django_db_helper")
    from evaluation.builtin import ensure_builtin_instruments

    ensure_builtin_instruments()


@pytest.fixture(scope="session", autouse=True)
def _record_database(django_db_setup: None, django_db_blocker: Any) -> None:
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        version = cursor.fetchone()[0]
    SERVICES_USED.insert(
        0,
        f"database: {connection.vendor}: {version} ({connection.settings_dict['NAME']})",
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("PeerLearn services")
    if not SERVICES_USED:
        terminalreporter.write_line("no external service was started")
    for line in SERVICES_USED:
        terminalreporter.write_line(line)
