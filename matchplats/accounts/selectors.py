"""Reads of the audit log, and whether a person has turned on two-step sign-in."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from matchplats.accounts.models import AuditEvent
from matchplats.organisations.models import Membership, Organisation

A = AuditEvent.Action
ORGANISATION_ACTIONS = (A.MEMBER_ADDED, A.MEMBER_REMOVED, A.ROLE_CHANGED, A.MEMBER_INVITED, A.INVITATION_REVOKED)


def audit_events_of_organisation(*, organisation: Organisation) -> QuerySet[AuditEvent]:
    """What an organisation's administrators see of the audit log: changes to its members' access,
    and downloads made by people who are its members now. A download of its (public) needs by
    someone outside it is not theirs to know; it stays in the log for platform staff."""
    is_member = Membership.objects.filter(organisation=organisation, user=OuterRef("actor"))
    return (AuditEvent.objects.filter(organisation=organisation)
            .filter(Q(action__in=ORGANISATION_ACTIONS) | Q(action=A.EXPORT, actor__isnull=False) & Exists(is_member))
            .select_related("actor", "subject").order_by("-at", "-pk"))


def person_label(user, pseudonym: str, *, members: set[int]) -> str:
    """A person in the organisation's log: their address while they are a member, otherwise the
    pseudonym; platform staff (who add a region's coordinators in the admin) are named as staff."""
    if user is not None and user.pk in members:
        return user.email
    if user is not None and user.is_staff:
        return _("platform staff (%(pseudonym)s)") % {"pseudonym": pseudonym}
    return pseudonym


def audit_detail(details: dict, *, roles: dict[str, str]) -> str:
    """An event's details in a few words: a role change, the role given, or the downloaded file."""
    if "new_role" in details:
        return f"{roles.get(details.get('old_role'), '')} → {roles.get(details['new_role'], '')}"
    if "file" in details:
        return str(details["file"])
    return str(roles.get(details.get("role"), ""))


def two_step_sign_in_on(*, user) -> bool:
    """Whether the person signs in with a second step (a code from an authenticator app): allauth's
    own test, so the account pages and allauth's sign-in never disagree."""
    return bool(getattr(user, "is_authenticated", False)) and is_mfa_enabled(user)
