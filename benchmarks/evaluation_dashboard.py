"""Benchmark: the evaluation dashboard for 5,000 peers and 100,000 survey responses.

    .venv/bin/python benchmarks/evaluation_dashboard.py            # SQLite file in /tmp
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/evaluation_dashboard.py

Builds (once; kept between runs) a programme of 5,000 peers in 40 countries, 15,000 logged
contacts, 20 survey waves of the built-in instruments with 100,000 submitted responses, 500
value-creation stories and 400 activities with attendance, then renders the dashboard page as
its programme manager through Django's test client: one cold render (nothing cached), then
RUNS renders, and prints the median, the 90th percentile and the number of queries.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/peerlearn-bench-evaluation.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PEERS = 5000
RESPONSES = 100_000
CONTACTS = 15_000
RUNS = 15
NAME = "Benchmark network (5,000 peers)"
KEYS = [
    "wenger-value-creation",
    "pempal-story",
    "continuing-engagement",
    "peer-contact",
    "pempal-network",
]


def build() -> None:
    from evaluation.builtin import ensure_builtin_instruments
    from evaluation.models import Answer, Instrument, Item, Response, Story, Wave
    from peerlearn.roles import Role
    from peerlearn.users.models import User
    from programmes.models import (
        Activity,
        Attendance,
        Cohort,
        Contact,
        Membership,
        Organisation,
        Programme,
    )

    ensure_builtin_instruments()
    rng = random.Random(5)
    programme = Programme.objects.create(name=NAME, starts_on=date(2025, 1, 6))
    cohort = Cohort.objects.create(programme=programme, name="Cohort 2025")
    manager = User.objects.create(email="bench.manager@example.org", full_name="Bench Manager")
    Membership.objects.create(user=manager, programme=programme, role=Role.MANAGER)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench ministry {i}", country=f"{chr(65 + i // 26)}{chr(65 + i % 26)}"
            )
            for i in range(40)
        ]
    )
    users = User.objects.bulk_create(
        [User(email=f"bench.peer{i}@example.org", full_name=f"Peer {i}") for i in range(PEERS)],
        batch_size=1000,
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                programme=programme,
                role=Role.PEER,
                cohort=cohort,
                organisation=organisations[i % len(organisations)],
            )
            for i, user in enumerate(users)
        ],
        batch_size=1000,
    )
    contacts = []
    for _ in range(CONTACTS):
        a, b = rng.sample(range(PEERS), 2)
        contacts.append(
            Contact(
                programme=programme,
                logged_by=users[a],
                with_user=users[b],
                occurred_on=date(2025, 1, 6) + timedelta(days=rng.randrange(365)),
                channel="call",
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    activities = Activity.objects.bulk_create(
        [
            Activity(
                programme=programme,
                cohort=cohort,
                kind="small_group",
                title=f"Meeting {i}",
                starts_at=timezone.make_aware(datetime(2025, 1, 6)) + timedelta(days=i),
                ends_at=timezone.make_aware(datetime(2025, 1, 6)) + timedelta(days=i, hours=2),
            )
            for i in range(400)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(activity=activity, membership=memberships[rng.randrange(PEERS)])
            for activity in activities
            for _ in range(25)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    waves = []
    for index in range(RESPONSES // PEERS):
        instrument = Instrument.objects.get(family=KEYS[index % len(KEYS)], is_current=True)
        opens = date(2025, 1, 20) + timedelta(days=14 * index)
        waves.append(
            Wave.objects.create(
                programme=programme,
                cohort=cohort,
                instrument=instrument,
                title=f"Wave {index + 1}",
                opens_on=opens,
                due_on=opens + timedelta(days=14),
                closes_on=opens + timedelta(days=28),
                status=Wave.Status.CLOSED,
            )
        )
    now = timezone.now()
    for wave in waves:
        items = list(wave.instrument.items.all())
        responses = Response.objects.bulk_create(
            [
                Response(
                    wave=wave,
                    instrument=wave.instrument,
                    respondent=user,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now,
                )
                for user in users
            ],
            batch_size=2000,
        )
        answers = []
        for response in responses:
            for item in items:
                answer = Answer(response=response, item=item, visibility=item.visibility)
                if item.kind == Item.Kind.LIKERT:
                    answer.number = float(rng.randint(1, 5))
                elif item.kind == Item.Kind.NUMBER:
                    answer.number = float(rng.randint(0, 5))
                elif item.kind == Item.Kind.SINGLE:
                    answer.choice = item.options()[rng.randrange(len(item.options()))][0]
                elif item.kind in Item.TEXT_KINDS:
                    if rng.random() > 0.3:
                        continue
                    answer.text = "We tried the register in two ministries."
                else:
                    continue
                answers.append(answer)
        Answer.objects.bulk_create(answers, batch_size=5000)
        print(f"  {wave.title}: {len(responses)} responses, {len(answers)} answers", flush=True)
    Story.objects.bulk_create(
        [
            Story(
                programme=programme,
                author=users[i * 10],
                title="A story",
                immediate_value="x",
                potential_value="y",
                aspirational_ending="z",
                applied_value="applied" if i % 2 else "",
            )
            for i in range(500)
        ]
    )


def main() -> None:
    from evaluation.models import Answer, Response
    from programmes.models import Programme

    call_command("migrate", verbosity=0)
    programme = Programme.objects.filter(name=NAME).first()
    if programme is None:
        print("Building the benchmark data (once)...", flush=True)
        started = time.perf_counter()
        build()
        print(f"built in {time.perf_counter() - started:.0f} s")
        programme = Programme.objects.get(name=NAME)
    responses = Response.objects.filter(wave__programme=programme).count()
    answers = Answer.objects.filter(response__wave__programme=programme).count()
    client = Client()
    from peerlearn.users.models import User

    client.force_login(User.objects.get(email="bench.manager@example.org"))
    url = reverse("evaluation:dashboard", args=[programme.pk])
    cache.clear()
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        reply = client.get(url)
    cold = time.perf_counter() - started
    cold_queries = len(executed)
    executed.clear()
    with connection.execute_wrapper(count):
        client.get(url)
    warm_queries = len(executed)
    assert reply.status_code == 200, reply.status_code
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        reply = client.get(url)
        timings.append(time.perf_counter() - started)
        assert reply.status_code == 200
    timings.sort()
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    print(f"peers: {PEERS}, responses: {responses}, answers: {answers}")
    print(f"cold render (empty cache): {cold * 1000:.0f} ms, {cold_queries} queries")
    print(f"warm render: {warm_queries} queries")
    print(
        f"warm renders ({RUNS}): median {statistics.median(timings) * 1000:.0f} ms, "
        f"p90 {timings[int(len(timings) * 0.9) - 1] * 1000:.0f} ms, "
        f"page {len(reply.content) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
