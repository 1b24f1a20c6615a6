"""The organisation's API keys page (admins only) and the API's interactive documentation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularSwaggerSplitView

from matchplats import permissions
from matchplats.api import selectors, services
from matchplats.api.forms import ApiKeyForm
from matchplats.api.models import ApiKey
from matchplats.core.forms import apply_validation_error
from matchplats.organisations.models import Organisation


def _organisation_for_key_admins(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.may_manage_api_keys(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators manage its API keys."))
    return organisation


@login_required
def api_keys(request, pk: int):
    """The keys (prefix, name, created, last used, revoked) and a form for a new one. A new key's
    secret is shown in the answer to the POST that created it, once, and never again."""
    organisation = _organisation_for_key_admins(request, pk)
    form = ApiKeyForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.api_key_create(organisation=organisation, actor=request.user,
                                                      name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = ApiKeyForm()
    response = render(request, "api/keys.html", {
        "organisation": organisation, "keys": selectors.api_keys_of(organisation=organisation), "form": form,
        "created": created, "secret": secret, "docs_url": request.build_absolute_uri(reverse("api-docs")),
    }, status=201 if secret else 200)
    add_never_cache_headers(response)
    return response


@login_required
def api_key_revoke(request, pk: int, key_pk: int):
    """GET asks for confirmation; POST revokes the key at once."""
    organisation = _organisation_for_key_admins(request, pk)
    api_key = get_object_or_404(ApiKey, pk=key_pk, organisation=organisation)
    if request.method == "POST":
        try:
            services.api_key_revoke(api_key=api_key, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The API key %(name)s was revoked. Requests with it are refused from now on.")
                             % {"name": api_key.name})
        return redirect("api_keys:list", pk=organisation.pk)
    return render(request, "api/key_revoke.html", {"organisation": organisation, "api_key": api_key})


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar package (served as our own static files, no CDN); its start-up
    script is a separate response and the page has no inline script or style (our template)."""

    url_name = "api-schema"
