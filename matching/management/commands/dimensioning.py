"""``manage.py dimensioning --lan 17 [--kommun 1780 ...] [--horizon 1-3y] [--format csv|json]``:
the dimensioning table (occupations, occupation fields, total) of docs/dimensioning.md.

It reads as platform staff do (a staff account without memberships): staff may list only public
needs (docs/permissions.md), so every other need enters the figures only through released cells,
exactly as on the page for such a staff member. The CSV is the page's export: semicolons, UTF-8
with a byte-order mark, Swedish headers. ``--as EMAIL`` takes another person's view instead (a coordinator's, say)."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from matching.dimensioning import DEFAULT_HORIZON, DimensioningFilters, dimensioning_table, export_tables, table_records
from matchplats.core.exports import CSV_DELIMITER, export_cell
from matchplats.core.horizons import HORIZONS
from providers.models import Programme


class Command(BaseCommand):
    help = "Print the dimensioning table of a county as CSV (semicolons, as the page's export) or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--lan", required=True, help="county code, e.g. 17 (Värmland)")
        parser.add_argument("--kommun", action="append", default=[], help="kommun code; repeat for several")
        parser.add_argument("--horizon", choices=HORIZONS, default=DEFAULT_HORIZON)
        parser.add_argument("--occupation-field", type=int, help="occupation field id")
        parser.add_argument("--form", choices=Programme.Form.values, default="", help="programme form")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--as", dest="viewer", metavar="EMAIL", help="take this person's view instead of staff's")

    def handle(self, *args, **options):
        viewer = AnonymousUser()
        if options["viewer"]:
            viewer = get_user_model().objects.filter(email__iexact=options["viewer"]).first()
            if viewer is None:
                raise CommandError(f"No user with the e-mail address {options['viewer']!r}.")
        try:
            filters = DimensioningFilters(lan=options["lan"], kommuner=tuple(options["kommun"]),
                                          horizon=options["horizon"], occupation_field=options["occupation_field"],
                                          form=options["form"])
            table = dimensioning_table(user=viewer, filters=filters, today=timezone.localdate())
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(table_records(table), ensure_ascii=False, indent=1))
            return
        with translation.override("sv"):
            header, rows = export_tables(table=table)["yrken"]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow([export_cell(cell) for cell in header])
        writer.writerows([export_cell(cell) for cell in row] for row in rows)
        self.stdout.write("\ufeff" + buffer.getvalue(), ending="")
