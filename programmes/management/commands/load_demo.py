from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programmes.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo programme (safe to run again: it completes what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="peerlearn-demo")
        parser.add_argument("--peers", type=int, default=55)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo(password=options["password"], peers=options["peers"])
        self.stdout.write(self.style.SUCCESS("Demo programme ready. Logins:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<36} {login.password}")
