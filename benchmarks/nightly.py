"""Measure the nightly jobs that send email on a large programme: queries, seconds, emails and
connections to the mail server, on a first run and on a second run the same day (nothing to do).

    .venv/bin/python benchmarks/nightly.py --peers 10000

builds the demo programme with ``manage.py load_demo --peers N`` into a throwaway SQLite file
(``--database``, kept for the next run with the same N; ``--fresh`` builds it again), copies
it, and on the copy runs the group-life nudges for today and the wave schedule for the day the
demo's survey reminders fall due (``--wave-days-ahead``), twice each, in this process. Email
goes to Django's in-memory outbox through a backend that counts the connections made.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", type=int, default=10000)
    parser.add_argument("--database", default="")
    parser.add_argument("--fresh", action="store_true")
    # The demo's open wave invited everyone five days ago, seven days between emails: its
    # reminders are due two days after the demo was built.
    parser.add_argument("--wave-days-ahead", type=int, default=2)
    args = parser.parse_args()
    default = Path(tempfile.gettempdir()) / f"peerlearn-nightly-{args.peers}.sqlite3"
    database = Path(args.database) if args.database else default
    if args.fresh and database.exists():
        database.unlink()
    os.environ["DJANGO_SETTINGS_MODULE"] = "peerlearn.settings.test"
    if not database.exists():
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
        started = time.monotonic()
        for command in (["migrate", "-v", "0"], ["load_demo", "--peers", str(args.peers)]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        print(f"migrate + load_demo --peers {args.peers}: {time.monotonic() - started:.0f} s")
    work = database.with_suffix(".run.sqlite3")
    shutil.copyfile(database, work)
    os.environ["DATABASE_URL"] = f"sqlite:///{work}"

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from evaluation.services import run_wave_schedule
    from group_life.services import send_nudges
    from tests.mailfaults import CountingBackend

    settings.EMAIL_BACKEND = "tests.mailfaults.CountingBackend"
    today = timezone.localdate()
    wave_day = today + timedelta(days=args.wave_days_ahead)
    jobs = [
        ("group-life nudges", lambda: send_nudges(today=today)),
        ("wave schedule", lambda: run_wave_schedule(today=wave_day)),
    ]
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · {today}")
    print(f"{'job':<20} {'run':<7} {'queries':>8} {'seconds':>8} {'emails':>7} {'conn.':>6}")
    for name, job in jobs:
        for run in ("first", "second"):
            mail.outbox = []
            CountingBackend.connections = 0
            with CaptureQueriesContext(connection) as queries:
                started = time.monotonic()
                job()
                seconds = time.monotonic() - started
            print(
                f"{name:<20} {run:<7} {len(queries.captured_queries):>8} {seconds:>8.2f} "
                f"{len(mail.outbox):>7} {CountingBackend.connections:>6}"
            )


if __name__ == "__main__":
    main()
