"""Problem themes benchmark: clustering of labelled challenge statements against their labels.

Run: ``.venv/bin/python benchmarks/themes.py`` (add ``--markdown`` for the RESULTS.md table).
Reads ``matching/data/challenge_statements.csv`` (160 statements written for this purpose:
public-sector reform problems in eight themes; the light embedder was tuned on it) and
``challenge_statements_heldout.csv`` (48 more, written after the tuning and never tuned on),
and reports the adjusted Rand index (ARI) of the proposed themes against the labels, for the
number of themes given (8) and chosen automatically (silhouette), on each set, on both together
and on random 80 % subsamples of the tuning set, for every embedder installed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.themes import (
    adjusted_rand_index,
    available_embedders,
    load_labelled_statements,
    propose_themes,
)


def labels_of(themes: list, n: int) -> list[int]:
    labels = [0] * n
    for index, theme in enumerate(themes):
        for member in theme.members:
            labels[member] = index
    return labels


DATA = Path(__file__).resolve().parent.parent / "matching" / "data"
SETS = {
    "tuning": [DATA / "challenge_statements.csv"],
    "held-out": [DATA / "challenge_statements_heldout.csv"],
    "both": [DATA / "challenge_statements.csv", DATA / "challenge_statements_heldout.csv"],
}


def measure(
    embedder_name: str, k: int | None, subsample: float, seeds: int, dataset: str = "tuning"
) -> dict[str, float]:
    data = [row for path in SETS[dataset] for row in load_labelled_statements(path)]
    embedder = available_embedders()[embedder_name]()
    scores, ks, seconds = [], [], []
    for seed in range(seeds):
        rows = data
        if subsample < 1.0:
            rows = random.Random(seed).sample(data, round(len(data) * subsample))
        texts = [s for _, s in rows]
        truth = [t for t, _ in rows]
        started = time.perf_counter()
        themes = propose_themes(texts, k=k, embedder=embedder)
        seconds.append(time.perf_counter() - started)
        scores.append(adjusted_rand_index(truth, labels_of(themes, len(texts))))
        ks.append(len(themes))
    return {
        "statements": len(rows),
        "ari_mean": statistics.mean(scores),
        "ari_min": min(scores),
        "ari_max": max(scores),
        "themes_mean": statistics.mean(ks),
        "seconds_mean": statistics.mean(seconds),
        "runs": seeds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    data = load_labelled_statements()
    print(
        f"{len(data)} statements, {len({t for t, _ in data})} labelled themes; "
        f"embedders: {', '.join(available_embedders())}; python {sys.version.split()[0]}"
    )
    rows = []
    plan = [("tuning", 1.0, 1), ("tuning", 0.8, args.seeds), ("held-out", 1.0, 1), ("both", 1.0, 1)]
    for name in available_embedders():
        for k in (8, None):
            for dataset, fraction, seeds in plan:
                result = measure(name, k, fraction, seeds, dataset)
                label = "8 (given)" if k else "auto (silhouette)"
                rows.append((name, label, dataset, fraction, result))
    if args.markdown:
        print(
            "| embedder | number of themes | statements (sample) | ARI mean | ARI min-max "
            "| themes found | seconds |"
        )
        print("|---|---|---|---|---|---|---|")
    for name, k, dataset, fraction, r in rows:
        sample = "all" if fraction == 1.0 else f"80 % x {r['runs']}"
        sample = f"{dataset} ({r['statements']}), {sample}"
        if args.markdown:
            print(
                f"| {name} | {k} | {sample} | {r['ari_mean']:.3f} | "
                f"{r['ari_min']:.3f}-{r['ari_max']:.3f} | {r['themes_mean']:.1f} | "
                f"{r['seconds_mean']:.2f} |"
            )
        else:
            print(
                f"{name:8s} k={k:18s} {sample:22s} ARI={r['ari_mean']:.3f} "
                f"[{r['ari_min']:.3f}, {r['ari_max']:.3f}] themes={r['themes_mean']:.1f} "
                f"time={r['seconds_mean']:.2f}s"
            )


if __name__ == "__main__":
    main()
