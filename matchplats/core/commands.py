"""What the platform's management commands share."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone


class PruneCommand(BaseCommand):
    """A cron job that removes rows older than a window, counted back from ``--now`` (default now);
    a subclass says what it removes in ``prune``, which returns the line to print."""

    def add_arguments(self, parser):
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to count back from (ISO 8601); default now")

    def handle(self, *args, now: dt.datetime | None, **options):
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        self.stdout.write(self.prune(now))

    def prune(self, now: dt.datetime) -> str:
        raise NotImplementedError
