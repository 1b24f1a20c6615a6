import asyncio
import datetime as dt

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from rest_framework import exceptions as api_exceptions

from matchplats.api.problems import is_api_request, problem_json_response
from matchplats.core import health, terms
from matchplats.core.selectors import platform_figures


def home(request):
    """The front page for visitors (a signed-in person gets ``startpage``'s "Mitt Matchplats")."""
    return render(request, "core/home.html", {"figures": platform_figures()})


ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 11, 30)
"""When the accessibility statement was last reviewed: change it with the statement."""
PRIVACY_NOTICE_DATE = dt.date(2026, 11, 30)


@require_safe
def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse), as lag (2018:1937) requires."""
    return render(request, "core/accessibility.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL,
        "updated": ACCESSIBILITY_STATEMENT_DATE,
    })


@require_safe
def privacy(request):
    """What Matchplats stores about a person, why, who sees it and for how long."""
    return render(request, "core/privacy.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL, "updated": PRIVACY_NOTICE_DATE,
        "audit_days": settings.AUDIT_LOG_RETENTION_DAYS, "data_url": reverse("accounts:personal_data"),
    })


@require_safe
def terms_of_use(request):
    """The terms an organisation accepts when it is registered, with the open licence of the
    aggregated figures (``matchplats.core.terms``, docs/open-data.md)."""
    return render(request, "core/terms.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL, "version": terms.TERMS_VERSION,
        "updated": terms.TERMS_DATE, "licence_name": terms.OPEN_DATA_LICENCE_NAME,
        "licence_url": terms.OPEN_DATA_LICENCE_URL,
    })


@never_cache
@require_safe
async def healthz(request):
    database, channel_layer = await asyncio.gather(health.database_error(), health.channel_layer_error())
    checks = {
        "database": {"ok": database is None, **({"error": database} if database else {})},
        "channel_layer": {"ok": channel_layer is None, **({"error": channel_layer} if channel_layer else {})},
    }
    healthy = database is None and channel_layer is None
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)


# Django's error handlers (``handler400`` ... in matchplats/urls.py): what Django answers itself,
# outside a view or when a view crashed. Under /api/ the answer is a problem like every other API
# error (docs/api.md, *Errors*); elsewhere it is Django's page from templates/<status>.html.

def bad_request(request, exception):
    if is_api_request(request):
        return problem_json_response(status_code=400, detail=api_exceptions.ParseError.default_detail)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return problem_json_response(status_code=403,
                                     detail=str(exception) or api_exceptions.PermissionDenied.default_detail)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return problem_json_response(status_code=404, detail=_(
            "There is nothing at this address in the API. Its addresses are listed at /api/docs/."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page. Like Django's own it uses no context processors, which may be what failed,
    but it names the address to write to when the error does not go away."""
    if is_api_request(request):
        return problem_json_response(status_code=500, detail=api_exceptions.APIException.default_detail)
    return HttpResponseServerError(render_to_string("500.html", {"contact_email": settings.CONTACT_EMAIL}))
