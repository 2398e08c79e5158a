import time
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from peerlearn.roles import Role
from programmes.demo import DEMO_PROGRAMME, DemoLogin, load_demo
from programmes.demo_bulk import build_programme
from programmes.models import Membership, Programme

# Each app adds its stage of the hourglass to the demo programme, in this order.
DEMO_APPS = ("matching", "group_life", "evaluation", "diffusion")
# Up to this many peers the demo is written through the services, peer by peer; above it, in
# bulk (programmes.demo_bulk and each app's demo_bulk).
HAND_WRITTEN_PEERS = 55


class Command(BaseCommand):
    help = (
        "Load the demo programme (safe to run again: it completes what is missing). With "
        f"--peers above {HAND_WRITTEN_PEERS}, a programme of that many peers is written in bulk "
        "into a database that has no demo programme yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="peerlearn-demo")
        parser.add_argument("--peers", type=int, default=HAND_WRITTEN_PEERS)

    def handle(self, *args: Any, **options: Any) -> None:
        peers: int = options["peers"]
        if peers < 1:
            raise CommandError("--peers must be at least 1.")
        existing = Programme.objects.filter(name=DEMO_PROGRAMME).first()
        if existing is not None:
            present = Membership.objects.filter(programme=existing, role=Role.PEER).count()
            if present > max(peers, HAND_WRITTEN_PEERS):
                self.stdout.write(
                    f"The demo programme is already loaded with {present} peers; nothing to add."
                )
                return
            if peers > HAND_WRITTEN_PEERS:
                raise CommandError(
                    f"The demo programme already exists with {present} peers. Load "
                    f"--peers {peers} into a database without it (a new DATABASE_URL)."
                )
        started = time.monotonic()
        if peers > HAND_WRITTEN_PEERS:
            logins = self._bulk(options["password"], peers)
        else:
            logins = load_demo(password=options["password"], peers=peers)
            programme = Programme.objects.get(name=DEMO_PROGRAMME)
            for app in DEMO_APPS:
                extend = getattr(import_module(f"{app}.demo"), "extend_demo", None)
                if extend is not None:
                    extend(programme)
        # Fresh statistics, so that the query planner knows which indexes are selective (SQLite
        # keeps none until asked; PostgreSQL's autovacuum would gather them later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme ready in {time.monotonic() - started:.0f} s. Logins:"
            )
        )
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.emails:<36} {login.password}")

    def _bulk(self, password: str, peers: int) -> list[DemoLogin]:
        started = time.monotonic()
        logins = build_programme(password=password, peers=peers)
        self.stdout.write(f"  programme, people and stage one: {time.monotonic() - started:.1f} s")
        programme = Programme.objects.get(name=DEMO_PROGRAMME)
        for app in DEMO_APPS:
            step = time.monotonic()
            import_module(f"{app}.demo_bulk").extend_bulk_demo(programme)
            self.stdout.write(f"  {app}: {time.monotonic() - step:.1f} s")
        return logins
