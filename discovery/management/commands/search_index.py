from django.core.management.base import BaseCommand, CommandError, CommandParser

from discovery import services
from discovery.services import ES_ERRORS


class Command(BaseCommand):
    help = (
        "Rebuild the site search: the database table in one transaction and, when ELASTICSEARCH_URL is set, "
        "new Elasticsearch indices swapped in behind their aliases (no moment without results)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Rebuild every index from the database.")

    def handle(self, *args, rebuild: bool, **options) -> None:
        if not rebuild:
            raise CommandError("Nothing to do: pass --rebuild.")
        verbosity = options["verbosity"]
        last = {}

        def progress(target: str, done: int, total: int) -> None:
            if verbosity < 1 or last.get(target) == done:
                return
            last[target] = done
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"{target:<13} [{bar}] {done}/{total}")

        try:
            written = services.rebuild(progress=progress)
        except ES_ERRORS as error:
            raise CommandError(
                f"The database search table was rebuilt, but Elasticsearch failed: {error}. "
                "Searches use the database until it is back; run this again then."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} documents."))
