import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from dialogues.services import action_item_remind_due, session_remind_upcoming


class Command(BaseCommand):
    help = ("E-mail the members of every branch-arena session starting within 24 hours, and the owners of every "
            "action item due within 3 days or overdue (docs/arenas.md). Meant for a cron job, hourly or daily: each "
            "session is reminded about once, each action item once per due date.")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="the address people open Matchplats at, e.g. https://matchplats.region.se")
        parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                            help="the moment to judge by (ISO 8601, e.g. 2026-12-01T08:00+01:00); default now")

    def handle(self, *args, base_url: str, now: dt.datetime | None, **options):
        if not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url {base_url!r} must start with https:// or http://")
        base_url = base_url.rstrip("/")
        now = now or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        sessions = session_remind_upcoming(
            now=now, link_for=lambda session: base_url + reverse("dialogues:session", args=[session.pk]))
        actions = action_item_remind_due(
            today=timezone.localdate(now),
            link_for=lambda item: base_url + reverse("dialogues:arena", args=[item.arena_id]))
        self.stdout.write(f"Reminded {sessions['sessions']} sessions in {sessions['emails']} e-mails and "
                          f"{actions['action_items']} action items in {actions['emails']} e-mails.")
