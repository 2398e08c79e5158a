"""Benchmark: the themes of real cohorts in Django, through the services a facilitator's
clicks call.

    .venv/bin/python benchmarks/themes_cohort.py                 # the field cohort
    .venv/bin/python benchmarks/themes_cohort.py --write         # ... and into RESULTS.md
    .venv/bin/python benchmarks/themes_cohort.py --scale 1000 5000 [--propose]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/themes_cohort.py

**The field cohort** (default): 73 peers writing 299 challenge statements in English, French
and Russian, drawn (with a fixed seed) from the labelled EN/FR/RU statements of
``benchmarks/data`` (tuning and held-back sets), four or five per peer, each peer writing in one
language. Each intake is submitted through ``submit_intake`` (statements embedded by the
background job, run in the process); then the facilitator proposes themes with the count left
to the pipeline, names in English, and again with 12 themes asked (names in English, French and
Russian). For each proposal: the largest theme's share of the statements (it must stay under
half), themes of a single statement and those that are one Russian statement (there must be
none), names that are stop words or lists holding stop words (there must be none), ARI and NMI
against the labels and the cross-lingual rate (share of French and Russian statements placed in
the theme holding most English statements of their label). ``--write`` puts the figures, with
the machine and date, in ``benchmarks/RESULTS.md`` between the markers of this section.

**Large cohorts** (``--scale N ...``): for each size (built once and kept between runs, in an
SQLite file in /tmp by default): a cohort of N peers with three statements each, drawn from
the multilingual labelled statements of ``benchmarks/data`` (EN/FR/RU/ES/PT), their vectors
stored (the distinct statements are embedded once and their vectors reused), twelve themes
holding the statements of their label, and the fitted theme model. Then, measured through
Django's test client and services:

* the themes page as the facilitator (all statements; without a theme; a search on page 2):
  median and 90th percentile of RUNS renders, SQL queries and HTML size;
* a late joiner's intake submission with its background job (run in the process, as without
  a broker): median time and queries over LATE submissions — it should not grow with N;
* the same after the facilitator moved one statement (the model is fitted again from the
  stored vectors, once);
* with ``--propose``: a proposal of 12 themes from the stored vectors, end to end, and the page
  comparing it with the themes in use.
"""

from __future__ import annotations

import csv
import logging
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/peerlearn-bench-themes.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 10
LATE = 10
DATA = ROOT / "benchmarks" / "data"


def _statements() -> list[tuple[str, str]]:
    rows = []
    for name in ("themes_tuning.csv", "themes_heldback.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            rows.extend((row["theme"], row["statement"]) for row in csv.DictReader(handle))
    return rows


def _name(peers: int) -> str:
    return f"Themes benchmark ({peers} peers)"


def build(peers: int) -> None:
    from matching import services, themes
    from matching.models import Challenge, ChallengeVector, IntakeResponse, Theme
    from matching.services import statement_vectors
    from peerlearn.roles import Role
    from peerlearn.users.models import User
    from programmes.models import Cohort, Membership, Programme

    rows = _statements()
    distinct = sorted({text for _theme, text in rows})
    vectors = dict(zip(distinct, themes.embed(distinct), strict=True))
    programme = Programme.objects.create(name=_name(peers))
    cohort = Cohort.objects.create(programme=programme, name="Cohort")
    facilitator = User.objects.create(email=f"bench.fac{peers}@example.org", full_name="Fac")
    Membership.objects.create(user=facilitator, programme=programme, role=Role.FACILITATOR)
    survey = services.ensure_survey(cohort=cohort)
    users = User.objects.bulk_create(
        [User(email=f"bench{peers}.peer{i}@example.org") for i in range(peers)], batch_size=2000
    )
    Membership.objects.bulk_create(
        [Membership(user=u, programme=programme, role=Role.PEER, cohort=cohort) for u in users],
        batch_size=2000,
    )
    now = timezone.now()
    responses = IntakeResponse.objects.bulk_create(
        [IntakeResponse(survey=survey, user=u, submitted_at=now) for u in users], batch_size=2000
    )
    labels = sorted({theme for theme, _text in rows})
    made = {label: Theme.objects.create(survey=survey, name=label) for label in labels}
    challenges = []
    for index, response in enumerate(responses):
        for position in range(3):
            theme, text = rows[(index * 3 + position) % len(rows)]
            challenges.append(
                Challenge(
                    response=response,
                    position=position,
                    text=text,
                    theme=made[theme],
                    language=vectors[text].language,
                )
            )
    challenges = Challenge.objects.bulk_create(challenges, batch_size=2000)
    if any(c.pk is None for c in challenges):
        challenges = list(Challenge.objects.filter(response__survey=survey).order_by("pk"))
    ChallengeVector.objects.bulk_create(
        [
            ChallengeVector(
                challenge=c,
                version=vectors[c.text].version,
                data=vectors[c.text].to_dict(),
            )
            for c in challenges
        ],
        batch_size=1000,
    )
    statement_vectors.fit_current_model(survey)


def _timed(action: Any) -> tuple[float, int, Any]:
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = action()
    return time.perf_counter() - started, len(executed), result


def _late_joiner(programme: Any, cohort: Any, tag: str) -> Any:
    from peerlearn.roles import Role
    from peerlearn.users.models import User
    from programmes.models import Membership

    user = User.objects.create(email=f"late.{tag}.{time.time_ns()}@example.org")
    Membership.objects.create(user=user, programme=programme, role=Role.PEER, cohort=cohort)
    return user


def measure(peers: int, propose: bool) -> None:
    from matching import services
    from matching.models import Challenge, ThemeModelState
    from peerlearn.users.models import User
    from programmes.models import Programme

    programme = Programme.objects.get(name=_name(peers))
    cohort = programme.cohorts.get()
    survey = services.ensure_survey(cohort=cohort)
    statements = Challenge.objects.filter(response__survey=survey).count()
    client = Client()
    facilitator = User.objects.get(email=f"bench.fac{peers}@example.org")
    client.force_login(facilitator)
    url = reverse("matching:themes", args=[programme.pk, cohort.pk])
    print(f"\n## {peers} peers, {statements} statements ({connection.vendor})")
    for query in ("", "?theme=none", "?q=budget&page=2"):
        client.get(url + query)
        timings = []
        for _ in range(RUNS):
            seconds, queries, reply = _timed(lambda q=query: client.get(url + q))
            assert reply.status_code == 200, reply.status_code
            timings.append(seconds)
        timings.sort()
        print(
            f"themes page {query or '(all)'}: median {statistics.median(timings) * 1000:.0f} ms, "
            f"p90 {timings[int(len(timings) * 0.9) - 1] * 1000:.0f} ms, {queries} queries, "
            f"{len(reply.content) / 1024:.1f} KiB HTML"
        )

    answers = {
        "challenges": [
            "Only one bidder answers most of our tenders",
            "Le fichier de la solde contient des agents fictifs",
            "Налоговые льготы никто не оценивает",
        ]
    }
    # Warm the encoder (loaded once per worker process).
    first = _late_joiner(programme, cohort, "warm")
    services.submit_intake(survey=survey, user=first, answers=answers)
    late = []
    for index in range(LATE):
        user = _late_joiner(programme, cohort, str(index))
        late.append(
            _timed(lambda u=user: services.submit_intake(survey=survey, user=u, answers=answers))
        )
    times = sorted(seconds for seconds, _q, _r in late)
    placed = Challenge.objects.filter(response__user=user, theme__isnull=False).count()
    print(
        f"late intake with its job: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms, {late[-1][1]} queries, {placed}/3 statements placed"
    )
    moved = Challenge.objects.filter(response__survey=survey).order_by("pk").first()
    assert moved is not None
    other = survey.themes.exclude(pk=moved.theme_id).first()
    services.move_statements(survey=survey, challenge_ids=[moved.pk], theme=other)
    assert not ThemeModelState.objects.filter(survey=survey).exists()
    user = _late_joiner(programme, cohort, "refit")
    seconds, queries, _ = _timed(
        lambda: services.submit_intake(survey=survey, user=user, answers=answers)
    )
    print(
        "first late intake after a move (model fitted again): "
        f"{seconds * 1000:.0f} ms, {queries} queries"
    )
    if propose:
        seconds, queries, proposal = _timed(
            lambda: services.propose_now(survey=survey, by=facilitator, count=12)
        )
        print(
            f"proposal job, 12 themes from stored vectors: {seconds:.1f} s, {queries} queries "
            f"({proposal.get_status_display()})"
        )
        compare = reverse("matching:theme_version", args=[programme.pk, cohort.pk, proposal.pk])
        seconds, queries, reply = _timed(lambda: client.get(compare))
        print(
            f"comparison page: {seconds * 1000:.0f} ms, {queries} queries, "
            f"{len(reply.content) / 1024:.1f} KiB HTML"
        )
        proposal.status = proposal.Status.DISCARDED
        proposal.save(update_fields=["status"])


FIELD_PEERS = 73
FIELD_STATEMENTS = 299
FIELD_LANGUAGES = ("en", "fr", "ru")
MARK_START = "<!-- themes_cohort: field cohort -->"
MARK_END = "<!-- /themes_cohort: field cohort -->"


def _field_intakes(seed: int = 12) -> list[list[tuple[str, str, str]]]:
    """73 peers' statements as (label, language, text): 299 EN/FR/RU statements, four or five a
    peer, each peer in one language as far as the counts allow."""
    rows = []
    for name in ("themes_tuning.csv", "themes_heldback.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(
                (row["theme"], row["lang"], row["statement"])
                for row in csv.DictReader(handle)
                if row["lang"] in FIELD_LANGUAGES
            )
    chance = random.Random(seed)
    chosen = chance.sample(rows, FIELD_STATEMENTS)
    chosen.sort(key=lambda row: FIELD_LANGUAGES.index(row[1]))
    extra = FIELD_STATEMENTS - 4 * FIELD_PEERS
    sizes = [5] * extra + [4] * (FIELD_PEERS - extra)
    chance.shuffle(sizes)
    peers, start = [], 0
    for size in sizes:
        peers.append(chosen[start : start + size])
        start += size
    return peers


def _stop_word_names(names: list[str]) -> list[str]:
    """Names that are stop words, or lists (comma or semicolon separated) with a stop word."""
    from matching.themes import text

    stops = frozenset().union(*(text.stop_words(code) for code in text.languages_with_data()))
    bad = []
    for name in names:
        folded = [text.fold(word) for word in text.words(name)]
        parts = [p.strip() for p in re.split(r"[,;]", name) if p.strip()]
        listed = len(parts) > 1 and any(text.fold(p.lower()) in stops for p in parts)
        if not folded or all(word in stops for word in folded) or listed:
            bad.append(name)
    return bad


def _figures(proposal: Any, truth: dict[int, tuple[str, str]]) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    placed = {
        pk: index for index, theme in enumerate(proposal.themes) for pk in theme["challenges"]
    }
    ids = sorted(truth)
    labels = [placed.get(pk, -1) for pk in ids]
    labelled = [truth[pk][0] for pk in ids]
    sizes = [len(theme["challenges"]) for theme in proposal.themes]
    singles = [theme for theme in proposal.themes if len(theme["challenges"]) == 1]
    home = {}
    for label in set(labelled):
        english = Counter(
            placed.get(pk) for pk in ids if truth[pk] == (label, "en") and pk in placed
        )
        home[label] = english.most_common(1)[0][0] if english else None
    rates = {}
    for language in ("fr", "ru"):
        chosen = [pk for pk in ids if truth[pk][1] == language]
        rates[language] = sum(placed.get(pk) == home[truth[pk][0]] for pk in chosen) / len(chosen)
    others = [pk for pk in ids if truth[pk][1] != "en"]
    rates["all"] = sum(placed.get(pk) == home[truth[pk][0]] for pk in others) / len(others)
    names = [theme["name"] for theme in proposal.themes]
    return {
        "themes": len(sizes),
        "placed": sum(sizes),
        "largest": max(sizes),
        "share": max(sizes) / len(ids),
        "singles": len(singles),
        "russian_singles": sum(truth[t["challenges"][0]][1] == "ru" for t in singles),
        "stop_names": _stop_word_names(names),
        "ari": adjusted_rand_score(labelled, labels),
        "nmi": normalized_mutual_info_score(labelled, labels),
        "rates": rates,
        "names": names,
    }


def field_cohort() -> list[str]:
    """The field cohort; returns the Markdown lines of its results."""
    from matching import services
    from matching.models import Challenge, ThemeSet
    from peerlearn.roles import Role
    from peerlearn.users.models import User
    from programmes.models import Cohort, Membership, Programme

    tag = time.strftime("%Y%m%d%H%M%S")
    programme = Programme.objects.create(name=f"Themes field cohort {tag}")
    cohort = Cohort.objects.create(programme=programme, name="Cohort")
    facilitator = User.objects.create(email=f"field.fac.{tag}@example.org", full_name="Fac")
    Membership.objects.create(user=facilitator, programme=programme, role=Role.FACILITATOR)
    survey = services.ensure_survey(cohort=cohort)
    intakes = _field_intakes()
    truth: dict[int, tuple[str, str]] = {}
    started = time.perf_counter()
    for index, statements in enumerate(intakes):
        user = User.objects.create(email=f"field.{tag}.{index}@example.org")
        Membership.objects.create(user=user, programme=programme, role=Role.PEER, cohort=cohort)
        services.submit_intake(
            survey=survey,
            user=user,
            answers={"challenges": [text for _label, _lang, text in statements]},
        )
        stored = Challenge.objects.filter(response__user=user, response__survey=survey)
        by_text = {text: (label, lang) for label, lang, text in statements}
        truth.update({c.pk: by_text[c.text] for c in stored})
    intake_seconds = time.perf_counter() - started
    languages = Counter(lang for _pk, (_label, lang) in truth.items())
    detected = Counter(
        Challenge.objects.filter(response__survey=survey).values_list("language", flat=True)
    )
    runs = [
        ("chosen", None, "en"),
        ("12", 12, "en"),
        ("12", 12, "fr"),
        ("12", 12, "ru"),
    ]
    results = []
    for label, count, language in runs:
        seconds, _queries, proposal = _timed(
            lambda c=count, lang=language: services.propose_now(
                survey=survey, by=facilitator, count=c, language=lang
            )
        )
        done = (ThemeSet.Status.READY, ThemeSet.Status.SAVED)
        assert proposal.status in done, (proposal.status, proposal.error)
        results.append((label, language, seconds, _figures(proposal, truth)))
        if proposal.status == ThemeSet.Status.READY:  # compared, not applied: set aside
            services.discard_proposal(theme_set=proposal)
        survey.refresh_from_db()
    load = os.getloadavg()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seen = ", ".join(f"{n} {(code or '?').upper()}" for code, n in detected.most_common())
    lines = [
        MARK_START,
        "### A field cohort: 73 peers, 299 statements in English, French and Russian",
        "",
        f"Measured {when} with `python benchmarks/themes_cohort.py --write` on "
        f"{os.cpu_count()} cores ({_cpu()}, {platform.machine()}), "
        f"Python {platform.python_version()}, {connection.vendor}; load average at the end "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.",
        "",
        f"{len(intakes)} peers submitted {len(truth)} statements "
        f"({', '.join(f'{n} {lang.upper()}' for lang, n in sorted(languages.items()))}; "
        f"languages detected: {seen}) "
        f"through `submit_intake`, each embedded by its background job, in "
        f"{intake_seconds:.1f} s. The facilitator then proposed themes from the stored vectors "
        "(`propose_now`, the service behind the Propose button).",
        "",
        "| themes asked | names in | themes | largest theme | single-statement themes "
        "(Russian) | names that are stop words | ARI | NMI | cross-lingual FR | RU | all | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, language, seconds, f in results:
        lines.append(
            f"| {label} | {language} | {f['themes']} | {f['largest']} of {len(truth)} "
            f"({f['share']:.0%}) | {f['singles']} ({f['russian_singles']}) | "
            f"{len(f['stop_names'])} | {f['ari']:.3f} | {f['nmi']:.3f} | "
            f"{f['rates']['fr']:.2f} | {f['rates']['ru']:.2f} | {f['rates']['all']:.2f} | "
            f"{seconds:.1f} |"
        )
    met = all(
        f["share"] < 0.5 and not f["russian_singles"] and not f["stop_names"]
        for *_rest, f in results
    )
    lines.append("")
    for label, language, _seconds, f in results:
        lines.append(f"Names ({label} asked, `{language}`): {'; '.join(f['names'])}.")
        lines.append("")
    lines.append(
        "No theme holds most statements, no theme is one Russian statement, no name is a stop "
        "word: " + ("**met** in every proposal above." if met else "**not met** (see the table).")
    )
    lines.append(MARK_END)
    return lines


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def write_results(lines: list[str]) -> None:
    path = ROOT / "benchmarks" / "RESULTS.md"
    content = path.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if MARK_START in content and MARK_END in content:
        before = content[: content.index(MARK_START)]
        after = content[content.index(MARK_END) + len(MARK_END) :]
        content = before + block + after
    else:
        anchor = "### Speed and memory\n\nEach size in a fresh process."
        if anchor in content:
            content = content.replace(anchor, block + "\n\n" + anchor, 1)
        else:
            content = content.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(content, encoding="utf-8")


def main() -> None:
    from programmes.models import Programme

    logging.getLogger("celery").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    if "--scale" not in sys.argv:
        lines = field_cohort()
        print("\n".join(lines))
        if "--write" in sys.argv:
            write_results(lines)
            print("Written to benchmarks/RESULTS.md")
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = [int(a) for a in args] or [1000, 5000]
    for peers in sizes:
        if not Programme.objects.filter(name=_name(peers)).exists():
            print(f"Building {peers} peers (once)...", flush=True)
            started = time.perf_counter()
            build(peers)
            print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
        measure(peers, propose="--propose" in sys.argv)


if __name__ == "__main__":
    main()
