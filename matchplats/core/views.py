import asyncio
import datetime as dt

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache

from matchplats.core import health, terms
from matchplats.core.selectors import platform_figures


def home(request):
    """The front page for visitors (a signed-in person gets ``startpage``'s "Mitt Matchplats")."""
    return render(request, "core/home.html", {"figures": platform_figures()})


ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 11, 30)
"""When the accessibility statement was last reviewed: change it with the statement."""
PRIVACY_NOTICE_DATE = dt.date(2026, 11, 30)


def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse), as lag (2018:1937) requires."""
    return render(request, "core/accessibility.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL,
        "updated": ACCESSIBILITY_STATEMENT_DATE,
    })


def privacy(request):
    """What Matchplats stores about a person, why, who sees it and for how long."""
    return render(request, "core/privacy.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL, "updated": PRIVACY_NOTICE_DATE,
        "audit_days": settings.AUDIT_LOG_RETENTION_DAYS, "data_url": reverse("accounts:personal_data"),
    })


def terms_of_use(request):
    """The terms an organisation accepts when it is registered, with the open licence of the
    aggregated figures (``matchplats.core.terms``, docs/open-data.md)."""
    return render(request, "core/terms.html", {
        "operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL, "version": terms.TERMS_VERSION,
        "updated": terms.TERMS_DATE, "licence_name": terms.OPEN_DATA_LICENCE_NAME,
        "licence_url": terms.OPEN_DATA_LICENCE_URL,
    })


@never_cache
async def healthz(request):
    database, channel_layer = await asyncio.gather(health.database_error(), health.channel_layer_error())
    checks = {
        "database": {"ok": database is None, **({"error": database} if database else {})},
        "channel_layer": {"ok": channel_layer is None, **({"error": channel_layer} if channel_layer else {})},
    }
    healthy = database is None and channel_layer is None
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503)


def server_error(request):
    """The 500 page (``handler500``). Like Django's own it uses no context processors, which may be
    what failed, but it names the address to write to when the error does not go away."""
    return HttpResponseServerError(render_to_string("500.html", {"contact_email": settings.CONTACT_EMAIL}))
