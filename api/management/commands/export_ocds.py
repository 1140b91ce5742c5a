import json
import sys

from django.core.management.base import BaseCommand

from api.ocds.package import record_package, release_package


class Command(BaseCommand):
    help = "Write the OCDS 1.1 release package (or, with --records, the record package) of all published challenges."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default="-", help="File to write (default: standard output).")
        parser.add_argument("--records", action="store_true", help="Write a record package (merged records).")

    def handle(self, *args, output: str, records: bool, **options):
        package = record_package() if records else release_package()
        text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        if output == "-":
            sys.stdout.write(text)
            return
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        count = len(package["records"] if records else package["releases"])
        self.stderr.write(f"Wrote {count} {'records' if records else 'releases'} to {output}")
