"""Every error under /api/ is problem+json, also those Django answers before or outside DRF's
views (an unknown address, a refused host, a crash); pages keep their HTML error pages."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v2/needs/", "/api/v1/needs/1234567890123456789012/",
                                  "/api/v1/needs/abc/", "/api/", "/api/v1/nope"])
def test_an_unknown_address_under_the_api_answers_a_404_problem_in_swedish(path):
    response = Client().get(path)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:matchplats:problem:not-found" and body["status"] == 404
    assert body["title"] == "Hittades inte"
    assert body["detail"] == "Det finns inget på den här adressen i API:et. Dess adresser finns på /api/docs/."
    assert "<html" not in response.content.decode().lower()


def test_an_unknown_address_under_the_api_answers_in_english_on_request(api):
    response = api.post("/api/v1/nope/", {"a": 1}, format="json")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Not found"
    assert response.json()["detail"] == "There is nothing at this address in the API. Its addresses are listed " \
                                        "at /api/docs/."


def test_an_unknown_page_outside_the_api_keeps_the_html_404_page():
    response = Client().get("/apis/v1/needs/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "Sidan hittades inte" in response.content.decode()


def test_a_crash_in_an_api_view_answers_a_500_problem_without_a_traceback():
    with mock.patch("employers.selectors.needs_visible_to", side_effect=ZeroDivisionError("a bug")):
        response = Client(raise_request_exception=False, headers={"accept-language": "en"}).get("/api/v1/needs/")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert response.json() == {"type": "urn:matchplats:problem:server-error", "title": "Server error",
                               "status": 500, "detail": "A server error occurred."}


def test_a_crash_on_a_page_still_answers_the_html_500_page():
    with mock.patch("employers.selectors.needs_visible_to", side_effect=ZeroDivisionError("a bug")):
        response = Client(raise_request_exception=False).get("/behov/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert "Något gick fel" in response.content.decode()


def test_a_request_django_refuses_before_the_api_sees_it_answers_a_400_problem():
    response = Client(HTTP_HOST="matchplats.evil.example").get("/api/v1/needs/")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 400 and "Traceback" not in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_over_the_size_limit_answers_a_400_problem(api):
    response = api.generic("POST", "/api/v1/needs/", '{"title": "' + "x" * 200 + '"}', content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json() == {"type": "urn:matchplats:problem:validation", "title": "Invalid input", "status": 400,
                               "detail": "Malformed request."}


def test_a_refused_page_outside_the_api_keeps_the_html_400_page():
    response = Client(HTTP_HOST="matchplats.evil.example").get("/behov/")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_the_403_handler_answers_a_problem_under_the_api_and_a_page_elsewhere():
    handler = get_resolver().resolve_error_handler(403)
    problem = handler(RequestFactory().get("/api/v1/needs/"), exception=PermissionDenied("Nej."))
    assert problem.status_code == 403 and problem["Content-Type"] == PROBLEM
    assert b'"urn:matchplats:problem:forbidden"' in problem.content
    page = handler(RequestFactory().get("/behov/"), exception=PermissionDenied("Nej."))
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")
