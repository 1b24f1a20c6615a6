from django.db.models import QuerySet
from django.utils.translation import gettext as _

from matchplats.core.history import HistoryEntry, describe_changes
from matchplats.organisations.models import Invitation, Membership, Organisation, OrganisationEvent


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their organisations, cached on the user object for one request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_matchplats_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("organisation", "organisation__lan").order_by(
                "organisation__name"
            )
        )
        user._matchplats_memberships = cached
    return cached


def organisations_of(user, *, kind: str) -> list[Organisation]:
    """The organisations of one kind the user belongs to (from the per-request membership cache)."""
    return [m.organisation for m in memberships_of(user) if m.organisation.kind == kind]


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__email")


def open_invitations(*, organisation: Organisation) -> list[Invitation]:
    return [invitation for invitation in organisation.invitations.filter(accepted_at__isnull=True) if invitation.is_open]


def organisation_events(*, organisation: Organisation, limit: int = 50) -> QuerySet[OrganisationEvent]:
    return organisation.events.select_related("actor")[:limit]


def organisation_history(*, organisation: Organisation, limit: int = 50) -> list[HistoryEntry]:
    """The organisation's events, newest first: whom each concerns, and what changed in words."""
    T = OrganisationEvent.Type
    entries = []
    for event in organisation_events(organisation=organisation, limit=limit):
        changes = dict(event.data.get("changes") or {})
        if event.type == T.ROLE_CHANGED and "new_role" in event.data:
            changes = {"role": [event.data.get("old_role"), event.data["new_role"]]}
        entries.append(HistoryEntry(
            at=event.created_at, title=event.get_type_display(), actor=event.actor, note=_event_note(event),
            changes=describe_changes(Organisation, changes, labels={"role": _("Role")},
                                     formatters={"role": _role_words})))
    return entries


def _event_note(event: OrganisationEvent) -> str:
    """Whom an event concerns: a person's address, or an API key's name and prefix."""
    if "prefix" in event.data:
        return f"{event.data.get('name', '')} ({event.data['prefix']})"
    return event.data.get("email", "")


def _role_words(role: object) -> str:
    return str(dict(Membership.Role.choices).get(role, role))
