"""Schemathesis against the API's own OpenAPI schema, in process, over seeded data with a valid
API key: the schema's examples (explicit phase) and generated cases (generate phase) for every
operation; no answer is a server error, every answer matches the schema (status, content type,
body), and every operation answers 2xx at least once (checked, with the number of cases printed,
when the operation's cases are done)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dialogues import services as dialogue_services
from dialogues.models import Arena
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.api.conftest import key_for
from tests.factories import add_member, make_need, make_organisation, make_programme, make_region
from tests.tally import TALLY

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def seeded(taxonomy, platform_matcher, settings):
    """An employer and a provider with a need, a programme, a validation path, and an arena with a
    decision and an action item; one key of a member organisation of each kind."""
    import datetime as dt

    from django.utils import timezone

    from providers.services import validation_path_create

    settings.API_RATE_LIMIT = "100000/m"  # the rate limit has its own test; here every case should reach the API
    employer = make_organisation("employer", name="Omsorg AB")
    provider = make_organisation("provider", name="Komvux Karlstad")
    coordinator = add_member(make_region("17"))
    need = make_need(employer, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    programme = make_programme(provider, name="Undersköterska")
    path = validation_path_create(actor=None, organiser=provider, name="Validering undersköterska", method="komvux",
                                  occupations=SsykGroup.objects.filter(code="5321"))
    arena = dialogue_services.arena_create(actor=coordinator, name="Vård", lan=Lan.objects.get(code="17"),
                                           ssyk_groups=SsykGroup.objects.filter(code="5321"))
    dialogue_services.arena_member_add(actor=coordinator, arena=arena, organisation=employer)
    starts = timezone.now() + dt.timedelta(days=3)
    session = dialogue_services.session_create(actor=coordinator, arena=Arena.objects.get(pk=arena.pk), title="Möte",
                                               starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                                               place="Karlstad", agenda=("Läget",))
    decision = dialogue_services.decision_create(actor=coordinator, session=session, text="Beslut", visibility="public")
    item = dialogue_services.action_item_create(actor=coordinator, session=session, text="Åtgärd",
                                                due_on=dt.date(2030, 1, 1), owner_organisation=employer)
    return {"keys": {"employer": key_for(employer), "provider": key_for(provider)},
            "ids": {"needs": need.pk, "programmes": programme.pk, "validation-paths": path.pk,
                    "decisions": decision.pk, "action-items": item.pk}}


@pytest.fixture
def in_test_transaction():
    """Requests through the WSGI application inside the test's transaction: Django closes the
    database connection when a request ends, which the test client prevents and so must we."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def statuses(request):
    """The status codes one operation answered; after its last case, at least one must be 2xx."""
    counts = Counter()
    yield counts
    print(f"\n{request.node.name}: {sum(counts.values())} cases, {dict(sorted(counts.items()))}")
    TALLY.api_cases += sum(counts.values())
    TALLY.api_operations += 1
    assert any(200 <= code < 300 for code in counts), f"{request.node.name} never answered 2xx: {dict(counts)}"


def _api_schema():
    """The schema /api/schema/ serves, generated directly (at collection, before any database),
    with the WSGI application to call."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _api_schema()


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_case_within_its_schema_and_without_a_server_error(case, seeded, statuses,
                                                                                          in_test_transaction):
    resource = case.operation.path.split("/")[3]
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = seeded["ids"][resource]
    writer = "provider" if resource in ("programmes", "validation-paths") else "employer"
    response = case.call_and_validate(headers={"Authorization": f"Bearer {seeded['keys'][writer]}"},
                                      checks=CHECKS)
    statuses[response.status_code] += 1
