"""A database that cannot be reached gives the friendly 503 page (matchplats/core/middleware.py);
tests/faults/ stop a real PostgreSQL under a real server."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, override_settings

REFUSED = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                           "Connection refused")


def _home_failing_with(error):
    return mock.patch("matchplats.core.views.platform_figures", side_effect=error)


@override_settings(DEBUG=True)  # even where a crash would show the technical page with its traceback
@pytest.mark.parametrize("error", [REFUSED, InterfaceError("connection already closed")])
def test_a_page_that_cannot_reach_the_database_answers_503_in_swedish_without_a_traceback(error):
    with _home_failing_with(error):
        response = Client().get("/?sida=2")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "Matchplats är tillfälligt otillgänglig" in body
    assert "Vi når inte databasen just nu" in body
    assert '<a href="/?sida=2">Försök igen</a>' in body
    assert "Traceback" not in body and "connection" not in body


def test_the_503_page_follows_the_chosen_language():
    with _home_failing_with(REFUSED):
        response = Client(headers={"accept-language": "en"}).get("/")
    assert response.status_code == 503
    assert "Matchplats is temporarily unavailable" in response.content.decode()


def test_the_outage_is_logged_in_one_line(caplog):
    with _home_failing_with(REFUSED):
        Client().get("/")
    logged = [record for record in caplog.records if record.name == "matchplats.core.middleware"]
    assert len(logged) == 1 and logged[0].exc_info is None
    assert logged[0].getMessage() == ('database unreachable during GET /: OperationalError: connection failed: '
                                      'connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_any_other_error_still_is_a_server_error_with_a_page_that_needs_no_database():
    with _home_failing_with(ZeroDivisionError("a bug")):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def _needs_failing_with(error):
    """The needs list's first read (the filter form's reference data) meets the outage."""
    return mock.patch("employers.api.NeedFilterForm", side_effect=error)


@override_settings(DEBUG=True)
def test_the_api_during_an_outage_answers_a_503_problem_with_retry_after_not_the_page():
    with _needs_failing_with(REFUSED):
        response = Client().get("/api/v1/needs/")
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30" and "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "type": "urn:matchplats:problem:unavailable", "title": "Tillfälligt otillgänglig", "status": 503,
        "detail": "Vi når inte databasen just nu. Försök igen efter så många sekunder som Retry-After anger."}


def test_an_api_key_that_cannot_be_looked_up_during_an_outage_gets_the_503_problem_in_english():
    with mock.patch("matchplats.api.selectors.api_key_for_secret", side_effect=InterfaceError("connection closed")):
        response = Client(headers={"accept-language": "en", "authorization": "Bearer mp_abcd_secret"}).post(
            "/api/v1/needs/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    body = response.json()
    assert body["title"] == "Temporarily unavailable"
    assert body["detail"] == "We cannot reach the database right now. Try again after the seconds given in Retry-After."
    assert "connection" not in response.content.decode()


def test_the_503_and_500_pages_name_the_address_to_write_to_if_it_keeps_happening(settings):
    settings.CONTACT_EMAIL = "matchplats@regionvarmland.se"
    link = '<a href="mailto:matchplats@regionvarmland.se">matchplats@regionvarmland.se</a>'
    with _home_failing_with(REFUSED):
        unavailable = Client().get("/")
    with _home_failing_with(ZeroDivisionError("a bug")):
        failed = Client(raise_request_exception=False, headers={"accept-language": "en"}).get("/")
    assert unavailable.status_code == 503 and f"Om problemet kvarstår, skriv till {link}." in unavailable.content.decode()
    assert failed.status_code == 500 and f"If it keeps happening, write to {link}." in failed.content.decode()
