from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from matchplats import permissions
from matchplats.accounts.selectors import audit_detail, audit_events_of_organisation, person_label
from matchplats.core.forms import apply_validation_error
from matchplats.organisations import selectors, services
from matchplats.organisations.forms import InvitationForm, OrganisationEditForm, OrganisationForm, RoleForm
from matchplats.organisations.models import Invitation, Membership, Organisation


@login_required
@require_safe
def organisation_list(request):
    return render(request, "organisations/list.html", {"memberships": selectors.memberships_of(request.user)})


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was created. You are its administrator. Here is where to start.")
                             % {"name": organisation.name})
            return redirect("home")
    return render(request, "organisations/create.html", {"form": form})


def _organisation_for_members(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.may_view_organisation_members(request.user, organisation):
        raise PermissionDenied(_("Only members see an organisation's members."))
    return organisation


@login_required
def organisation_detail(request, pk: int):
    organisation = _organisation_for_members(request, pk)
    can_manage = permissions.may_manage_members(request.user, organisation)
    invite_form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the organisation's administrators invite members."))
        if invite_form.is_valid():
            try:
                invitation = services.invitation_create(
                    organisation=organisation,
                    inviter=request.user,
                    accept_url_for=lambda inv: request.build_absolute_uri(
                        reverse("organisations:invitation", args=[inv.token])
                    ),
                    **invite_form.cleaned_data,
                )
            except ValidationError as error:
                apply_validation_error(invite_form, error)
            else:
                messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
                return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "invitations": selectors.open_invitations(organisation=organisation) if can_manage else [],
            "history": selectors.organisation_history(organisation=organisation),
            "can_manage": can_manage,
            "can_edit": permissions.may_edit_organisation(request.user, organisation),
            "can_manage_keys": permissions.may_manage_api_keys(request.user, organisation),
            "can_accept_terms": permissions.may_accept_terms(request.user, organisation),
            "invite_form": invite_form,
            "role_choices": Membership.Role.choices,
        },
    )


@login_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("kommun", "lan"), pk=pk)
    if not permissions.may_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators change its details."))
    form = OrganisationEditForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The details of %(name)s were saved.") % {"name": form.cleaned_data["name"]})
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def organisation_terms_accept(request, pk: int):
    """The form on the organisation's page when the terms of use in force are not yet accepted."""
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        services.organisation_accept_terms(organisation=organisation, actor=request.user,
                                           accepted=request.POST.get("accepted_terms") == "on")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The terms of use were accepted for %(name)s.") % {"name": organisation.name})
    return redirect("organisations:detail", pk=organisation.pk)


def _run(request, action, success_message: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)


@login_required
@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, organisation_id=pk)
    _run(
        request,
        lambda: services.membership_remove(membership=membership, actor=request.user),
        _("%(email)s was removed.") % {"email": membership.user.email},
    )
    if membership.user_id == request.user.pk:
        return redirect("organisations:list")
    return redirect("organisations:detail", pk=pk)


@login_required
@require_POST
def membership_role(request, pk: int, membership_pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, organisation_id=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        _run(
            request,
            lambda: services.membership_set_role(membership=membership, actor=request.user, role=form.cleaned_data["role"]),
            _("The role of %(email)s was changed.") % {"email": membership.user.email},
        )
    return redirect("organisations:detail", pk=pk)


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation_id=pk)
    _run(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        _("The invitation to %(email)s was revoked.") % {"email": invitation.email},
    )
    return redirect("organisations:detail", pk=pk)


@login_required
def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
            return redirect("organisations:detail", pk=membership.organisation_id)
    return render(request, "organisations/invitation.html", {"invitation": invitation})


@login_required
@require_safe
def organisation_audit(request, pk: int):
    """The organisation's part of the audit log, for its administrators."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.may_read_organisation_audit(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators read its audit log."))
    page = Paginator(audit_events_of_organisation(organisation=organisation), 50).get_page(request.GET.get("sida"))
    members = set(organisation.memberships.values_list("user_id", flat=True))
    roles = dict(Membership.Role.choices)
    rows = [(event, person_label(event.actor, event.actor_pseudonym, members=members),
             person_label(event.subject, event.subject_pseudonym, members=members),
             audit_detail(event.details, roles=roles)) for event in page.object_list]
    return render(request, "organisations/audit.html", {"organisation": organisation, "page": page, "rows": rows})
