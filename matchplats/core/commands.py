"""What the platform's cron commands share (README, *Scheduled jobs*)."""

from __future__ import annotations

import abc
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class TimedCommand(BaseCommand, abc.ABC):
    """A cron command that judges by ``--now`` (ISO 8601; default now, naive means local time)."""

    now_help = "the moment to judge by (ISO 8601, e.g. 2026-12-07T07:00+01:00); default now"

    def add_arguments(self, parser):
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None, help=self.now_help)

    @staticmethod
    def moment(now: dt.datetime | None) -> dt.datetime:
        now = now or timezone.now()
        return timezone.make_aware(now) if timezone.is_naive(now) else now


class MailingCommand(TimedCommand):
    """A command that e-mails links into Matchplats: ``--base-url`` (the address people open it
    at; checked, without a trailing slash) and ``--now``. A subclass sends in ``send`` and
    returns the line to print."""

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="the address people open Matchplats at, e.g. https://matchplats.region.se")
        super().add_arguments(parser)

    def handle(self, *args, base_url: str, now: dt.datetime | None, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url {base_url!r} must start with https:// or http://")
        self.stdout.write(self.send(base_url=base_url.rstrip("/"), now=self.moment(now)))

    @abc.abstractmethod
    def send(self, *, base_url: str, now: dt.datetime) -> str:
        """Send the e-mails; return what was sent, in one line."""


class PruneCommand(TimedCommand):
    """A command that removes rows older than a window, counted back from ``--now``; a subclass
    says what it removes in ``prune``, which returns the line to print."""

    now_help = "the moment to count back from (ISO 8601); default now"

    def handle(self, *args, now: dt.datetime | None, **options):
        self.stdout.write(self.prune(self.moment(now)))

    @abc.abstractmethod
    def prune(self, now: dt.datetime) -> str:
        """Remove what is older than the window; return what was removed, in one line."""
