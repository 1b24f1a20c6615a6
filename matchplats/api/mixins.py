"""View mixins every API endpoint shares: ETag/If-None-Match on reads, Idempotency-Key on creates."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from matchplats.api import selectors, services
from matchplats.api.problems import IdempotencyKeyReused

VARY = ("Authorization", "Cookie", "Accept-Language")
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255


class ETagMixin:
    """A successful read carries a strong ETag of its body; ``If-None-Match`` with it answers 304
    without the body. What a caller may read differs by who asks and in which language, so the
    answer varies on Authorization, Cookie and Accept-Language and is private to the caller."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, VARY)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            set_response_etag(response)
            patch_cache_control(response, private=True, no_cache=True)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


def _request_hash(request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(stored) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if stored.location:
        headers["Location"] = stored.location
    return Response(stored.response_body, status=stored.status_code, headers=headers)


class IdempotentCreateMixin:
    """``POST`` with an ``Idempotency-Key`` header writes once: a retry with the same key and the
    same request gets the first answer again (with ``Idempotent-Replayed: true``); the same key
    with a different request is refused (422 problem). Keys belong to the caller (a person, or an
    API key's own account), so two callers never share one. Only successful answers are kept: a
    request refused as invalid may be corrected and sent again with the same key."""

    def idempotent(self, request, write) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return write()
        key = key.strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: [
                _("Send a key of 1 to %(max)d printable characters, e.g. a UUID.") % {"max": IDEMPOTENCY_KEY_MAX}]})
        request_hash = _request_hash(request)
        stored = selectors.idempotent_request_of(user=request.user, key=key)
        if stored is not None:
            if stored.request_hash != request_hash:
                raise IdempotencyKeyReused()
            return _replay(stored)
        try:
            with transaction.atomic():
                response = write()
                if 200 <= response.status_code < 300:
                    services.idempotent_request_record(
                        user=request.user, key=key, request_hash=request_hash, status_code=response.status_code,
                        response_body=response.data, location=response.get("Location", ""))
        except IntegrityError:
            stored = selectors.idempotent_request_of(user=request.user, key=key)
            if stored is None:
                raise
            if stored.request_hash != request_hash:
                raise IdempotencyKeyReused() from None
            return _replay(stored)
        return response
