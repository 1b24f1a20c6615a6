"""A database that cannot be reached answers with a friendly 503 page, not a server error
(docs/reliability.md, *Faults*); under /api/ with a 503 problem (docs/api.md, *Errors*)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from matchplats.api.problems import is_api_request, problem_json_response

log = logging.getLogger(__name__)

DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
"""What Django raises when the database is down, restarting, refuses connections or dropped one
(a deadlock or a statement time-out is an ``OperationalError`` too: also worth a retry)."""
RETRY_AFTER_S = 30


def database_unavailable_response(request) -> HttpResponse:
    """The 503 page, or for the API the 503 problem, both with ``Retry-After``. The page is rendered
    without the request's context processors: they read the database."""
    if is_api_request(request):
        response = problem_json_response(status_code=503, detail=_(
            "We cannot reach the database right now. Try again after the seconds given in Retry-After."))
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_path": request.get_full_path(),
                                                              "contact_email": settings.CONTACT_EMAIL}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turns a database outage met by a view (or its template) into the 503 page. The server
    process keeps running; Django connects again on the next request that needs the database
    (``CONN_HEALTH_CHECKS`` drops a persistent connection that died meanwhile)."""

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNREACHABLE):
            return None
        log.error("database unreachable during %s %s: %s: %s", request.method, request.path,
                  type(exception).__name__, str(exception).strip().splitlines()[0] if str(exception).strip() else "")
        return database_unavailable_response(request)
