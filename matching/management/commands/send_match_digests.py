import datetime as dt

from django.urls import reverse

from employers.models import Need
from matching.services import digests_send
from matchplats.core.commands import MailingCommand


class Command(MailingCommand):
    help = ("E-mail everyone who follows a need or programme the matches that are new since their last digest "
            "(docs/digest.md). Meant for a weekly cron job; a person gets at most one digest per calendar week, "
            "and none when nothing is new, so running it more often is harmless.")

    def send(self, *, base_url: str, now: dt.datetime) -> str:
        def link_for(subject) -> str:
            name = "matching:need" if isinstance(subject, Need) else "matching:programme"
            return base_url + reverse(name, args=[subject.pk])

        sent = digests_send(now=now, link_for=link_for,
                            unsubscribe_link_for=lambda token: base_url + reverse("matching:unsubscribe",
                                                                                  args=[token]))
        return f"Sent {sent['emails']} digests with {sent['matches']} new matches."
