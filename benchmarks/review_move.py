"""Time moving one peer between two groups of a run under review, as the page's htmx sends it.

    .venv/bin/python manage.py load_demo --peers 5000        # once, into DATABASE_URL
    DATABASE_URL=sqlite:////tmp/p5k.sqlite3 .venv/bin/python benchmarks/review_move.py
    DATABASE_URL=... .venv/bin/python benchmarks/review_move.py --repeat 5 --profile

Takes the finished run of the demo programme with the most members, logs in as its
facilitator and posts ``matching:run_move`` with ``HX-Request`` through Django's test client in
this process: a peer of the first group whose members are not locked goes to the next group
and back, ``--repeat`` times each way (confirmed, so each post is a move), then once without
the confirmation into a group where the move breaks a rule, if there is one (the warning). For
each post: the status, the SQL queries, the milliseconds, the time spent in SQL and the size of
the answer; the median of the moves at the end. ``--profile`` prints the functions that took
the most time in one move (``--sort tottime`` for the time in each function itself).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from matching.models import Group, GroupMember, MatchingRun  # noqa: E402
from peerlearn.roles import Role  # noqa: E402


def post(client: Client, url: str, data: dict[str, str]) -> tuple[int, int, float, float, int]:
    """(status, queries, ms, ms in SQL, bytes) of one htmx post."""
    queries = 0
    in_sql = 0.0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries, in_sql
        queries += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql += time.perf_counter() - started

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        elapsed = time.perf_counter() - started
    return response.status_code, queries, elapsed * 1000, in_sql * 1000, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="moves each way")
    parser.add_argument("--profile", action="store_true", help="profile one move")
    parser.add_argument("--sort", default="cumulative", help="order of the profile's lines")
    args = parser.parse_args()

    run = (
        MatchingRun.objects.filter(status=MatchingRun.Status.DONE)
        .annotate(size=Count("members"))
        .order_by("-size", "-pk")
        .select_related("cohort__programme")
        .first()
    )
    if run is None:
        sys.exit("No finished matching run: load the demo first.")
    programme = run.cohort.programme
    facilitator = programme.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    if facilitator is None:
        sys.exit("The run's programme has no facilitator.")
    groups = list(run.groups.order_by("label"))
    source = next(g for g in groups if g.members.filter(locked=False).exists())
    target = next(g for g in groups if g.pk != source.pk)
    member = GroupMember.objects.filter(group=source, locked=False).select_related("user").first()
    assert member is not None
    print(
        f"run {run.pk} of cohort {run.cohort_id}: {run.size} members in {len(groups)} groups; "  # type: ignore[attr-defined]
        f"moving {member.user.email} between {source.label} and {target.label}",
        flush=True,
    )
    client = Client()
    client.force_login(facilitator.user)
    url = reverse("matching:run_move", args=[programme.pk, run.pk])

    def move(to: Group, *, confirm: bool = True) -> tuple[int, int, float, float, int]:
        data = {"peer": member.user.email, "to_group": str(to.pk), "reason": "benchmark"}
        if confirm:
            data["confirm"] = "on"
        return post(client, url, data)

    timings = []
    for index in range(args.repeat):
        for to in (target, source):
            status, queries, ms, sql_ms, size = move(to)
            timings.append(ms)
            print(
                f"  move {index + 1} to {to.label}: {status}, {queries} queries, {ms:,.0f} ms "
                f"({sql_ms:,.0f} ms in SQL), {size / 1024:.1f} KB",
                flush=True,
            )
    print(f"median of {len(timings)} moves: {statistics.median(timings):,.0f} ms", flush=True)

    # A move that would break a rule answers with the warning and is not made.
    for other in groups[:60]:
        if other.pk == source.pk:
            continue
        status, queries, ms, sql_ms, size = move(other, confirm=False)
        moved = GroupMember.objects.filter(pk=member.pk, group=other).exists()
        if moved:
            move(source)
            continue
        print(
            f"  refused move to {other.label} (warning): {status}, {queries} queries, "
            f"{ms:,.0f} ms ({sql_ms:,.0f} ms in SQL), {size / 1024:.1f} KB",
            flush=True,
        )
        break

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        move(target)
        profile.disable()
        move(source)
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


if __name__ == "__main__":
    main()
