"""The audit log: one small function per kind of event, called from the services that grant or take
away access, from the sign-in adapter and from the download middleware (docs/reliability.md,
*Hardening*).

People are written as pseudonyms (``pseudonyms.pseudonym`` of their e-mail address, keyed with the
secret key) beside a nullable reference, and addresses as a keyed hash, so the log can say "the
same person, from the same address" after the person has deleted their account. Details never
hold an e-mail address or a name.
"""

from __future__ import annotations

from matchplats.accounts.models import AuditEvent, User
from matchplats.accounts.pseudonyms import ip_hash, pseudonym

A = AuditEvent.Action


def _person(user) -> tuple[User | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user, pseudonym(user.email)


def _record(action: str, *, actor=None, subject=None, subject_pseudonym: str = "", organisation=None,
            obj=None, object_type: str = "", object_id: str = "", request=None, **details) -> AuditEvent:
    actor, actor_pseudonym = _person(actor)
    subject, found_pseudonym = _person(subject)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        action=action, actor=actor, actor_pseudonym=actor_pseudonym, subject=subject,
        subject_pseudonym=found_pseudonym or subject_pseudonym, organisation=organisation,
        object_type=object_type, object_id=object_id, ip_hash=ip_hash(request), details=details)


# Sign-ins -------------------------------------------------------------------------------------

def signed_in(*, user, request, method: str) -> AuditEvent:
    return _record(A.SIGN_IN, actor=user, subject=user, request=request, method=method)


def sign_in_failed(*, email: str, request, locked: bool = False) -> AuditEvent:
    """A wrong password (or a refusal after too many): the account typed, if there is one, is the
    subject; the typed address itself is kept only as its pseudonym."""
    subject = User.objects.filter(email__iexact=(email or "").strip()).first()
    return _record(A.SIGN_IN_LOCKED if locked else A.SIGN_IN_FAILED, subject=subject,
                   subject_pseudonym=pseudonym(email or ""), request=request)


def second_step_failed(*, user, request, reauthentication: bool = False) -> AuditEvent:
    """A wrong code at the second step of signing in (the password was right), or when a signed-in
    person with two-step sign-in confirms it is them."""
    return _record(A.SIGN_IN_FAILED, subject=user, request=request,
                   step="reauthenticate" if reauthentication else "second")


# Two-step sign-in -----------------------------------------------------------------------------
# ``kind`` is allauth's authenticator type: ``totp`` (the app) or ``recovery_codes`` (made and
# removed along with it).

def two_step_added(*, user, request, kind: str) -> AuditEvent:
    return _record(A.TWO_STEP_ADDED, actor=user, subject=user, obj=user, request=request, kind=kind)


def two_step_removed(*, user, request, kind: str, actor=None) -> AuditEvent:
    """``actor``: platform staff removing it in the admin for someone locked out; else the person."""
    return _record(A.TWO_STEP_REMOVED, actor=actor or user, subject=user, obj=user, request=request, kind=kind)


def recovery_codes_renewed(*, user, request) -> AuditEvent:
    return _record(A.RECOVERY_CODES_RENEWED, actor=user, subject=user, obj=user, request=request)


# Permission changes ---------------------------------------------------------------------------

def member_added(*, membership, actor, how: str) -> AuditEvent:
    """``how``: ``created`` (the founder of an organisation), ``invitation`` or ``staff`` (added in the admin)."""
    return _record(A.MEMBER_ADDED, actor=actor, subject=membership.user, organisation=membership.organisation,
                   obj=membership, role=membership.role, how=how)


def member_removed(*, membership, actor) -> AuditEvent:
    return _record(A.MEMBER_REMOVED, actor=actor, subject=membership.user, organisation=membership.organisation,
                   obj=membership, role=membership.role)


def role_changed(*, membership, actor, old_role: str) -> AuditEvent:
    return _record(A.ROLE_CHANGED, actor=actor, subject=membership.user, organisation=membership.organisation,
                   obj=membership, old_role=old_role, new_role=membership.role)


def member_invited(*, invitation, actor) -> AuditEvent:
    """The invited address is kept as its pseudonym: an invitation is a role waiting to be taken."""
    return _record(A.MEMBER_INVITED, actor=actor, subject_pseudonym=pseudonym(invitation.email),
                   organisation=invitation.organisation, obj=invitation, role=invitation.role)


def invitation_revoked(*, invitation, actor) -> AuditEvent:
    return _record(A.INVITATION_REVOKED, actor=actor, subject_pseudonym=pseudonym(invitation.email),
                   organisation=invitation.organisation, obj=invitation, role=invitation.role)


def arena_access_changed(*, arena, actor, change: str, user=None, organisation=None) -> AuditEvent:
    """``change``: ``member_added``, ``member_removed``, ``host_given`` or ``host_taken``; for a
    person (``user``) or a whole organisation."""
    return _record(A.ARENA_ACCESS_CHANGED, actor=actor, subject=user, organisation=organisation, obj=arena,
                   change=change)


def staff_changed(*, user, actor, changes: dict[str, list[bool]], request=None) -> AuditEvent:
    """``changes``: ``{"is_staff": [old, new], ...}`` for the flags that changed."""
    return _record(A.STAFF_CHANGED, actor=actor, subject=user, obj=user, request=request, changes=changes)


# Downloads and personal data ------------------------------------------------------------------

def exported(*, request, view_name: str, arguments: dict, file_name: str, organisation=None) -> AuditEvent:
    return _record(A.EXPORT, actor=request.user, request=request, organisation=organisation,
                   object_type="view", object_id=view_name[:64], arguments=arguments, file=file_name,
                   query=request.GET.urlencode()[:1000])


def personal_data_exported(*, user, request=None) -> AuditEvent:
    return _record(A.PERSONAL_DATA_EXPORTED, actor=user, subject=user, obj=user, request=request)


def account_deleted(*, user, request=None) -> AuditEvent:
    """Written before the account goes: the references are cleared by the deletion, the pseudonyms stay."""
    return _record(A.ACCOUNT_DELETED, actor=user, subject=user, obj=user, request=request)
