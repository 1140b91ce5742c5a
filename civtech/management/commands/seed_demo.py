from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications import demo_evaluation
from challenges import demo as challenges_demo
from cms import demo as cms_demo
from impact import demo as impact_demo
from impact import demo_money as impact_demo_money
from organisations import demo as organisations_demo
from sprints import demo as sprints_demo


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
            users = accounts_demo.seed(log=log)
            organisations = organisations_demo.seed(scale=scale, log=log)  # and the demo people's memberships
            challenges = challenges_demo.seed(scale=scale, organisations=organisations, log=log)
            applications_demo.seed(scale=scale, challenges_seeded=challenges, log=log)
            challenges_demo.seed_questions(log=log)  # asked by the companies the applications demo gave members
            demo_evaluation.seed(scale=scale, challenges_seeded=challenges, log=log)
            sprints_demo.seed(log=log)
            impact_demo_money.seed(log=log)
            impact_demo.seed_returns_and_benefits(log=log)
            cms_demo.seed(log=log)
        if not quiet_credentials:
            self.print_credentials(users)

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
