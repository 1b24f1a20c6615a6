import time

from django.core.management.base import BaseCommand, CommandError

from matchplats.core.importing import ImportFileError, read_path
from providers.importing import programme_import_file


class Command(BaseCommand):
    help = ("Import programmes from an MYH application list (applications_2018_2025.csv) or the generic "
            "programme template (CSV or XLSX); see docs/imports.md. Exit status 2 when the file is rejected.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or XLSX file")
        parser.add_argument("--municipalities", metavar="PATH",
                            help="MYH per-kommun file (application_municipalities_2019_2025.csv)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, path: str, municipalities: str | None, dry_run: bool, **options):
        started = time.monotonic()
        try:
            file_name, data = read_path(path)
            municipalities_name, municipalities_data = read_path(municipalities) if municipalities else ("", None)
            result = programme_import_file(actor=None, data=data, file_name=file_name,
                                           municipalities=municipalities_data, municipalities_name=municipalities_name,
                                           dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(f"{path} was rejected; nothing was written.\n" + "\n".join(error.messages),
                               returncode=2) from error
        self.stdout.write(f"{result.summary()}  ({time.monotonic() - started:.1f} s)")
        for item in result.items:
            if item.action == "update" and options["verbosity"] >= 2:
                self.stdout.write(f"  row {item.row} {item.reference or item.name}: {', '.join(item.changes)}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Import {result.import_run.pk} recorded."))
