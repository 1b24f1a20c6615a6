"""A person's own data: everything Matchplats holds about them as one JSON document, and deleting
their account (GDPR articles 15, 17 and 20; docs/reliability.md, *Hardening*).

Deleting keeps what the person wrote for their organisation (needs, programmes, decisions, live
questions) with the organisation, with the author reference cleared so it reads as anonymous; it
removes their memberships, e-mail addresses, feedback, subscriptions and invitations and their
address where a programme backing gave it for contact; and it replaces their e-mail address and
name in the organisations', arenas', needs' and programmes' event trails and the live sessions'
events with their pseudonym, the same one the audit log keeps.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from matchplats.accounts import audit
from matchplats.accounts.models import AuditEvent, User
from matchplats.accounts.pseudonyms import pseudonym
from matchplats.organisations.models import Invitation, Membership, OrganisationEvent
from matchplats.organisations.services import ensure_another_admin_remains

EXPORT_FORMAT = "matchplats-personal-data/1"


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _audit_rows(user: User) -> list[dict[str, Any]]:
    name = pseudonym(user.email)
    rows = AuditEvent.objects.filter(Q(actor=user) | Q(subject=user) | Q(subject_pseudonym=name)).select_related(
        "organisation").order_by("at", "pk")
    return [{"at": _when(row.at), "action": row.action, "by_you": row.actor_id == user.pk,
             "organisation": row.organisation.name if row.organisation else None,
             "object_type": row.object_type, "object_id": row.object_id, "details": row.details} for row in rows]


def person_data_export(*, user: User, request=None) -> dict[str, Any]:
    """Everything about ``user``, as JSON-ready data; the download itself goes to the audit log."""
    from dialogues.models import ActionItem, Answer, ArenaMember, Decision, Participant, Question
    from employers.models import Need
    from matching.models import DigestSubscription, MatchFeedback
    from providers.models import Programme, ProgrammeBacking, ValidationPath

    audit.personal_data_exported(user=user, request=request)
    participants = Participant.objects.filter(user=user).select_related("session__arena").order_by("pk")
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _when(timezone.now()),
        "profile": {"email": user.email, "name": user.full_name, "joined": _when(user.date_joined),
                    "last_sign_in": _when(user.last_login), "platform_staff": user.is_staff},
        "email_addresses": [{"email": row.email, "verified": row.verified, "primary": row.primary}
                            for row in EmailAddress.objects.filter(user=user).order_by("pk")],
        "two_step_sign_in": [{"kind": row.type, "since": _when(row.created_at), "last_used": _when(row.last_used_at)}
                             for row in Authenticator.objects.filter(user=user).order_by("pk")],
        "memberships": [{"organisation": row.organisation.name, "kind": row.organisation.kind, "role": row.role,
                         "since": _when(row.created_at)}
                        for row in Membership.objects.filter(user=user).select_related("organisation")],
        "invitations": [{"organisation": row.organisation.name, "role": row.role, "sent": _when(row.created_at),
                         "accepted": _when(row.accepted_at)}
                        for row in Invitation.objects.filter(email__iexact=user.email).select_related("organisation")],
        "arena_memberships": [{"arena": row.arena.name, "role": row.role, "since": _when(row.added_at)}
                              for row in ArenaMember.objects.filter(user=user).select_related("arena")],
        "needs_created": [{"id": row.pk, "title": row.title, "organisation": row.organisation.name,
                           "status": row.status, "created": _when(row.created_at)}
                          for row in Need.objects.filter(created_by=user).select_related("organisation")],
        "programmes_created": [{"id": row.pk, "name": row.name, "provider": row.provider.name}
                               for row in Programme.objects.filter(created_by=user).select_related("provider")],
        "validation_paths_created": [{"id": row.pk, "name": row.name}
                                     for row in ValidationPath.objects.filter(created_by=user)],
        "decisions_written": [{"id": row.pk, "text": row.text, "created": _when(row.created_at)}
                              for row in Decision.objects.filter(created_by=user)],
        "action_items": [{"id": row.pk, "text": row.text, "owner": row.owner_user_id == user.pk,
                          "written_by_you": row.created_by_id == user.pk}
                         for row in ActionItem.objects.filter(Q(owner_user=user) | Q(created_by=user))],
        "contact_address_in_programme_backings": [
            {"programme": row.programme.name, "employer": row.employer.name, "contact_email": row.contact_email}
            for row in ProgrammeBacking.objects.filter(contact_email__iexact=user.email).select_related(
                "programme", "employer")],
        "match_feedback": [{"need": row.need_id, "programme": row.programme_id,
                            "validation_path": row.validation_path_id, "relevant": row.relevant,
                            "updated": _when(row.updated_at)}
                           for row in MatchFeedback.objects.filter(user=user)],
        "followed": [{"need": row.need_id, "programme": row.programme_id, "since": _when(row.created_at)}
                     for row in DigestSubscription.objects.filter(user=user)],
        "live_sessions": [{
            "session": row.session.title, "arena": row.session.arena.name, "display_name": row.display_name,
            "joined": _when(row.joined_at),
            "questions": [{"text": question.text, "state": question.state, "asked": _when(question.created_at)}
                          for question in Question.objects.filter(participant=row).order_by("pk")],
            "answers": [{"poll": answer.poll.question, "value": answer.value}
                        for answer in Answer.objects.filter(participant=row).select_related("poll").order_by("pk")],
        } for row in participants],
        "audit_events": _audit_rows(user),
    }


def _admin_of_alone(user: User) -> list[str]:
    """Organisations where ``user`` is the only administrator (the organisations' own rule)."""
    names = []
    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related("organisation"):
        try:
            ensure_another_admin_remains(membership)
        except ValidationError:
            names.append(membership.organisation.name)
    return sorted(names)


def _replaced(value, *, addresses: dict[str, str], names: dict[str, str]):
    """``value`` (JSON data) with every e-mail address in ``addresses`` (lower case) replaced
    wherever it occurs in a string, and every string that is exactly one of ``names`` (a name
    is too short to replace inside other text) replaced as a whole."""
    if isinstance(value, dict):
        return {key: _replaced(item, addresses=addresses, names=names) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, addresses=addresses, names=names) for item in value]
    if isinstance(value, str):
        if value.strip().lower() in names:
            return names[value.strip().lower()]
        for address, replacement in addresses.items():
            value = re.sub(re.escape(address), replacement, value, flags=re.IGNORECASE)
    return value


def _event_models() -> list[tuple[type, str]]:
    """The event trails (model, JSON field) that name people by e-mail address or name."""
    from dialogues.models import ArenaEvent, LiveEvent
    from employers.models import NeedEvent
    from providers.models import ProgrammeBackingEvent, ProgrammeEvent

    return [(OrganisationEvent, "data"), (ArenaEvent, "data"), (NeedEvent, "data"), (ProgrammeEvent, "data"),
            (ProgrammeBackingEvent, "data"), (LiveEvent, "payloads")]


def _scrub_event_trails(*, addresses: dict[str, str], names: dict[str, str]) -> None:
    query = Q()
    for word in [*addresses, *names]:
        query |= Q(_text__icontains=word)
    for model, field in _event_models():
        for row in model.objects.annotate(_text=Cast(field, TextField())).filter(query).only("pk", field):
            cleaned = _replaced(getattr(row, field), addresses=addresses, names=names)
            if cleaned != getattr(row, field):
                setattr(row, field, cleaned)
                row.save(update_fields=[field])


def _clear_contact_addresses(addresses: list[str]) -> None:
    """An employer's backing of a programme may give the person's own address for contact; the
    backing stays with the employer, without the address (the provider contacts the employer)."""
    from providers.models import ProgrammeBacking

    query = Q()
    for address in addresses:
        query |= Q(contact_email__iexact=address)
    ProgrammeBacking.objects.filter(query).update(contact_email="")


@transaction.atomic
def person_delete(*, user: User, password: str, request=None) -> str:
    """Delete ``user``'s account after checking ``password``; returns their pseudonym. Refused,
    with nothing changed, when the password is wrong or they are the last administrator of an
    organisation (someone must be left to manage it: make another member administrator first)."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    alone = _admin_of_alone(user)
    if alone:
        raise ValidationError(_(
            "You are the only administrator of %(organisations)s. Make another member an administrator (or "
            "remove the organisation with the platform's staff) before you delete your account."
        ) % {"organisations": ", ".join(alone)})
    from dialogues.models import Participant

    name = pseudonym(user.email)
    audit.account_deleted(user=user, request=request)
    addresses = {user.email.lower(): name}
    addresses.update({row.email.lower(): name for row in EmailAddress.objects.filter(user=user)})
    participants = Participant.objects.filter(user=user)
    names = {display.strip().lower(): name for display in [user.full_name, *participants.values_list(
        "display_name", flat=True)] if display.strip()}
    # Live questions and answers stay with the session, from an anonymous participant.
    participants.update(user=None, anonymous=True, display_name="")
    _scrub_event_trails(addresses=addresses, names=names)
    Invitation.objects.filter(email__in=list(addresses)).delete()
    _clear_contact_addresses(list(addresses))
    user.delete()
    return name


@transaction.atomic
def audit_events_prune(*, now: dt.datetime, retention_days: int) -> int:
    """Remove audit events older than ``retention_days`` before ``now``; returns how many."""
    if retention_days < 1:
        raise ValueError("The audit log is kept at least one day.")
    removed, _ = AuditEvent.objects.filter(at__lt=now - dt.timedelta(days=retention_days)).delete()
    return removed
