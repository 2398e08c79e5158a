"""The suite runs on PostgreSQL in CI: prove it, and exercise what SQLite would not catch."""

import pytest
from django.db import IntegrityError, connection, transaction

from peerlearn.roles import Role
from programmes.models import Membership
from tests.conftest import World
from tests.servicekit import in_ci

pytestmark = [pytest.mark.service, pytest.mark.django_db]


def test_ci_runs_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        if in_ci():
            pytest.fail("CI must run the suite on PostgreSQL (DATABASE_URL is not PostgreSQL)")
        pytest.skip("set DATABASE_URL=postgres://... to run the suite on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        major = int(cursor.fetchone()[0].split(".")[0])
    assert major >= 15


def test_database_enforces_the_sponsor_organisation_invariant(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.outsider, programme=world.programme, role=Role.SPONSOR)
