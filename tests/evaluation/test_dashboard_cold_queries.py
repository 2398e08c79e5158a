"""The pages that show a programme's risk flags answer within the page budget of SQL queries even
when nothing is cached yet (the first visit after a change computes every flag and, on the
dashboard, every figure), and the same number at two sizes of the demo programme.

The demo is written in bulk (``load_demo --peers N``) at two sizes, one after the other in the
same test (the first is rolled back). Each page is fetched with an empty cache, then again.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerlearn.users.models import User
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Programme

pytestmark = pytest.mark.django_db

DOMAIN = "demo.peerlearn.org"
SMALL, LARGE = 60, 150
MOST_QUERIES = 40
# A flag raised at one size and not the other may cost a query more or less.
SLACK = 2
PAGES = (
    ("manager", "evaluation:dashboard"),
    ("manager", "evaluation:report"),
    ("facilitator", "evaluation:dashboard"),
    ("facilitator", "programmes:overview"),
    ("facilitator", "programmes:detail"),
    ("facilitator", "group_life:group_life"),
)


def _measure(peers: int) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(role, page): (queries with an empty cache, queries again)}``."""
    call_command("load_demo", peers=peers, password="peerlearn-demo", stdout=StringIO())
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    counted = {}
    for role, page in PAGES:
        client = Client()
        client.force_login(User.objects.get(email=f"{role}@{DOMAIN}"))
        url = reverse(page, args=[programme.pk])
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        counted[(role, page)] = (len(cold.captured_queries), len(warm.captured_queries))
    return counted


def test_flag_pages_cost_few_queries_with_an_empty_cache_at_two_sizes() -> None:
    with transaction.atomic():
        small = _measure(SMALL)
        transaction.set_rollback(True)
    large = _measure(LARGE)
    report = "\n".join(
        f"{role} {page}: {small[(role, page)]} at {SMALL} peers, {large[(role, page)]} at {LARGE}"
        for role, page in PAGES
    )
    for key in PAGES:
        (small_cold, small_warm), (large_cold, large_warm) = small[key], large[key]
        assert max(small_cold, large_cold) <= MOST_QUERIES, report
        assert large_cold <= small_cold + SLACK and large_warm <= small_warm + SLACK, report
        assert large_warm <= large_cold, report
