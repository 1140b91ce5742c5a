import json
import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civtech.personal_data import person_export, person_find


class Command(BaseCommand):
    help = (
        "Write everything held about a person (a subject access request) as JSON: their account, addresses, "
        "memberships, subscriptions, registrations, emails sent to them, audit entries and references to the "
        "records they made for organisations. Never includes passwords, TOTP secrets or token keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's sign-in address, or another verified address of theirs.")
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")

    def handle(self, *args, email: str, output: str, **options) -> None:
        user = person_find(email)
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        text = json.dumps(person_export(user=user), indent=2, ensure_ascii=False) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
            return
        # Personal data: readable by the operator only, whatever the umask.
        with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
            fh.write(text)
        self.stderr.write(f"Wrote the data held about account {user.pk} to {output}")
