"""Daily, from cron: remove audit events older than AUDIT_LOG_RETENTION_DAYS (docs/reliability.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from matchplats.accounts.services import audit_events_prune


class Command(BaseCommand):
    help = "Remove audit events older than the retention period (AUDIT_LOG_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to count back from (ISO 8601); default now")

    def handle(self, *args, now: dt.datetime | None, **options):
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        removed = audit_events_prune(now=now, retention_days=settings.AUDIT_LOG_RETENTION_DAYS)
        self.stdout.write(f"{removed} audit events older than {settings.AUDIT_LOG_RETENTION_DAYS} days removed")
