"""Benchmark: crafted peer files refused before they cost a worker its memory.

    .venv/bin/python benchmarks/import_limits.py

Each case is built in memory, then read by ``programmes.importing.read_table`` (what a peer
upload goes through before anything is written) in a fresh process, which prints the reason it
gave, the wall and CPU time and the peak resident memory of that process.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")


def _cases() -> dict[str, Callable[[], bytes]]:
    from tests.programmes.hostile_files import one_row_of, padding, raw_xlsx, rows_of

    def two_megabytes_of_cells() -> bytes:
        # The most cells that fit in a file under the 2 MB upload limit.
        return raw_xlsx(one_row_of(16_000_000))

    return {
        "one row of 300,000 cells": lambda: raw_xlsx(one_row_of(300_000)),
        "one row of 1,000,000 cells": lambda: raw_xlsx(one_row_of(1_000_000)),
        "one row of 16,000,000 cells": two_megabytes_of_cells,
        "60 MB of sheet XML (zip bomb)": lambda: raw_xlsx(padding(60)),
        "100,000 rows of 3 cells": lambda: raw_xlsx(
            rows_of([f"p{n}@example.org", f"Peer {n}", "GH"] for n in range(100_000))
        ),
    }


def run_case(name: str) -> None:
    import django

    django.setup()
    from programmes.importing import read_table

    data = _cases()[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems: list = []
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = read_table(name="peers.xlsx", data=data, problems=problems)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reason = problems[0].message if problems else f"{len(rows or [])} rows read"
    print(
        f"| {name} | {len(data) / 1024:,.0f} KB | {seconds:.2f} s | {cpu:.2f} s | "
        f"{peak / 1024:,.0f} MB (+{(peak - before) / 1024:,.0f} MB) | {reason} |"
    )


def main() -> None:
    if len(sys.argv) > 1:
        run_case(sys.argv[1])
        return
    print("| file | size | read_table, wall | CPU | peak RSS (+ while reading) | answer |")
    print("|---|---|---|---|---|---|")
    for name in _cases():
        subprocess.run([sys.executable, __file__, name], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
