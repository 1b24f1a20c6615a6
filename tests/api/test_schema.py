"""The OpenAPI schema and its documentation page: served locally (no CDN), no inline script or
style, and every operation documents its problem+json answers."""

import re

import pytest

from tests.api.conftest import client_as

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_resource_with_its_problems_and_descriptions_in_both_languages(taxonomy):
    client = client_as(None, csrf=False)
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/needs/", "/api/v1/needs/{id}/", "/api/v1/programmes/", "/api/v1/validation-paths/",
                 "/api/v1/needs/{id}/matches/", "/api/v1/programmes/{id}/matches/", "/api/v1/dimensioning/",
                 "/api/v1/decisions/", "/api/v1/action-items/"):
        assert path in schema["paths"], path
    create = schema["paths"]["/api/v1/needs/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "422", "429"} <= set(create)
    assert "application/problem+json" in create["400"]["content"]
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["apiKey"]["description"]}
    swedish = client.get("/api/schema/?format=json&lang=sv").json()
    english = client.get("/api/schema/?format=json&lang=en").json()
    field = ("components", "schemas", "NeedWriteRequest", "properties", "kommun", "description")

    def dig(document):
        for key in field:
            document = document[key]
        return document

    assert dig(english) == "Municipality code, four digits." and dig(swedish) == "Kommunkod, fyra siffror."


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files_without_inline_script_or_style(taxonomy):
    client = client_as(None, csrf=False)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    start = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(start)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
