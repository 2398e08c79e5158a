"""CI (``.ci/run``) runs the whole suite on PostgreSQL, so that the tests of NUL characters and of
several people acting at once meet the database they protect in production: PostgreSQL refuses
NUL in text, and only there do the concurrent requests overlap inside the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.servicekit import ROOT, in_ci

pytestmark = pytest.mark.django_db

CI_SCRIPT = Path(ROOT, ".ci", "run")


def test_the_ci_script_points_the_suite_at_postgresql_before_running_it() -> None:
    script = CI_SCRIPT.read_text()
    exported = script.index('export DATABASE_URL="postgres://')
    assert exported < script.index("\nmake test")


def test_in_ci_the_nul_and_concurrency_tests_run_on_postgresql() -> None:
    if not in_ci():
        pytest.skip("outside CI the suite may run on SQLite")
    assert connection.vendor == "postgresql", connection.vendor
