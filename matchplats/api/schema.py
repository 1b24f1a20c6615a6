"""The OpenAPI schema's shared parts: every operation's problem+json answers (docs/api.md)."""

from __future__ import annotations

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; errors lists the messages per field for bad input. "
                   "Problem enligt RFC 9457; errors listar meddelandena per fält vid felaktig indata.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["type", "title", "status", "detail"],
}

DESCRIPTIONS = {
    "400": "Invalid input or filter / Ogiltig indata eller filter",
    "401": "No, unknown or revoked API key / Ingen, okänd eller återkallad API-nyckel",
    "403": "Not allowed / Inte tillåtet",
    "404": "Not found or not visible to the caller, or no such page of a list / Finns inte eller är inte synligt "
           "för anroparen, eller listan har ingen sådan sida",
    "422": "Idempotency-Key reused for another request / Idempotency-Key återanvänd för en annan begäran",
    "429": "Too many requests; see Retry-After / För många anrop; se Retry-After",
}


def _problem(code: str) -> dict:
    response = {"description": DESCRIPTIONS[code],
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if code == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
    return response


def problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the Problem component and, on every operation, the
    problems it can answer with (and 304 for reads, which carry an ETag)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "429"]
            if "{" in path or method == "get":
                codes.append("404")
            if method == "post" and "{" not in path:
                codes.append("422")
            for code in codes:
                responses.setdefault(code, _problem(code))
            if method == "get":
                responses.setdefault("304", {"description": "Not modified (If-None-Match) / Oförändrad"})
    return result
