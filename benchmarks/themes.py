"""Problem themes benchmark: multilingual labelled statements, guided themes, speed and memory.

Run: ``.venv/bin/python benchmarks/themes.py`` (``--quick`` skips the 10,000-statement run;
``--end-to-end`` only times ``manage.py propose_themes`` on 2,000 statements, wall and CPU).
Prints Markdown for ``benchmarks/RESULTS.md``.

Data (``benchmarks/data/``, see its README): 312 labelled statements to tune on and 132 held
back (never tuned on), twelve themes, in English, French, Russian, Spanish and Portuguese.

Quality: adjusted Rand index (ARI) and normalised mutual information (NMI) from
``sklearn.metrics`` against the labels, and the cross-lingual rate: for each theme, the cluster
holding most of its English statements is its home; the rate is the share of non-English
statements placed in their theme's home, per language. Reported with the number of themes
given (12) and chosen (modularity), for the pipeline and for its two halves alone (the sentence
encoder without the lexicon, the lexicon without the encoder).

Speed: ``propose`` on 250, 2,000 and 10,000 statements (built by joining halves of labelled
statements of one theme and language), each in a fresh process: wall seconds of loading the
encoder, embedding, clustering with naming, and peak resident memory of the whole process
(``resource.getrusage(...).ru_maxrss``). The 2,000 run is also timed end to end through
``manage.py propose_themes --themes 12``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from matching.themes import SeedTheme, embed, propose, propose_guided  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
LANGUAGES = ("fr", "ru", "es", "pt")


def load(name: str) -> list[dict[str, str]]:
    with (DATA / f"themes_{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def labels_of(themes: Sequence, n: int) -> list[int]:
    labels = [-1] * n
    for index, theme in enumerate(themes):
        for member in theme.members:
            labels[member] = index
    return labels


def cross_lingual(labels: Sequence[int], truth: Sequence[str], langs: Sequence[str]) -> dict:
    home = {}
    for theme in set(truth):
        english = Counter(
            label
            for label, t, lang in zip(labels, truth, langs, strict=True)
            if t == theme and lang == "en"
        )
        home[theme] = english.most_common(1)[0][0] if english else None
    rates: dict[str, float] = {}
    for language in [*LANGUAGES, "all"]:
        chosen = [i for i, lang in enumerate(langs) if lang != "en" and language in (lang, "all")]
        if chosen:
            rates[language] = sum(labels[i] == home[truth[i]] for i in chosen) / len(chosen)
    return rates


def quality(rows: list[dict[str, str]], vectors: list, k: int | None, share: float) -> dict:
    texts = [r["statement"] for r in rows]
    truth = [r["theme"] for r in rows]
    langs = [r["lang"] for r in rows]
    started = time.perf_counter()
    proposal = propose(texts, vectors=vectors, k=k, concept_share=share)
    seconds = time.perf_counter() - started
    labels = labels_of(proposal.themes, len(texts))
    return {
        "ari": adjusted_rand_score(truth, labels),
        "nmi": normalized_mutual_info_score(truth, labels),
        "cross": cross_lingual(labels, truth, langs),
        "themes": len(proposal.themes),
        "seconds": seconds,
        "names": [t.name for t in proposal.themes],
    }


def fmt_cross(cross: dict) -> str:
    return " | ".join(f"{cross[x]:.2f}" if x in cross else "-" for x in [*LANGUAGES, "all"])


def quality_section(sets: dict[str, list[dict[str, str]]], subsamples: int) -> None:
    vectors = {name: embed([r["statement"] for r in rows]) for name, rows in sets.items()}
    print("### Quality against the labels\n")
    print(
        "| statements | method | themes asked | themes found | ARI | NMI "
        "| cross-lingual FR | RU | ES | PT | all non-EN |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    methods = [("encoder + lexicon", 0.5), ("encoder alone", 0.0), ("lexicon alone", 1.0)]
    for name, rows in sets.items():
        for method, share in methods:
            for k in (12, None):
                if share != 0.5 and k is None:
                    continue
                r = quality(rows, vectors[name], k, share)
                asked = str(k) if k else "chosen"
                print(
                    f"| {name} ({len(rows)}) | {method} | {asked} | {r['themes']} "
                    f"| {r['ari']:.3f} | {r['nmi']:.3f} | {fmt_cross(r['cross'])} |"
                )
    tuning = sets["tuning"]
    aris, crosses = [], []
    for seed in range(subsamples):
        chosen = sorted(random.Random(seed).sample(range(len(tuning)), int(0.8 * len(tuning))))
        rows = [tuning[i] for i in chosen]
        r = quality(rows, [vectors["tuning"][i] for i in chosen], 12, 0.5)
        aris.append(r["ari"])
        crosses.append(r["cross"]["all"])
    print(
        f"\nTuning set, {subsamples} random 80 % subsamples, 12 themes asked: ARI mean "
        f"{statistics.mean(aris):.3f} (min {min(aris):.3f}, max {max(aris):.3f}); "
        f"cross-lingual mean {statistics.mean(crosses):.2f}.\n"
    )
    for name in ("heldback",):
        rows = [r for r in sets[name] if r["lang"] != "pt"]
        vecs = [v for v, r in zip(vectors[name], sets[name], strict=True) if r["lang"] != "pt"]
        r = quality(rows, vecs, 12, 0.5)
        print(
            f"Held-back set without Portuguese (EN/FR/RU/ES, {len(rows)} statements, 12 "
            f"themes asked): ARI {r['ari']:.3f}, NMI {r['nmi']:.3f}, cross-lingual "
            f"{r['cross']['all']:.2f}.\n"
        )
    for language in ("en", "fr", "ru"):
        proposal = propose(
            [x["statement"] for x in sets["heldback"]],
            vectors=vectors["heldback"],
            k=12,
            language=language,
        )
        print(f"Theme names on the held-back set, `language={language}`: ")
        print("; ".join(t.name for t in proposal.themes) + ".\n")


def guided_section(sets: dict[str, list[dict[str, str]]]) -> None:
    with (DATA / "themes_labels.csv").open(encoding="utf-8", newline="") as handle:
        labels = list(csv.DictReader(handle))
    seeds = [SeedTheme(r["name"], r["description"]) for r in labels]
    keys = [r["theme"] for r in labels]
    print("### Guided themes\n")
    print(
        "Seed themes: the labels' names with their one-line description "
        "(`themes_labels.csv`). With some seeds left out, their statements should come back "
        "as new themes rather than leak into the seeded ones.\n"
    )
    print(
        "| statements | seeds given | ARI | themes (new) | statements of left-out themes "
        "placed in seeded themes |"
    )
    print("|---|---|---|---|---|")
    plans = [list(range(12)), list(range(8)), list(range(4, 12)), [0, 2, 4, 6, 8, 10]]
    for name, rows in sets.items():
        texts = [r["statement"] for r in rows]
        truth = [r["theme"] for r in rows]
        vectors = embed(texts)
        for keep in plans:
            proposal = propose_guided(texts, [seeds[i] for i in keep], vectors=vectors)
            predicted = labels_of(proposal.themes, len(texts))
            missing = {keys[i] for i in range(12) if i not in keep}
            leaked = sum(
                1
                for theme in proposal.themes
                if theme.seed is not None
                for m in theme.members
                if truth[m] in missing
            )
            total = sum(t in missing for t in truth)
            new = sum(t.seed is None for t in proposal.themes)
            print(
                f"| {name} ({len(rows)}) | {len(keep)} | "
                f"{adjusted_rand_score(truth, predicted):.3f} | {len(proposal.themes)} ({new}) "
                f"| {leaked} of {total} |"
            )
    print()


def synthetic(n: int, seed: int = 0) -> list[str]:
    rows = load("tuning") + load("heldback")
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row["theme"], row["lang"]), []).append(row["statement"])
    keys = sorted(groups)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pool = groups[rng.choice(keys)]
        first, second = rng.choice(pool).split(), rng.choice(pool).split()
        out.append(" ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :]))
    return out


def _measure_child(n: int) -> None:
    """Run in a fresh process: print one JSON line of timings."""

    from matching.themes import vectors as vector_module

    texts = synthetic(n)
    started = time.perf_counter()
    vector_module.encode(["warm up"])
    loaded = time.perf_counter()
    statement_vectors = embed(texts)
    embedded = time.perf_counter()
    proposal = propose(texts, vectors=statement_vectors, k=12)
    clustered = time.perf_counter()
    chosen = propose(texts, vectors=statement_vectors)
    chose = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": n,
                "load": loaded - started,
                "embed": embedded - loaded,
                "cluster12": clustered - embedded,
                "cluster_chosen": chose - clustered,
                "k_chosen": len(chosen.themes),
                "themes12": len(proposal.themes),
                "peak_mb": peak,
            }
        )
    )


def speed_section(sizes: Sequence[int]) -> None:
    print("### Speed and memory\n")
    print(
        "Each size in a fresh process. Seconds are wall-clock; peak RSS is the whole process "
        "(interpreter, encoder weights, data), from `ru_maxrss`.\n"
    )
    print(
        "| statements | load encoder s | embed s | cluster + name, 12 asked s "
        "| cluster + name, count chosen s (count) | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {n:,} | {r['load']:.1f} | {r['embed']:.1f} | {r['cluster12']:.1f} "
            f"| {r['cluster_chosen']:.1f} ({r['k_chosen']}) | {r['peak_mb']:.0f} |"
        )
    end_to_end()


def end_to_end(n: int = 2000) -> None:
    """``manage.py propose_themes --themes 12`` on ``n`` statements in a child process: wall
    seconds, and the CPU seconds it used (user and system, from ``RUSAGE_CHILDREN``), which
    tell how much of the wall time was waiting for a busy machine."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "statements.csv", Path(folder) / "themes.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows((f"s{i}", t) for i, t in enumerate(synthetic(n, seed=1)))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "propose_themes",
                "--input",
                str(source),
                "--output",
                str(target),
                "--themes",
                "12",
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with target.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    print(
        f"\n`manage.py propose_themes --themes 12` on {n:,} statements, end to end (Django "
        f"start, reading, encoder load, embedding, clustering, writing): {seconds:.1f} s wall, "
        f"{cpu:.1f} s CPU (load average {load:.1f} at start); "
        f"{len(rows)} rows, {len({r['theme'] for r in rows})} themes.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip 10,000 statements")
    parser.add_argument("--subsamples", type=int, default=5)
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--end-to-end", action="store_true", help="only time manage.py on 2,000 statements"
    )
    args = parser.parse_args()
    if args.child:
        _measure_child(args.child)
        return
    if args.end_to_end:
        end_to_end()
        return
    load_average = os.getloadavg()
    print(
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/themes.py` "
        f"on {os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}; load average at start "
        f"{' '.join(f'{x:.2f}' for x in load_average)}.\n"
    )
    sets = {"tuning": load("tuning"), "heldback": load("heldback")}
    sets["both"] = sets["tuning"] + sets["heldback"]
    quality_section(sets, args.subsamples)
    guided_section({"tuning": sets["tuning"], "heldback": sets["heldback"]})
    speed_section((250, 2000) if args.quick else (250, 2000, 10000))


if __name__ == "__main__":
    main()
