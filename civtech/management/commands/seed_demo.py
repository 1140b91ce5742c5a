from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo
from civtech.app_parts import app_parts
from civtech.demo_data import DemoRun, DemoStep


def demo_steps() -> list[DemoStep]:
    """Every app's part of the demo, found through the app registry: the `DEMO_STEPS` of each of our apps' demo
    modules (`demo.py`, `demo_*.py`), in their order. Libraries' apps are not ours, so they are not searched."""
    steps: list[DemoStep] = app_parts("demo", "DEMO_STEPS", prefixed=True)
    return sorted(steps, key=lambda step: step.order)


class Command(BaseCommand):
    help = "Load deterministic demo data. Safe to run again: existing records are left as they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume of demo data (benchmarks).")
        parser.add_argument("--quiet-credentials", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, scale: int, quiet_credentials: bool, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more")
            raise SystemExit(2)
        log = self.stdout.write
        # The demo's own notifications (decisions, reminders…) are recorded as sent but go nowhere: with the console
        # backend of `make run` they would bury the sign-ins below under hundreds of printed emails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            run = DemoRun(scale=scale, log=log)
            for step in demo_steps():
                step.run(run)
        if not quiet_credentials:
            self.print_credentials(run.made["users"])

    def print_credentials(self, users) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"\nDemo sign-ins (password for all: {accounts_demo.DEMO_PASSWORD})"))
        for demo, recovery_code in users:
            line = f"  {demo.role.label:<16} {demo.email:<28}"
            if recovery_code:
                line += f" two-factor: recovery code {recovery_code}"
            out.write(line)
        out.write(f"Privileged demo users share the authenticator secret {accounts_demo.DEMO_TOTP_SECRET}.")
        out.write(
            "Sign in at http://127.0.0.1:8000/accounts/login/ — the Wagtail admin is at /admin/ "
            "(programme staff, and sponsors for their own challenges).\n"
        )
