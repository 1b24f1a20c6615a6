import asyncio

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from matchplats import permissions
from matchplats.core import health
from matchplats.core.selectors import platform_figures
from matchplats.taxonomy.models import Lan


def home(request):
    return render(request, "core/home.html", {
        "figures": platform_figures(),
        "coordinated_lans": Lan.objects.filter(pk__in=permissions.coordinator_lan_ids(request.user)).order_by("label"),
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
