from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matchplats.taxonomy.services import TaxonomyFileError, taxonomy_load


class Command(BaseCommand):
    help = ("Load or refresh the reference data (SSYK, occupation names, skills, SUN, SeQF, län, kommuner) and the "
            "labour-market context (Yrkesbarometer, job ads).")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=settings.TAXONOMY_DATA_DIR)

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = taxonomy_load(data_dir=data_dir)
        except TaxonomyFileError as error:
            raise CommandError(str(error)) from error
        for name in report.created:
            self.stdout.write(
                f"{name:<20} created {report.created[name]:>6}  updated {report.updated[name]:>6}"
                + (f"  removed {report.removed[name]:>6}" if report.removed[name] else "")
            )
        self.stdout.write(self.style.SUCCESS("Taxonomy is up to date." if not report.changed else "Taxonomy loaded."))
