"""``manage.py publish_open_data [--month YYYY-MM] [--replace]``: publish a month's open data for
every county (docs/open-data.md). Run it from cron on the first day of each month; a month
already published is left as it is, so running it again (or daily) changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendata.selectors import month_label, parse_month
from opendata.services import month_to_publish, open_data_publish_month


class Command(BaseCommand):
    help = "Publish a month's open data (demand and supply, public decisions) for every county; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; by default the month that ended last")
        parser.add_argument("--replace", action="store_true",
                            help="write the month's files again (only during the month after it)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            month = parse_month(options["month"]) if options["month"] else month_to_publish(today)
            result = open_data_publish_month(month=month, today=today, replace=options["replace"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        label = month_label(result.month)
        if result.published:
            counties = len({s.lan_id for s in result.published})
            self.stdout.write(f"{label}: {len(result.published)} files published for {counties} counties "
                              f"(figures as of {today.isoformat()}).")
        if result.kept:
            first = min(s.generated_at for s in result.kept)
            self.stdout.write(f"{label}: {len(result.kept)} files were already published "
                              f"({timezone.localtime(first):%Y-%m-%d %H:%M}) and were left as they are"
                              f"{'' if options['replace'] else '; --replace writes them again'}.")
