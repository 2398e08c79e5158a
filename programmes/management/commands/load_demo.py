from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programmes.demo import DEMO_PROGRAMME, load_demo
from programmes.models import Programme

# Each app adds its stage of the hourglass to the demo programme, in this order.
DEMO_APPS = ("matching", "group_life", "evaluation", "diffusion")


class Command(BaseCommand):
    help = "Load the demo programme (safe to run again: it completes what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="peerlearn-demo")
        parser.add_argument("--peers", type=int, default=55)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo(password=options["password"], peers=options["peers"])
        programme = Programme.objects.get(name=DEMO_PROGRAMME)
        for app in DEMO_APPS:
            extend = getattr(import_module(f"{app}.demo"), "extend_demo", None)
            if extend is not None:
                extend(programme)
        self.stdout.write(self.style.SUCCESS("Demo programme ready. Logins:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.emails:<36} {login.password}")
