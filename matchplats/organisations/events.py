"""One small function per organisation event type (who did what, when)."""

from matchplats.organisations.models import Invitation, Membership, Organisation, OrganisationEvent

T = OrganisationEvent.Type


def _record(organisation: Organisation, type_: str, actor, **data) -> OrganisationEvent:
    return OrganisationEvent.objects.create(organisation=organisation, type=type_, actor=actor, data=data)


def organisation_created_event(*, organisation: Organisation, actor) -> OrganisationEvent:
    return _record(organisation, T.CREATED, actor, name=organisation.name, kind=organisation.kind)


def terms_accepted_event(*, organisation: Organisation, actor, version: str) -> OrganisationEvent:
    return _record(organisation, T.TERMS_ACCEPTED, actor, version=version)


def organisation_updated_event(*, organisation: Organisation, actor, changes: dict) -> OrganisationEvent:
    return _record(organisation, T.UPDATED, actor, changes=changes)


def organisation_imported_event(*, organisation: Organisation, actor, at) -> OrganisationEvent:
    """Built unsaved: an import creates many organisations and writes their events in bulk."""
    return OrganisationEvent(organisation=organisation, type=T.CREATED, actor=actor, created_at=at,
                             data={"name": organisation.name, "kind": organisation.kind, "source": "import"})


def member_invited_event(*, invitation: Invitation, actor) -> OrganisationEvent:
    return _record(invitation.organisation, T.MEMBER_INVITED, actor, email=invitation.email, role=invitation.role)


def invitation_revoked_event(*, invitation: Invitation, actor) -> OrganisationEvent:
    return _record(invitation.organisation, T.INVITATION_REVOKED, actor, email=invitation.email)


def member_joined_event(*, membership: Membership) -> OrganisationEvent:
    return _record(membership.organisation, T.MEMBER_JOINED, membership.user, email=membership.user.email,
                   role=membership.role)


def member_removed_event(*, membership: Membership, actor) -> OrganisationEvent:
    return _record(membership.organisation, T.MEMBER_REMOVED, actor, email=membership.user.email)


def role_changed_event(*, membership: Membership, actor, old_role: str) -> OrganisationEvent:
    return _record(membership.organisation, T.ROLE_CHANGED, actor, email=membership.user.email, old_role=old_role,
                   new_role=membership.role)


def api_key_created_event(*, organisation: Organisation, actor, name: str, prefix: str) -> OrganisationEvent:
    return _record(organisation, T.API_KEY_CREATED, actor, name=name, prefix=prefix)


def api_key_revoked_event(*, organisation: Organisation, actor, name: str, prefix: str) -> OrganisationEvent:
    return _record(organisation, T.API_KEY_REVOKED, actor, name=name, prefix=prefix)
