"""Daily, from cron: remove audit events older than AUDIT_LOG_RETENTION_DAYS (docs/reliability.md)."""

from __future__ import annotations

from django.conf import settings

from matchplats.accounts.services import audit_events_prune
from matchplats.core.commands import PruneCommand


class Command(PruneCommand):
    help = "Remove audit events older than the retention period (AUDIT_LOG_RETENTION_DAYS)."

    def prune(self, now) -> str:
        removed = audit_events_prune(now=now, retention_days=settings.AUDIT_LOG_RETENTION_DAYS)
        return f"{removed} audit events older than {settings.AUDIT_LOG_RETENTION_DAYS} days removed"
