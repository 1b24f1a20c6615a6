import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from employers.services import need_remind_stale


class Command(BaseCommand):
    help = ("E-mail each employer's members the needs that are past, or within 14 days of, their 'gäller till' date "
            "(docs/demand.md). Meant for a daily cron job: a need is reminded about at most once per period.")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="the address people open Matchplats at, e.g. https://matchplats.region.se")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the date to judge staleness on (YYYY-MM-DD); default today")

    def handle(self, *args, base_url: str, today: dt.date | None, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url {base_url!r} must start with https:// or http://")
        base_url = base_url.rstrip("/")
        sent = need_remind_stale(today=today or timezone.localdate(),
                                 link_for=lambda need: base_url + reverse("employers:detail", args=[need.pk]))
        self.stdout.write(f"Reminded {sent['organisations']} employers about {sent['needs']} needs "
                          f"in {sent['emails']} e-mails.")
