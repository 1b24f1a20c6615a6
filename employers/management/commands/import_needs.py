from django.core.management.base import BaseCommand, CommandError

from employers.importing import need_import_file
from matchplats.core.importing import ImportFileError, read_path


class Command(BaseCommand):
    help = ("Import competence needs from the needs template (CSV or XLSX); see docs/imports.md. Unknown employers "
            "are created without members. Exit status 2 when the file is rejected.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            file_name, data = read_path(path)
            result = need_import_file(actor=None, data=data, file_name=file_name, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(f"{path} was rejected; nothing was written.\n" + "\n".join(error.messages),
                               returncode=2) from error
        self.stdout.write(result.summary())
        if options["verbosity"] >= 2:
            for item in result.items:
                if item.action == "update":
                    self.stdout.write(f"  row {item.row} {item.reference}: {', '.join(item.changes)}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Import {result.import_run.pk} recorded."))
