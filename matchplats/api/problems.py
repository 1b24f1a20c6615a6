"""Errors as ``application/problem+json`` (RFC 9457): ``type``, ``title``, ``status``, ``detail``
and, for bad input, ``errors`` — a list of messages per field — in the language the request asks
for (Accept-Language; Swedish by default).

DRF's views answer through ``problem_exception_handler``; what Django answers itself under /api/
(an unknown address, a refused request, a crash, a database outage) goes through
``problem_json_response`` from the error handlers in ``matchplats.core.views`` and from
``DatabaseUnavailableMiddleware``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
NON_FIELD = "non_field_errors"
API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    """Whether the request is for the API, whose errors are problems rather than pages."""
    return request.path_info.startswith(API_PREFIX) or request.path_info == API_PREFIX.rstrip("/")


class ProblemType:
    """The ``type`` URIs of Matchplats' problems (listed in docs/api.md)."""

    VALIDATION = "urn:matchplats:problem:validation"
    IDEMPOTENCY_KEY_REUSED = "urn:matchplats:problem:idempotency-key-reused"
    RATE_LIMITED = "urn:matchplats:problem:rate-limited"
    NOT_AUTHENTICATED = "urn:matchplats:problem:not-authenticated"
    FORBIDDEN = "urn:matchplats:problem:forbidden"
    NOT_FOUND = "urn:matchplats:problem:not-found"
    SERVER_ERROR = "urn:matchplats:problem:server-error"
    UNAVAILABLE = "urn:matchplats:problem:unavailable"
    OTHER = "about:blank"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"

    def __init__(self):
        super().__init__(_("This Idempotency-Key was already used for a different request. Use a new key for a "
                           "new request, or send the first request unchanged."))


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (ProblemType.VALIDATION, _("Invalid input")),
        401: (ProblemType.NOT_AUTHENTICATED, _("Not signed in")),
        403: (ProblemType.FORBIDDEN, _("Not allowed")),
        404: (ProblemType.NOT_FOUND, _("Not found")),
        422: (ProblemType.IDEMPOTENCY_KEY_REUSED, _("Idempotency-Key reused")),
        429: (ProblemType.RATE_LIMITED, _("Too many requests")),
        500: (ProblemType.SERVER_ERROR, _("Server error")),
        503: (ProblemType.UNAVAILABLE, _("Temporarily unavailable")),
    }


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail flattened to ``{"field": [...], "intakes.0.starts_on": [...]}``."""
    errors: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for name, value in detail.items():
            name = NON_FIELD if name in ("__all__", NON_FIELD) and not prefix else name
            for key, messages in field_errors(value, f"{prefix}{name}.").items():
                errors.setdefault(key, []).extend(messages)
    elif isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        for index, value in enumerate(detail):
            for key, messages in field_errors(value, f"{prefix}{index}.").items():
                errors.setdefault(key, []).extend(messages)
    else:
        items = detail if isinstance(detail, list) else [detail]
        errors[prefix.rstrip(".") or NON_FIELD] = [str(item) for item in items]
    return errors


def _problem(*, status_code: int, detail: str, errors: dict | None, type_: str | None) -> dict:
    default_type, title = _titles().get(status_code, (ProblemType.OTHER, None))
    body = {"type": type_ or default_type, "title": title or str(detail), "status": status_code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(*, status_code: int, detail: str, errors: dict | None = None, headers=None,
                     type_: str | None = None) -> Response:
    """The problem as a DRF response, for DRF's views."""
    return Response(_problem(status_code=status_code, detail=detail, errors=errors, type_=type_),
                    status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_json_response(*, status_code: int, detail: str, headers=None, type_: str | None = None) -> JsonResponse:
    """The same problem as a plain Django response, for answers made outside DRF's views. It
    reads nothing from the database, so it also serves while the database is down."""
    body = _problem(status_code=status_code, detail=str(detail), errors=None, type_=type_)
    return JsonResponse(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE,
                        json_dumps_params={"ensure_ascii": False})


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not visible to you."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(status_code=response.status_code, headers=headers, errors=field_errors(exc.detail),
                                detail=_("Correct the fields named in errors and send the request again."))
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    return problem_response(status_code=response.status_code, headers=headers, detail=str(detail))
