"""Every download is written to the audit log from here, in one place: a response that is an
attachment (CSV and XLSX exports, dimensioning tables, evidence packs, status reports, minutes,
calendar files, import templates) becomes an ``export`` event naming the view, its arguments and
the query it was asked with. A view that records its download itself (a person's own data) marks
the response ``audited``."""

from __future__ import annotations

import re

from matchplats.accounts import audit
from matchplats.organisations.models import Organisation

_FILE_NAME = re.compile(r'filename="?([^";]+)"?')


def _organisation(request) -> Organisation | None:
    value = request.GET.get("organisation", "")
    return Organisation.objects.filter(pk=int(value)).first() if value.isdigit() else None


class AuditDownloadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if (response.status_code == 200 and disposition.startswith("attachment")
                and not getattr(response, "audited", False)):
            match = request.resolver_match
            found = _FILE_NAME.search(disposition)
            audit.exported(request=request, view_name=match.view_name if match else request.path,
                           arguments={key: value for key, value in (match.kwargs if match else {}).items()
                                      if isinstance(value, (str, int))},
                           file_name=found.group(1) if found else "", organisation=_organisation(request))
        return response
