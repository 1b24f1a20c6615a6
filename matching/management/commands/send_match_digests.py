import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from employers.models import Need
from matching.services import digests_send


class Command(BaseCommand):
    help = ("E-mail everyone who follows a need or programme the matches that are new since their last digest "
            "(docs/digest.md). Meant for a weekly cron job; a person gets at most one digest per calendar week, "
            "and none when nothing is new, so running it more often is harmless.")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="the address people open Matchplats at, e.g. https://matchplats.region.se")
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to judge by (ISO 8601, e.g. 2026-12-07T07:00+01:00); default now")

    def handle(self, *args, base_url: str, now: dt.datetime | None, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url {base_url!r} must start with https:// or http://")
        base_url = base_url.rstrip("/")
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)

        def link_for(subject) -> str:
            name = "matching:need" if isinstance(subject, Need) else "matching:programme"
            return base_url + reverse(name, args=[subject.pk])

        sent = digests_send(now=now, link_for=link_for,
                            unsubscribe_link_for=lambda token: base_url + reverse("matching:unsubscribe",
                                                                                  args=[token]))
        self.stdout.write(f"Sent {sent['emails']} digests with {sent['matches']} new matches.")
