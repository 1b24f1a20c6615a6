"""What the cron commands that e-mail people share (README, *Scheduled jobs*)."""

from __future__ import annotations

import abc
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class MailingCommand(BaseCommand, abc.ABC):
    """A command that e-mails links into Matchplats: ``--base-url`` (the address people open it
    at; checked, without a trailing slash) and ``--now`` (the moment to judge by; default now).
    A subclass sends in ``send`` and returns the line to print."""

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="the address people open Matchplats at, e.g. https://matchplats.region.se")
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to judge by (ISO 8601, e.g. 2026-12-07T07:00+01:00); default now")

    def handle(self, *args, base_url: str, now: dt.datetime | None, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url {base_url!r} must start with https:// or http://")
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        self.stdout.write(self.send(base_url=base_url.rstrip("/"), now=now))

    @abc.abstractmethod
    def send(self, *, base_url: str, now: dt.datetime) -> str:
        """Send the e-mails; return what was sent, in one line."""
