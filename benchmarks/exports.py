"""Measure an export job on a large programme: rows, seconds, queries and the peak of memory
Python allocated while writing (tracemalloc), for the responses as CSV and as XLSX.

    .venv/bin/python benchmarks/nightly.py --peers 10000     # builds the database once
    .venv/bin/python benchmarks/exports.py --peers 10000

works on a copy of the SQLite file ``benchmarks/nightly.py`` built (``--database``), as the
demo's facilitator, through ``evaluation.services.export_jobs.write_export`` (the job's task).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", type=int, default=10000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    default = Path(tempfile.gettempdir()) / f"peerlearn-nightly-{args.peers}.sqlite3"
    database = Path(args.database) if args.database else default
    if not database.exists():
        sys.exit(f"{database} does not exist: run benchmarks/nightly.py --peers {args.peers}")
    work = database.with_suffix(".exports.sqlite3")
    shutil.copyfile(database, work)
    media = Path(tempfile.mkdtemp(prefix="peerlearn-exports-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "peerlearn.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{work}"

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation.models import ExportJob
    from evaluation.services import export_jobs
    from peerlearn.users.models import User
    from programmes.models import Programme

    settings.MEDIA_ROOT = media
    facilitator = User.objects.get(email="facilitator@demo.peerlearn.org")
    programme = Programme.objects.filter(memberships__user=facilitator).order_by("pk").first()
    assert programme is not None
    print(f"{'export':<16} {'rows':>8} {'seconds':>8} {'queries':>8} {'peak MB':>8} {'file MB':>8}")
    for fmt in ("csv", "xlsx"):
        job = ExportJob.objects.create(
            programme=programme, requested_by=facilitator, kind="responses", format=fmt
        )
        tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            export_jobs.write_export(job_id=job.pk)
            seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, job.error
        print(
            f"responses.{fmt:<6} {job.rows_done:>8} {seconds:>8.1f} "
            f"{len(queries.captured_queries):>8} {peak / 2**20:>8.1f} {job.file.size / 2**20:>8.1f}"
        )
    shutil.rmtree(media, ignore_errors=True)
    connection.close()
    for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
