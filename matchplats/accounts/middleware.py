"""Every download is written to the audit log from here, in one place: a response that is an
attachment (CSV and XLSX exports, dimensioning tables, evidence packs, status reports, minutes,
calendar files, import templates) becomes an ``export`` event naming the view, its arguments and
the query it was asked with. A view that records its download itself (a person's own data) marks
the response ``audited``. Sync and async, like the rest of the stack, so an async view (the
health check) does not pay for a thread switch here."""

from __future__ import annotations

import re

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.utils.decorators import sync_and_async_middleware

from matchplats.accounts import audit
from matchplats.core.params import is_plain_number
from matchplats.organisations.models import Organisation

_FILE_NAME = re.compile(r'filename="?([^";]+)"?')


def _is_download(response) -> bool:
    return (response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment")
            and not getattr(response, "audited", False))


def _record(request, response) -> None:
    match = request.resolver_match
    found = _FILE_NAME.search(response["Content-Disposition"])
    organisation_id = request.GET.get("organisation", "")
    organisation = Organisation.objects.filter(pk=int(organisation_id)).first() if is_plain_number(organisation_id) else None
    audit.exported(request=request, view_name=match.view_name if match else request.path,
                   arguments={key: value for key, value in (match.kwargs if match else {}).items()
                              if isinstance(value, (str, int))},
                   file_name=found.group(1) if found else "", organisation=organisation)


@sync_and_async_middleware
def AuditDownloadsMiddleware(get_response):
    if iscoroutinefunction(get_response):
        async def middleware(request):
            response = await get_response(request)
            if _is_download(response):
                await sync_to_async(_record)(request, response)
            return response
    else:
        def middleware(request):
            response = get_response(request)
            if _is_download(response):
                _record(request, response)
            return response
    return middleware
