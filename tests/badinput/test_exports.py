"""The CSV/XLSX exports of the need and programme lists refuse malformed filters and ids with
400 instead of failing in the database (found by the bad-input query-string tests)."""

import pytest
from django.urls import reverse

from tests.factories import admin_of

pytestmark = pytest.mark.django_db

BAD_VALUES = ["\x00", "a\x00b", "²", "99999999999999999999999", "-1", "١٢"]


@pytest.mark.parametrize("export", ["employers:export", "providers:export"])
@pytest.mark.parametrize("name", ["q", "organisation", "ssyk", "kommun", "lan", "status", "sida"])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_an_export_answers_a_malformed_filter_or_id_with_400_not_a_server_error(client, employer_a, provider_a,
                                                                               export, name, value):
    client.raise_request_exception = False
    client.force_login(admin_of(employer_a))
    response = client.get(reverse(export, args=["csv"]), {name: value})
    assert response.status_code in (200, 400), (name, value, response.status_code)
