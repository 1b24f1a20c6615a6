"""Hourly, from cron: remove the stored answers to Idempotency-Key writes older than the
idempotency window, 24 hours (docs/api.md)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from matchplats.api.services import IDEMPOTENCY_WINDOW, idempotent_requests_prune


class Command(BaseCommand):
    help = "Remove the stored answers to Idempotency-Key writes older than the idempotency window (24 hours)."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to count back from (ISO 8601); default now")

    def handle(self, *args, now: dt.datetime | None, **options):
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        removed = idempotent_requests_prune(now=now)
        hours = int(IDEMPOTENCY_WINDOW.total_seconds() // 3600)
        self.stdout.write(f"{removed} stored idempotent answers older than {hours} hours removed")
