"""Writes for organisations, memberships and invitations. Every function checks its own
permission (through matchplats.permissions) before it writes, so no caller can skip it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.accounts import audit
from matchplats.core.search import search_document
from matchplats.core.terms import TERMS_VERSION
from matchplats.core.validators import normalise_organisation_number, single_line, validate_single_line
from matchplats.organisations import events
from matchplats.organisations.models import (
    INVITATION_VALID_FOR,
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
)
from matchplats.taxonomy.models import Kommun, Lan


def _forget_cached_memberships(user) -> None:
    user.__dict__.pop("_matchplats_memberships", None)


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("The organisation needs a name.")})
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None
    return name


def _checked_number(organisation_number: str) -> str:
    try:
        return normalise_organisation_number(organisation_number)
    except ValidationError as error:
        raise ValidationError({"organisation_number": error.messages}) from None


@transaction.atomic
def organisation_create(
    *,
    creator,
    name: str,
    kind: str,
    provider_type: str = "",
    kommun: Kommun | None = None,
    lan: Lan | None = None,
    organisation_number: str = "",
    website: str = "",
    accepted_terms: bool,
) -> Organisation:
    """Create an organisation with ``creator`` as its first admin. Registering one means
    accepting the terms of use (``/villkor/``) for it, including the open licence of the
    aggregated figures: the time and the version accepted are stored with it."""
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of organisation.")})
    if not accepted_terms:
        raise ValidationError({"accepted_terms": _("Accept the terms of use to register the organisation.")})
    if not permissions.may_create_organisation(creator, kind):
        raise PermissionDenied(_("Only platform staff create region organisations."))
    name = _checked_name(name)
    organisation_number = _checked_number(organisation_number)
    if kind == Organisation.Kind.REGION and lan is None:
        raise ValidationError({"lan": _("A region organisation belongs to one county (län).")})
    if provider_type and kind != Organisation.Kind.PROVIDER:
        raise ValidationError({"provider_type": _("Only education providers have a provider type.")})
    organisation = Organisation(
        name=name,
        kind=kind,
        provider_type=provider_type,
        kommun=kommun,
        lan=lan or (kommun.lan if kommun else None),
        organisation_number=organisation_number,
        website=website,
        created_by=creator,
        accepted_terms_at=timezone.now(),
        accepted_terms_version=TERMS_VERSION,
    )
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(user=creator, organisation=organisation, role=Membership.Role.ADMIN)
    _forget_cached_memberships(creator)
    events.organisation_created_event(organisation=organisation, actor=creator)
    audit.member_added(membership=membership, actor=creator, how="created")
    return organisation


EDITABLE_FIELDS = ("name", "provider_type", "kommun", "organisation_number", "website")


def _event_value(value):
    if value is None or isinstance(value, (bool, int)):
        return value
    return str(value)


@transaction.atomic
def organisation_accept_terms(*, organisation: Organisation, actor, accepted: bool) -> Organisation:
    """An administrator accepts the terms of use in force (``/villkor/``, ``TERMS_VERSION``) for an
    organisation that registered before them or before they last changed. Accepting the version
    already accepted changes nothing."""
    if not permissions.may_accept_terms(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators accept the terms of use for it."))
    if not accepted:
        raise ValidationError({"accepted_terms": _("Tick the box to accept the terms of use.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.needs_to_accept_terms:
        return organisation
    organisation.accepted_terms_at = timezone.now()
    organisation.accepted_terms_version = TERMS_VERSION
    organisation.save(update_fields=["accepted_terms_at", "accepted_terms_version"])
    events.terms_accepted_event(organisation=organisation, actor=actor, version=TERMS_VERSION)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, **changes) -> Organisation:
    """Change an organisation's own details; only its administrators (and superusers) may. The
    kind and, for a region, the län stay as they are: needs, programmes and coordinators depend
    on them. An employer's or provider's län follows its municipality. What differs becomes one
    ``updated`` event; a change to nothing writes nothing."""
    if not permissions.may_edit_organisation(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators change its details."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "name" in changes:
        changes["name"] = _checked_name(changes["name"])
    if "organisation_number" in changes:
        changes["organisation_number"] = _checked_number(changes["organisation_number"])
    if "website" in changes:
        changes["website"] = (changes["website"] or "").strip()
    if changes.get("provider_type") and organisation.kind != Organisation.Kind.PROVIDER:
        raise ValidationError({"provider_type": _("Only education providers have a provider type.")})
    kommun = changes.get("kommun", organisation.kommun)
    if organisation.kind == Organisation.Kind.REGION:
        if kommun is not None and kommun.lan_id != organisation.lan_id:
            raise ValidationError({"kommun": _("%(kommun)s is not in %(lan)s.")
                                   % {"kommun": kommun, "lan": organisation.lan}})
    elif "kommun" in changes:
        changes["lan"] = kommun.lan if kommun else None
    diff = {}
    for name, value in changes.items():
        old = getattr(organisation, name)
        if old != value:
            if name != "lan":
                diff[name] = [_event_value(old), _event_value(value)]
            setattr(organisation, name, value)
    if not diff:
        return organisation
    organisation.full_clean()
    organisation.save()
    events.organisation_updated_event(organisation=organisation, actor=actor, changes=diff)
    _forget_cached_memberships(actor)
    return organisation


IMPORTABLE_KINDS = frozenset({Organisation.Kind.EMPLOYER, Organisation.Kind.PROVIDER})
# Kommun and län come from the importer's in-memory reference data; no need to query them again.
_IMPORT_CLEAN_EXCLUDE = ["kommun", "lan", "created_by"]


def organisation_check_imported(organisation: Organisation) -> None:
    """Validate an organisation an import is about to create (unsaved, without members):
    employers and providers only, a name, and the model's own validation. Raises
    ValidationError; importers call it per row so the error names the row."""
    if organisation.kind not in IMPORTABLE_KINDS:
        raise ValidationError({"kind": _("Imports create only employers and education providers.")})
    organisation.name = (organisation.name or "").strip()
    if not organisation.name:
        raise ValidationError({"name": _("The organisation needs a name.")})
    if organisation.provider_type and organisation.kind != Organisation.Kind.PROVIDER:
        raise ValidationError({"provider_type": _("Only education providers have a provider type.")})
    organisation.full_clean(exclude=_IMPORT_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)


@transaction.atomic
def organisations_import_create(*, actor, organisations: list[Organisation], at) -> list[Organisation]:
    """Create the organisations an import names but the platform does not know yet — without
    members (nobody has claimed them) — each validated again, with a ``created`` event marked
    ``"source": "import"``. Only the command line (``actor`` None) and platform staff may."""
    if not organisations:
        return []
    if actor is not None and not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only platform staff create organisations by importing."))
    for organisation in organisations:
        organisation_check_imported(organisation)
        organisation.created_by = actor
        organisation.search_text = search_document([organisation.name])  # bulk_create does not call save()
    Organisation.objects.bulk_create(organisations, batch_size=500)
    OrganisationEvent.objects.bulk_create(
        [events.organisation_imported_event(organisation=org, actor=actor, at=at) for org in organisations],
        batch_size=500)
    return organisations


def organisations_search_refresh() -> int:
    """Rewrite every organisation's search document (``Organisation.save`` keeps it as names change;
    this repairs rows written around it). Returns how many changed."""
    changed = []
    for organisation in Organisation.objects.only("pk", "name", "search_text").order_by("pk").iterator(chunk_size=500):
        document = search_document([organisation.name])
        if document != organisation.search_text:
            organisation.search_text = document
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def _send_invitation_email(invitation: Invitation, *, accept_url: str) -> None:
    context = {"invitation": invitation, "accept_url": accept_url}
    send_mail(
        subject=single_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                            + _("Invitation to %(organisation)s") % {"organisation": invitation.organisation.name}),
        message=render_to_string("organisations/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, inviter, email: str, role: str = Membership.Role.MEMBER, accept_url_for
) -> Invitation:
    """Invite ``email`` to ``organisation``; ``accept_url_for(invitation)`` builds the link in the e-mail."""
    if not permissions.may_manage_members(inviter, organisation):
        raise PermissionDenied(_("Only the organisation's administrators invite members."))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    email = (email or "").strip().lower()
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=inviter)
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    organisation.invitations.filter(
        email=email, accepted_at__isnull=True, created_at__lt=timezone.now() - INVITATION_VALID_FOR
    ).delete()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError({"email": _("%(email)s already has an open invitation.") % {"email": email}}) from None
    events.member_invited_event(invitation=invitation, actor=inviter)
    audit.member_invited(invitation=invitation, actor=inviter)
    transaction.on_commit(lambda: _send_invitation_email(invitation, accept_url=accept_url_for(invitation)))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> None:
    if not permissions.may_manage_members(actor, invitation.organisation):
        raise PermissionDenied(_("Only the organisation's administrators revoke invitations."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation has already been accepted."))
    events.invitation_revoked_event(invitation=invitation, actor=actor)
    audit.invitation_revoked(invitation=invitation, actor=actor)
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The invited person joins. The signed-in account must own the invited address."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or has already been used."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            _("This invitation was sent to %(email)s; sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        events.member_joined_event(membership=membership)
        audit.member_added(membership=membership, actor=user, how="invitation")
    _forget_cached_memberships(user)
    return membership


def ensure_another_admin_remains(membership: Membership) -> None:
    """Refuse to take away the last administrator of an organisation (leaving, demotion, deleting
    one's account): someone must be left to manage it."""
    if membership.role != Membership.Role.ADMIN:
        return
    others = membership.organisation.memberships.filter(role=Membership.Role.ADMIN).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("An organisation must keep at least one administrator."))


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if not permissions.may_remove_membership(actor, membership):
        raise PermissionDenied(_("Only the organisation's administrators remove members."))
    ensure_another_admin_remains(membership)
    events.member_removed_event(membership=membership, actor=actor)
    audit.member_removed(membership=membership, actor=actor)
    membership.delete()
    _forget_cached_memberships(actor)


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    if not permissions.may_manage_members(actor, membership.organisation):
        raise PermissionDenied(_("Only the organisation's administrators change roles."))
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == membership.role:
        return membership
    if role != Membership.Role.ADMIN:
        ensure_another_admin_remains(membership)
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    events.role_changed_event(membership=membership, actor=actor, old_role=old_role)
    audit.role_changed(membership=membership, actor=actor, old_role=old_role)
    _forget_cached_memberships(actor)
    return membership


def memberships_record_staff_changes(*, organisation: Organisation, actor,
                                     before: dict[int, tuple[int, str]]) -> int:
    """Record in the audit log and the organisation's history what platform staff changed in its
    memberships in the Django admin (the way a region's coordinators are added). ``before`` is
    membership id → (user id, role) as it was before the admin saved; returns the events written.
    A membership whose person was swapped counts as one person removed and another added."""
    if not permissions.may_change_memberships_in_admin(actor):
        raise PermissionDenied(_("Only platform staff change memberships in the admin."))
    after = {m.pk: m for m in organisation.memberships.select_related("user", "organisation")}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in={u for u, _r in before.values()})}
    written = 0
    for pk, (user_id, role) in before.items():
        now = after.get(pk)
        if now is None or now.user_id != user_id:
            gone = Membership(pk=pk, organisation=organisation, user=users[user_id], role=role)
            events.member_removed_event(membership=gone, actor=actor)
            audit.member_removed(membership=gone, actor=actor)
            written += 1
        elif now.role != role:
            events.role_changed_event(membership=now, actor=actor, old_role=role)
            audit.role_changed(membership=now, actor=actor, old_role=role)
            written += 1
    for pk, membership in after.items():
        if pk not in before or before[pk][0] != membership.user_id:
            events.member_joined_event(membership=membership)
            audit.member_added(membership=membership, actor=actor, how="staff")
            written += 1
    return written
