"""The minutes of a session as a document (``matchplats.core.reports``): the same content as the
minutes page — agenda with notes, decisions and action items, poll results and questions — as
PDF or DOCX."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues.models import ActionItem, Decision, Question
from dialogues.selectors import Minutes, PollSummary
from matchplats.core.reports import Block, Bullets, Heading, Paragraph, Report, Table


def _links(obj) -> str:
    parts = [need.title for need in obj.readable_needs]
    parts += [f"{group.code} {group.label}" for group in obj.occupations.all()]
    parts += [_("gap: %(code)s %(label)s") % {"code": group.code, "label": group.label} for group in obj.gaps.all()]
    return "; ".join(parts)


def _decision_text(decision: Decision) -> str:
    text = decision.text
    if decision.visibility == Decision.Visibility.PUBLIC:
        text = _("%(text)s (public)") % {"text": text}
    links = _links(decision)
    return _("%(text)s — concerns: %(links)s") % {"text": text, "links": links} if links else text


def _actions_table(items: list[ActionItem]) -> Table:
    return Table(columns=[_("Action item"), _("Owner"), _("Due date"), _("Status")],
                 rows=[[item.text, item.owner_organisation.name if item.owner_organisation_id else
                        (item.owner_user.email if item.owner_user_id else "–"),
                        item.due_on.isoformat(), item.get_status_display()] for item in items])


def _poll_meta(summary: PollSummary) -> str:
    text = ngettext("%(kind)s · %(n)s answer", "%(kind)s · %(n)s answers", summary.answers) % {
        "kind": summary.poll.get_kind_display(), "n": summary.answers}
    if summary.segments:
        text += " (" + ", ".join(f"{label.lower()} {n}" for label, n in summary.segments) + ")"
    return text


def _question_text(question: Question) -> str:
    text = ngettext("%(text)s — %(who)s · %(n)s upvote", "%(text)s — %(who)s · %(n)s upvotes", question.upvotes) % {
        "text": question.text, "who": question.participant, "n": question.upvotes}
    return text + (" · " + _("answered") if question.state == Question.State.ANSWERED else "")


def minutes_document(minutes: Minutes) -> Report:
    session = minutes.session
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    meta = [(_("Arena"), session.arena.name),
            (_("When"), f"{date_format(start, 'DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}")]
    if session.place:
        meta.append((_("Place"), session.place))
    if session.url:
        meta.append((_("Meeting link"), session.url))
    blocks: list[Block] = []
    for number, entry in enumerate(minutes.agenda, start=1):
        blocks.append(Heading(f"{number}. {entry.item.title}", level=2))
        if entry.item.notes:
            blocks.append(Paragraph(entry.item.notes))
        if entry.decisions:
            blocks += [Heading(_("Decisions"), level=3), Bullets([_decision_text(d) for d in entry.decisions])]
        if entry.action_items:
            blocks += [Heading(_("Action items"), level=3), _actions_table(entry.action_items)]
    if minutes.other_decisions:
        blocks += [Heading(_("Other decisions"), level=2),
                   Bullets([_decision_text(d) for d in minutes.other_decisions])]
    if minutes.other_action_items:
        blocks += [Heading(_("Other action items"), level=2), _actions_table(minutes.other_action_items)]
    if minutes.polls:
        blocks.append(Heading(_("Polls"), level=2))
        for summary in minutes.polls:
            blocks += [Heading(summary.poll.question, level=3), Paragraph(_poll_meta(summary))]
            if summary.lines:
                blocks.append(Table(columns=[_("Answer"), _("Result")], rows=[list(line) for line in summary.lines]))
    if minutes.questions:
        blocks += [Heading(_("Questions from the participants"), level=2),
                   Bullets([_question_text(q) for q in minutes.questions])]
    if not blocks:
        blocks.append(Paragraph(_("The session had no agenda, decisions or action items.")))
    return Report(title=_("Minutes: %(title)s") % {"title": session.title}, subtitle=session.arena.name,
                  meta=meta, blocks=[Heading(_("Agenda")), *blocks])
