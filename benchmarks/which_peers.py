"""Benchmark: a "which peers" survey question in a cohort of 5,000 peers.

    .venv/bin/python benchmarks/which_peers.py            # SQLite file in /tmp
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/which_peers.py

Builds (once; kept between runs) a programme with one cohort of 5,000 peers, a published group
of six holding the respondent, an accepted pair and 30 logged contacts of theirs, and an open
wave of the "continuing engagement" instrument. Then, as the respondent, through Django's test
client: the answer page and a search by name (a common word that matches every peer, and a
rare one), RUNS times each, printing the median, the queries and the bytes of each answer.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/peerlearn-bench-which-peers.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PEERS = 5000
RUNS = 15
NAME = "Benchmark network (which peers, 5,000 peers)"
RESPONDENT = "bench.respondent@example.org"


def build() -> None:
    from evaluation.builtin import ensure_builtin_instruments
    from evaluation.models import Instrument, Wave
    from group_life.models import PairRequest
    from matching import engine
    from matching.models import Group, GroupMember, MatchingRun
    from peerlearn.roles import Role
    from peerlearn.users.models import User
    from programmes.models import Cohort, Contact, Membership, Organisation, Programme

    ensure_builtin_instruments()
    programme = Programme.objects.create(name=NAME, starts_on=date(2025, 1, 6))
    cohort = Cohort.objects.create(programme=programme, name="Cohort 2025")
    organisation = Organisation.objects.create(name="Bench ministry", country="GH")
    User.objects.bulk_create(
        [
            User(email=f"bench.peer{i:05}@example.org", full_name=f"Bench Peer {i:05}")
            for i in range(PEERS - 1)
        ]
        + [User(email=RESPONDENT, full_name="Rosa Respondent")]
    )
    users = list(User.objects.filter(email__startswith="bench.").order_by("email"))
    me = next(user for user in users if user.email == RESPONDENT)
    others = [user for user in users if user != me]
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                programme=programme,
                role=Role.PEER,
                cohort=cohort,
                organisation=organisation,
            )
            for user in users
        ]
    )
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    group = Group.objects.create(run=run, label="G01")
    for user in [me, *others[:5]]:
        GroupMember.objects.create(run=run, group=group, user=user)
    PairRequest.objects.create(
        programme=programme,
        requested_by=others[100],
        requested_of=me,
        purpose="Visit",
        status=PairRequest.Status.ACCEPTED,
    )
    Contact.objects.bulk_create(
        [
            Contact(
                programme=programme,
                logged_by=me,
                with_user=others[200 + i],
                occurred_on=date(2025, 3, 1) + timedelta(days=i),
                channel=Contact.Channel.CALL,
            )
            for i in range(30)
        ]
    )
    today = timezone.localdate()
    Wave.objects.create(
        programme=programme,
        cohort=cohort,
        instrument=Instrument.objects.get(family="continuing-engagement", is_current=True),
        kind=Wave.Kind.END_OF_EVENT,
        title="Continuing engagement",
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=13),
        closes_on=today + timedelta(days=27),
        status=Wave.Status.OPEN,
    )


def measure(client: Client, url: str) -> str:
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        reply = client.get(url)
    assert reply.status_code == 200, (url, reply.status_code)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    boxes = reply.content.count(b'type="checkbox" name="item-which_peers"')
    return (
        f"median {statistics.median(timings) * 1000:.0f} ms, {len(executed)} queries, "
        f"{len(reply.content) / 1024:.1f} KiB, {boxes} people to tick"
    )


def main() -> None:
    from evaluation.models import Item, Wave
    from peerlearn.users.models import User
    from programmes.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(name=NAME).exists():
        print("Building the benchmark data (once)...", flush=True)
        started = time.perf_counter()
        build()
        print(f"built in {time.perf_counter() - started:.0f} s")
    wave = Wave.objects.get(programme__name=NAME)
    item = wave.instrument.items.get(kind=Item.Kind.PEERS)
    client = Client()
    client.force_login(User.objects.get(email=RESPONDENT))
    find = reverse("evaluation:find_peers", args=[wave.pk, item.pk])
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    print(f"peers in the cohort: {PEERS}")
    print("answer page:", measure(client, reverse("evaluation:answer", args=[wave.pk])))
    print("search 'Peer' (every peer):", measure(client, f"{find}?item-which_peers-find=Peer"))
    print("search 'Peer 04321':", measure(client, f"{find}?item-which_peers-find=Peer+04321"))


if __name__ == "__main__":
    main()
