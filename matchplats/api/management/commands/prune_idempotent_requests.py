"""Hourly, from cron: remove the stored answers to Idempotency-Key writes older than the
idempotency window, 24 hours (docs/api.md)."""

from __future__ import annotations

from matchplats.api.services import IDEMPOTENCY_WINDOW, idempotent_requests_prune
from matchplats.core.commands import PruneCommand


class Command(PruneCommand):
    help = "Remove the stored answers to Idempotency-Key writes older than the idempotency window (24 hours)."

    def prune(self, now) -> str:
        removed = idempotent_requests_prune(now=now)
        hours = int(IDEMPOTENCY_WINDOW.total_seconds() // 3600)
        return f"{removed} stored idempotent answers older than {hours} hours removed"
