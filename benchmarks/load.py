"""Forty people at once: peers saving intake drafts and journal reflections, facilitators on
their lists, managers on the evaluation dashboard, each logged in with their own session, against
the application served as in production; then every write the server acknowledged is looked up
in the database.

    # a programme to work on, once per database (see programmes/demo_bulk.py)
    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python manage.py load_demo --peers 5000
    .venv/bin/python manage.py collectstatic --noinput     # the manifest the pages link to

    # serve it with gunicorn and the production settings, run the mix for two minutes
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/load.py --serve --duration 120

``--serve`` starts gunicorn (``--workers``, as in the Dockerfile) with
``peerlearn.settings.prod`` (DEBUG off; a local SECRET_KEY, ALLOWED_HOSTS of this machine,
TLS as if ended by a proxy: every request says ``X-Forwarded-Proto: https``, and each person
comes from their own address in ``X-Forwarded-For``, so that the login rate limit counts per
person) and, when
``redis-server`` is installed, a private Redis for the cache, as in production. ``--server
runserver`` serves as ``make run`` does instead (``manage.py runserver`` with the dev settings,
one process, a thread per request). Without ``--serve``, ``--url`` names a server already
running on the same ``DATABASE_URL``.

Each person pauses between two steps as ``THINK`` says for their role (``--think low,high``
for everyone instead), and picks what to do from the links and forms of the pages they see:
peers open their intake (``matching:intake``) and autosave it as they type (the form's
``hx-post``), or open their reflection journal and save an entry (the journal's form);
facilitators open the lists linked from their home and programme pages; managers the
dashboard. Every draft and entry carries a mark of this run, so that afterwards the rows stored
can be counted: a reflection acknowledged (redirected after saving) must be a row; a draft
acknowledged must be the stored draft or older than it. Lost writes = acknowledged and not stored.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from load_browser import Reply, Session, error_summary, parse  # noqa: E402

from group_life.models import ReflectionEntry  # noqa: E402
from matching.models import GroupMember, IntakeResponse, MatchingRun  # noqa: E402
from peerlearn.roles import Role  # noqa: E402
from programmes.demo import DEMO_DOMAIN, DEMO_PROGRAMME  # noqa: E402
from programmes.models import Membership, Programme  # noqa: E402

# Pages a facilitator does not open in passing: downloads, the theme editor and the matching
# run review (measured by benchmarks/themes.py and benchmarks/matching.py), forms to create.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/", "/i18n/", "/api/")
SKIP_VIEWS = {"matching:themes", "matching:run_detail", "logout", "account_logout"}
SKIP_SUFFIXES = (".csv", ".xlsx", ".zip", ".pdf", ".ics", ".json", "/new/", "/export/")
# Seconds a person takes between two steps, drawn evenly between the two figures: a peer typing
# their intake pauses a few seconds between autosaves (the form saves one second after the last
# key); writing a journal entry takes longer (two pauses before it is saved); a facilitator
# glances at a list; a manager reads the dashboard.
THINK: dict[str, tuple[float, float]] = {
    "intake": (2.0, 5.0),
    "journal": (4.0, 10.0),
    "facilitator": (3.0, 10.0),
    "manager": (5.0, 15.0),
}
# The lists and summaries a facilitator keeps open: of the pages linked from their home and
# programme pages, those of these views.
FACILITATOR_LISTS = {
    "home",
    "programmes:detail",
    "programmes:overview",
    "programmes:nominations",
    "programmes:organisations",
    "programmes:activities",
    "programmes:activity_detail",
    "programmes:contacts",
    "programmes:library",
    "matching:overview",
    "group_life:group_life",
    "group_life:progress_board",
    "group_life:discussions",
    "group_life:assessments",
    "group_life:placements",
    "evaluation:home",
    "diffusion:overview",
}


@dataclass
class Hit:
    kind: str
    status: int  # 0: no answer (refused connection, reset, timeout)
    ms: float
    at: float
    error: str = ""


def view_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return "?"
    return match.view_name


def local_path(location: str, current: str) -> str | None:
    """The path of a link of this site, or None for another site or a page not to open."""
    absolute = urljoin(f"http://site{current}", location.split("#", 1)[0])
    parts = urlsplit(absolute)
    if parts.netloc != "site" or not parts.path:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return path


@dataclass
class Person:
    role: str  # "intake", "journal", "facilitator", "manager"
    email: str
    session: Session
    hits: list[Hit] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)  # sequence numbers of the writes
    sent: int = 0
    failed: str = ""

    def get(self, path: str, kind: str | None = None, *, referer: str = "/") -> Reply | None:
        return self._do("GET", path, kind or view_name(path), None, referer=referer)

    def post(
        self, path: str, data: list[tuple[str, str]], kind: str, *, referer: str, htmx: bool
    ) -> Reply | None:
        return self._do("POST", path, kind, data, referer=referer, htmx=htmx)

    def _do(
        self,
        method: str,
        path: str,
        kind: str,
        data: list[tuple[str, str]] | None,
        *,
        referer: str,
        htmx: bool = False,
    ) -> Reply | None:
        at = time.time()
        started = time.perf_counter()
        try:
            reply = self.session.request(method, path, data, referer=referer, htmx=htmx)
        except Exception as error:
            ms = (time.perf_counter() - started) * 1000
            self.hits.append(Hit(kind, 0, ms, at, f"{type(error).__name__}: {error}"[:200]))
            return None
        error = ""
        if reply.status >= 400:
            error = error_summary(reply)
        self.hits.append(Hit(kind, reply.status, reply.ms, at, error))
        return reply


def login(person: Person, password: str) -> None:
    """Log in through the login form; ``person.failed`` says why not."""
    page = person.get("/accounts/login/", "login form")
    form = parse(page.body).form_with(field="login") if page and page.status == 200 else None
    if form is None:
        person.failed = f"no login form ({page.status if page else 'no answer'})"
        return
    data = form.values({"login": person.email, "password": password})
    reply = person.post("/accounts/login/", data, "login", referer="/accounts/login/", htmx=False)
    if reply is None or reply.status != 302 or "sessionid" not in person.session.cookies:
        person.failed = f"login refused ({reply.status if reply else 'no answer'})"


def discover(person: Person, wanted: set[str], limit: int = 40) -> dict[str, list[str]]:
    """Breadth first from the person's home, the pages of this site by view name, until every
    wanted view is found or ``limit`` pages are read."""
    found: dict[str, list[str]] = defaultdict(list)
    queue, seen = ["/"], {"/"}
    read = 0
    while queue and read < limit and (not wanted or not wanted.issubset(found)):
        path = queue.pop(0)
        reply = person.get(path, "discovery")
        read += 1
        if reply is None or reply.status != 200:
            continue
        found[view_name(path)].append(path)
        for href in parse(reply.body).links:
            target = local_path(href, path)
            if target and target not in seen and view_name(target) not in SKIP_VIEWS:
                seen.add(target)
                queue.append(target)
    return found


class Mix:
    """What each role does, one step at a time, from the pages found at the start."""

    def __init__(
        self, run: str, pages: dict[str, list[str]], think: dict[str, tuple[float, float]]
    ) -> None:
        self.run = run
        self.pages = pages
        self.think = think

    def pause(self, rng: random.Random, until: float, role: str) -> None:
        time.sleep(max(0.0, min(rng.uniform(*self.think[role]), until - time.time())))

    def intake(self, person: Person, rng: random.Random, until: float) -> None:
        """Open the intake, then type: an autosave each pause, three to six times."""
        path = self.pages["matching:intake"][0]
        page = person.get(path, "peer: intake page")
        if page is None or page.status != 200:
            self.pause(rng, until, "intake")
            return
        form = parse(page.body).form_with(attribute="hx-post")
        if form is None:
            person.hits.append(Hit("peer: intake page", 0, 0, time.time(), "no autosave form"))
            self.pause(rng, until, "intake")
            return
        target = local_path(form.attrs["hx-post"], path) or path
        for _ in range(rng.randint(3, 6)):
            self.pause(rng, until, "intake")
            if time.time() >= until:
                return
            person.sent += 1
            sequence = person.sent
            text = f"[{self.run} #{sequence}] Commitment controls are bypassed at year end"
            data = form.values({"challenge_0": text})
            reply = person.post(target, data, "peer: intake draft (write)", referer=path, htmx=True)
            if reply is not None and reply.status == 200:
                person.acknowledged.append(sequence)

    def journal(self, person: Person, rng: random.Random, until: float) -> None:
        """Open the journal, write for a while, save the entry (and land on the journal)."""
        path = self.pages["group_life:journal"][0]
        page = person.get(path, "peer: journal page")
        if page is None or page.status != 200:
            self.pause(rng, until, "journal")
            return
        form = parse(page.body).form_with(field="learned")
        if form is None:
            person.hits.append(Hit("peer: journal page", 0, 0, time.time(), "no journal form"))
            self.pause(rng, until, "journal")
            return
        self.pause(rng, until, "journal")
        self.pause(rng, until, "journal")
        if time.time() >= until:
            return
        person.sent += 1
        sequence = person.sent
        learned = f"[{self.run} #{sequence}] How the treasury of a peer country forecasts cash"
        data = form.values({"learned": learned, "will_act": "Try their weekly template."})
        target = local_path(form.attrs.get("action") or path, path) or path
        reply = person.post(target, data, "peer: reflection (write)", referer=path, htmx=False)
        if reply is not None and reply.status == 302:
            person.acknowledged.append(sequence)
            landing = local_path(reply.headers.get("location", path), target) or path
            person.get(landing, "peer: journal page", referer=path)
        self.pause(rng, until, "journal")

    def facilitator(self, person: Person, rng: random.Random, until: float) -> None:
        choices = self.pages["facilitator"]
        path = rng.choice(choices)
        person.get(path, f"facilitator: {view_name(path)}")
        self.pause(rng, until, "facilitator")

    def manager(self, person: Person, rng: random.Random, until: float) -> None:
        path = self.pages["evaluation:dashboard"][0]
        person.get(path, "manager: evaluation:dashboard")
        self.pause(rng, until, "manager")


def people(args: argparse.Namespace) -> tuple[Programme, dict[str, list[str]]]:
    """Who takes part: peers of cohorts still answering their intake, peers of published groups,
    the facilitators and the manager of the demo programme."""
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    published = MatchingRun.objects.filter(
        cohort__programme=programme, published_at__isnull=False
    ).values("cohort")
    peers = Membership.objects.filter(programme=programme, role=Role.PEER, user__is_active=True)
    in_groups = GroupMember.objects.filter(
        run__cohort__programme=programme, run__published_at__isnull=False
    ).values("user")
    rng = random.Random(args.seed)
    intake = list(
        peers.exclude(cohort__in=published).order_by("pk").values_list("user__email", flat=True)
    )
    journal = list(
        peers.filter(user__in=in_groups).order_by("pk").values_list("user__email", flat=True)
    )
    staff = Membership.objects.filter(programme=programme, role=Role.FACILITATOR)
    facilitators = sorted(staff.values_list("user__email", flat=True))
    managers = [f"manager@{DEMO_DOMAIN}"]
    return programme, {
        "intake": rng.sample(intake, min(len(intake), args.intake)),
        "journal": rng.sample(journal, min(len(journal), args.journal)),
        "facilitator": [facilitators[i % len(facilitators)] for i in range(args.facilitators)],
        "manager": [managers[i % len(managers)] for i in range(args.managers)],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(args: argparse.Namespace, stack: list[subprocess.Popen[bytes]]) -> tuple[str, str]:
    """Start the server (and its Redis); the address and a line saying how it runs."""
    port = free_port()
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # As behind a reverse proxy, which says who each person is (X-Forwarded-For): rate limits
    # count per person, not for everyone at once.
    env["ALLAUTH_TRUSTED_PROXY_COUNT"] = "1"
    log = open(Path(tempfile.gettempdir()) / f"peerlearn-load-{port}.log", "wb")  # noqa: SIM115
    said = []
    if args.server == "gunicorn":
        env.update(
            DJANGO_SETTINGS_MODULE="peerlearn.settings.prod",
            SECRET_KEY=uuid.uuid4().hex * 2,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
        )
        redis = shutil.which("redis-server")
        if redis and not args.no_redis:
            redis_port = free_port()
            stack.append(
                subprocess.Popen(
                    [redis, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                    stdout=log,
                    stderr=log,
                )
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            said.append("cache in a private Redis")
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "peerlearn.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            str(int(args.timeout)),
        ]
        said.insert(0, f"gunicorn {args.workers} sync workers, peerlearn.settings.prod")
    else:
        env.update(DJANGO_SETTINGS_MODULE="peerlearn.settings.dev", CELERY_TASK_ALWAYS_EAGER="1")
        command = [
            str(ROOT / ".venv" / "bin" / "python"),
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ]
        said.insert(0, "manage.py runserver --noreload (threads), peerlearn.settings.dev")
    stack.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
    base = f"http://127.0.0.1:{port}"
    probe = Session(base, timeout=5, https_proxy=False, address="")
    for _ in range(120):
        try:
            if probe.request("GET", "/healthz").status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        raise SystemExit(f"The server did not start; see {log.name}")
    said.append(f"log {log.name}")
    return base, "; ".join(said)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def stored_writes(programme: Programme, run: str, crowd: list[Person]) -> dict[str, int]:
    """Writes acknowledged, found in the database, lost (acknowledged, not found) and found
    without an acknowledgement (sent, answered late or not at all, but saved)."""
    mark = f"[{run} #"
    rows = ReflectionEntry.objects.filter(programme=programme, learned__startswith=mark)
    by_author = dict(
        rows.values_list("author__email").annotate(n=Count("pk")).values_list("author__email", "n")
    )
    reflections = [p for p in crowd if p.role == "journal"]
    acknowledged = sum(len(p.acknowledged) for p in reflections)
    stored = sum(by_author.values())
    lost = sum(max(0, len(p.acknowledged) - by_author.get(p.email, 0)) for p in reflections)
    drafts = [p for p in crowd if p.role == "intake"]
    responses = IntakeResponse.objects.filter(
        survey__cohort__programme=programme, user__email__in=[p.email for p in drafts]
    ).values_list("user__email", "draft")
    latest: dict[str, int] = {}
    for email, draft in responses:
        first = ((draft or {}).get("challenges") or [""])[0]
        found = re.match(rf"\[{re.escape(run)} #(\d+)\]", first or "")
        latest[email] = int(found.group(1)) if found else 0
    drafts_acknowledged = sum(len(p.acknowledged) for p in drafts)
    drafts_lost = sum(sum(1 for s in p.acknowledged if s > latest.get(p.email, 0)) for p in drafts)
    return {
        "reflections sent": sum(p.sent for p in reflections),
        "reflections acknowledged": acknowledged,
        "reflections stored": stored,
        "reflections lost": lost,
        "reflections stored, not acknowledged": max(0, stored - (acknowledged - lost)),
        "drafts sent": sum(p.sent for p in drafts),
        "drafts acknowledged": drafts_acknowledged,
        "drafts lost": drafts_lost,
    }


def report(crowd: list[Person], seconds: float, writes: dict[str, int]) -> dict[str, object]:
    hits = [h for p in crowd for h in p.hits]
    kinds: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        kinds[hit.kind].append(hit)
    rows = []
    for kind in sorted(kinds):
        group = kinds[kind]
        ms = [h.ms for h in group if h.status]
        rows.append(
            {
                "kind": kind,
                "requests": len(group),
                "errors": sum(1 for h in group if h.error),
                "p50": percentile(ms, 0.5),
                "p95": percentile(ms, 0.95),
                "p99": percentile(ms, 0.99),
                "max": max(ms, default=0.0),
            }
        )
    all_ms = [h.ms for h in hits if h.status]
    errors: dict[str, int] = defaultdict(int)
    for hit in hits:
        if hit.error:
            errors[f"{hit.kind}: {hit.error}"] += 1
    return {
        "requests": len(hits),
        "seconds": round(seconds, 1),
        "rps": round(len(hits) / seconds, 2) if seconds else 0.0,
        "errors": sum(errors.values()),
        "p50": percentile(all_ms, 0.5),
        "p95": percentile(all_ms, 0.95),
        "p99": percentile(all_ms, 0.99),
        "kinds": rows,
        "error_reasons": dict(sorted(errors.items(), key=lambda kv: -kv[1])[:15]),
        "writes": writes,
    }


def markdown(result: dict[str, object]) -> str:
    lines = [
        "| requests | kind | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["kinds"]:  # type: ignore[attr-defined]
        lines.append(
            f"| {row['requests']} | {row['kind']} | {row['p50']:,.0f} | {row['p95']:,.0f} | "
            f"{row['p99']:,.0f} | {row['max']:,.0f} | {row['errors']} |"
        )
    lines.append(
        f"| **{result['requests']}** | **all** ({result['rps']} requests/s over "
        f"{result['seconds']} s) | {result['p50']:,.0f} | {result['p95']:,.0f} | "
        f"{result['p99']:,.0f} | | **{result['errors']}** |"
    )
    return "\n".join(lines)


def loadavg() -> str:
    """The load average over 1, 5 and 15 minutes, as ``uptime`` shows it."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (otherwise give --serve)")
    parser.add_argument("--serve", action="store_true", help="start the server for the run")
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-redis", action="store_true", help="gunicorn without Redis")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--intake", type=int, default=14, help="peers autosaving their intake")
    parser.add_argument("--journal", type=int, default=14, help="peers writing reflections")
    parser.add_argument("--facilitators", type=int, default=8)
    parser.add_argument("--managers", type=int, default=4)
    parser.add_argument(
        "--think",
        default="",
        help="seconds between two steps of everyone, low,high (default: each role's, THINK)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--password", default="peerlearn-demo")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    if not args.url and not args.serve:
        parser.error("give --url of a running server, or --serve")

    programme, chosen = people(args)
    run = f"load-{uuid.uuid4().hex[:8]}"
    stack: list[subprocess.Popen[bytes]] = []
    try:
        if args.serve:
            base, how = serve(args, stack)
        else:
            base, how = args.url, f"server at {args.url}"
        https_proxy = args.serve and args.server == "gunicorn"
        crowd = [
            Person(
                role,
                email,
                Session(
                    base,
                    timeout=args.timeout,
                    https_proxy=https_proxy,
                    address=f"10.14.{index // 250}.{index % 250 + 1}" if args.serve else "",
                ),
            )
            for index, (role, email) in enumerate(
                (role, email) for role, emails in chosen.items() for email in emails
            )
        ]
        print(f"{len(crowd)} people ({', '.join(f'{len(v)} {k}' for k, v in chosen.items())})")
        print(f"Server: {how}; database {django.db.connection.vendor}; run mark {run}")
        started = time.perf_counter()
        threads = [threading.Thread(target=login, args=(p, args.password)) for p in crowd]
        for index, thread in enumerate(threads):
            thread.start()
            if index % 4 == 3:
                for earlier in threads[index - 3 : index + 1]:
                    earlier.join()
        for thread in threads:
            thread.join()
        failed = [f"{p.email}: {p.failed}" for p in crowd if p.failed]
        if failed:
            raise SystemExit("Not logged in: " + "; ".join(failed))
        print(f"Logged in {len(crowd)} sessions in {time.perf_counter() - started:.1f} s")
        pages = find_pages(crowd)
        for p in crowd:
            p.hits.clear()
        result = run_load(crowd, pages, run, args)
        writes = stored_writes(programme, run, crowd)
        result["writes"] = writes
        result["server"] = how
        result["database"] = django.db.connection.vendor
        result["people"] = {k: len(v) for k, v in chosen.items()}
        result["think"] = args.think or THINK
        print(markdown(result))
        print(json.dumps({k: result[k] for k in ("writes", "error_reasons")}, indent=2))
        print(f"Load average before {result['load_before']}, after {result['load_after']}")
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    finally:
        for process in reversed(stack):
            process.terminate()
            process.wait(timeout=30)


def find_pages(crowd: list[Person]) -> dict[str, list[str]]:
    """The pages each role works on, read from the links of the first person of the role."""
    pages: dict[str, list[str]] = {}
    firsts = {p.role: p for p in reversed(crowd)}
    if "intake" in firsts:
        pages.update(discover(firsts["intake"], {"matching:intake"}))
    if "journal" in firsts:
        pages.update(discover(firsts["journal"], {"group_life:journal"}))
    if "manager" in firsts:
        pages.update(discover(firsts["manager"], {"evaluation:dashboard"}))
    if "facilitator" in firsts:
        found = discover(firsts["facilitator"], FACILITATOR_LISTS, limit=80)
        pages["facilitator"] = sorted(found[view][0] for view in FACILITATOR_LISTS & set(found))
        print(f"Facilitator pages: {', '.join(pages['facilitator'])}")
    for role, view in (
        ("intake", "matching:intake"),
        ("journal", "group_life:journal"),
        ("manager", "evaluation:dashboard"),
    ):
        if role in firsts and not pages.get(view):
            refused = [f"{h.kind} {h.status} {h.error}" for h in firsts[role].hits if h.error]
            raise SystemExit(f"No link to {view} found from the {role} person's home. {refused}")
    return pages


def run_load(
    crowd: list[Person], pages: dict[str, list[str]], run: str, args: argparse.Namespace
) -> dict[str, object]:
    think = dict(THINK)
    if args.think:
        low, high = (float(x) for x in args.think.split(","))
        think = dict.fromkeys(THINK, (low, high))
    mix = Mix(run, pages, think)
    high = max(h for _low, h in think.values())
    load_before = loadavg()
    started = time.time()
    until = started + args.duration

    def live(person: Person, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, high))  # not everyone at the same second
        step = getattr(mix, person.role)
        while time.time() < until:
            step(person, rng, until)

    threads = [
        threading.Thread(target=live, args=(p, args.seed * 1000 + i)) for i, p in enumerate(crowd)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.time() - started
    result = report(crowd, seconds, {})
    result["load_before"] = load_before
    result["load_after"] = loadavg()
    return result


if __name__ == "__main__":
    main()
