import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dialogues.services import action_item_remind_due, session_remind_upcoming
from matchplats.core.commands import MailingCommand


class Command(MailingCommand):
    help = ("E-mail the members of every branch-arena session starting within 24 hours, and the owners of every "
            "action item due within 3 days or overdue (docs/arenas.md). Meant for a cron job, hourly or daily: each "
            "session is reminded about once, each action item once per due date.")

    def send(self, *, base_url: str, now: dt.datetime) -> str:
        sessions = session_remind_upcoming(
            now=now, link_for=lambda session: base_url + reverse("dialogues:session", args=[session.pk]))
        actions = action_item_remind_due(
            today=timezone.localdate(now),
            link_for=lambda item: base_url + reverse("dialogues:arena", args=[item.arena_id]))
        return (f"Reminded {sessions['sessions']} sessions in {sessions['emails']} e-mails and "
                f"{actions['action_items']} action items in {actions['emails']} e-mails.")
