from django.core.management.base import BaseCommand, CommandError, CommandParser

from civtech.errors import DomainError
from civtech.personal_data import erased_address, is_erased, person_erase, person_erase_preview, person_find


class Command(BaseCommand):
    help = (
        "Erase a person's data (UK GDPR erasure): anonymise and deactivate the account, delete what exists only "
        "because of them, keep the records that belong to an organisation or the procurement record. Without "
        "--yes it only shows what would be erased."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's sign-in address, or another verified address of theirs.")
        # Both go into the audit log, which outlives the erasure: say who and why, not the person's details.
        parser.add_argument("--requested-by", required=True, help="Who asked, e.g. 'Data protection officer'.")
        parser.add_argument("--reason", required=True, help="Why, e.g. 'Erasure request DPR-2025-014'.")
        parser.add_argument("--yes", action="store_true", help="Erase. Without it nothing is changed.")

    def handle(self, *args, email: str, requested_by: str, reason: str, yes: bool, **options) -> None:
        user = person_find(email)
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        if is_erased(user):
            self.stdout.write(f"Account {user.pk} is already erased: nothing to do.")
            return
        try:
            if not yes:
                result = person_erase_preview(user=user)
            else:
                self.stdout.write(f"Erasing account {user.pk}…")
                result = person_erase(user=user, requested_by=requested_by, reason=reason)
        except DomainError as error:
            raise CommandError(error.message) from error
        if result["already_erased"]:  # erased by someone else since we looked
            self.stdout.write(f"Account {user.pk} is already erased: nothing to do.")
            return
        self.report(result, done=yes)
        if yes:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Erased: account {user.pk} is now {erased_address(user)}, deactivated, and the erasure is "
                    "recorded in the audit log."
                )
            )
        else:
            self.stdout.write(self.style.WARNING("Nothing has been changed. Run again with --yes to erase."))

    def report(self, result: dict, *, done: bool) -> None:
        headings = {
            "deleted": "Deleted" if done else "Would delete",
            "anonymised": "Anonymised" if done else "Would anonymise",
            "kept": "Kept, pointing at the anonymised account",
        }
        for key, heading in headings.items():
            self.stdout.write(f"{heading}:")
            rows = result[key]
            if not rows:
                self.stdout.write("  nothing")
            width = max((len(name) for name in rows), default=0)
            for name, count in rows.items():
                self.stdout.write(f"  {name:<{width}}  {count}")
