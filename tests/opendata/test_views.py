from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest

from matchplats.core import terms
from matchplats.organisations.models import Organisation
from opendata.dictionary import COLUMNS, FILE_STEMS
from opendata.models import OpenDataSnapshot
from opendata.services import open_data_publish_month
from tests.factories import make_need, make_organisation, make_user
from tests.opendata.conftest import PUBLIC_IN_MONTH

pytestmark = pytest.mark.django_db
Kind = OpenDataSnapshot.Kind


@pytest.fixture
def published(month, decisions):
    make_need(make_organisation(Organisation.Kind.EMPLOYER, name="Öppna AB"), visibility="public", headcount=3)
    make_need(make_organisation(Organisation.Kind.EMPLOYER, name="Dolda AB"), visibility="aggregated", headcount=17)
    open_data_publish_month(month=month.month, today=month.today, lans=[month.lan])
    return month


def _url(month, stem: str, file_format: str, lan_code: str = "17") -> str:
    return f"/oppna-data/{lan_code}/{month.label}/{stem}.{file_format}"


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_anonymous_visitors_read_the_index_the_county_page_and_the_dictionary(client, published):
    index = client.get("/oppna-data/")
    assert index.status_code == 200
    assert f'href="/oppna-data/17/#m-{published.label}"' in index.content.decode()
    assert terms.OPEN_DATA_LICENCE_URL in index.content.decode()
    page = client.get("/oppna-data/17/").content.decode()
    for stem in FILE_STEMS.values():
        for file_format in ("csv", "json"):
            assert f'href="{_url(published, stem, file_format)}"' in page
    assert published.today.isoformat() in page
    assert client.get("/oppna-data/dataordlista/").status_code == 200


def test_the_csv_file_has_a_stable_url_semicolons_a_bom_and_the_checksum_shown(client, published):
    response = client.get(_url(published, "efterfragan-och-utbud", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="efterfragan-och-utbud-17-{published.label}.csv"')
    rows = _csv(response)
    assert rows[0] == [c.key for c in COLUMNS[Kind.DEMAND_SUPPLY]]
    care = next(r for r in rows[1:] if r[6] == "5321" and r[3] == "1-3y")
    record = dict(zip(rows[0], care))
    assert (record["demand"], record["demand_suppressed"], record["month"]) == ("3", "true", published.label)
    snapshot = OpenDataSnapshot.objects.get(kind=Kind.DEMAND_SUPPLY)
    assert hashlib.sha256(response.content).hexdigest() == snapshot.checksum
    assert response["ETag"] == f'"{snapshot.checksum}"'
    assert "Last-Modified" in response
    assert client.get(_url(published, "efterfragan-och-utbud", "csv")).content == response.content


def test_a_text_that_starts_like_a_formula_is_neutralised_in_the_csv(client, published):
    rows = _csv(client.get(_url(published, "beslut", "csv")))
    assert rows[1][4] == "'" + PUBLIC_IN_MONTH
    decisions = json.loads(client.get(_url(published, "beslut", "json")).content)
    assert decisions["rows"][0]["decision"] == PUBLIC_IN_MONTH


def test_the_json_file_carries_metadata_licence_sources_and_the_rows(client, published):
    response = client.get(_url(published, "efterfragan-och-utbud", "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline; filename=")
    document = json.loads(response.content)
    assert (document["lan"]["code"], document["month"], document["as_of"]) == (
        "17", published.label, published.today.isoformat())
    assert document["licence"]["spdx"] == "CC-BY-4.0"
    assert document["dictionary"] == "http://testserver/oppna-data/dataordlista/"
    assert any("Arbetsförmedlingen" in source["name"] for source in document["sources"])
    assert document["row_count"] == len(document["rows"])
    assert document["csv"]["sha256"] == OpenDataSnapshot.objects.get(kind=Kind.DEMAND_SUPPLY).checksum
    assert all(list(row) == document["columns"] for row in document["rows"])
    assert not any(row["demand"] in (17, 20) for row in document["rows"])


def test_the_dictionary_lists_exactly_the_columns_of_every_file(client, published):
    page = client.get("/oppna-data/dataordlista/").content.decode()
    for kind, stem in FILE_STEMS.items():
        listed = re.findall(rf'<tr id="{stem}-([a-z0-9_]+)">', page)
        in_csv = _csv(client.get(_url(published, stem, "csv")))[0]
        in_json = json.loads(client.get(_url(published, stem, "json")).content)
        assert listed == in_csv == in_json["columns"], kind
        assert all(set(row) == set(listed) for row in in_json["rows"])
        assert in_json["rows"], kind


def test_a_repeated_request_with_the_etag_gets_not_modified(client, published):
    url = _url(published, "efterfragan-och-utbud", "json")
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize("url", [
    "/oppna-data/99/",
    "/oppna-data/99/{month}/efterfragan-och-utbud.csv",
    "/oppna-data/17/2026-13/efterfragan-och-utbud.csv",
    "/oppna-data/17/2026-1/beslut.json",
    "/oppna-data/17/november/beslut.csv",
    "/oppna-data/17/2001-01/efterfragan-och-utbud.json",
    "/oppna-data/18/{month}/beslut.json",
    "/oppna-data/17/{month}/efterfragan-och-utbud.xlsx",
])
def test_an_unknown_county_month_or_file_is_not_found(client, published, url):
    assert client.get(url.format(month=published.label)).status_code == 404


def test_signed_in_people_get_the_same_files_as_visitors(client, published):
    url = _url(published, "efterfragan-och-utbud", "csv")
    anonymous = client.get(url).content
    client.force_login(make_user(staff=True))
    assert client.get(url).content == anonymous


def test_the_footer_and_the_regional_report_link_to_open_data(client, published, decisions):
    assert 'href="/oppna-data/"' in client.get("/villkor/").content.decode()
    client.force_login(decisions.created_by)
    assert 'href="/oppna-data/17/"' in client.get("/rapporter/lan/17/").content.decode()


def test_the_county_page_names_the_files_in_the_language_of_the_page(client, published):
    swedish = client.get("/oppna-data/17/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = client.get("/oppna-data/17/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Efterfrågan och utbud per yrke och horisont</td>" in swedish
    assert "<td>Demand and supply per occupation and horizon</td>" in english
    assert "<td>Public decisions of the branch arenas</td>" in english and "Branscharenornas" not in english


SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                  "november", "december"]


def test_the_months_are_named_in_words_in_the_language_of_the_page_and_linked_by_number(client, published):
    month = published.month
    swedish_name, english_name = f"{SWEDISH_MONTHS[month.month - 1]} {month.year}", f"{month:%B %Y}"
    swedish = client.get("/oppna-data/17/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = client.get("/oppna-data/17/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<h2 id="m-{published.label}">{swedish_name}</h2>' in swedish
    assert f'<h2 id="m-{published.label}">{english_name}</h2>' in english
    index = client.get("/oppna-data/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'<a href="/oppna-data/17/#m-{published.label}">{swedish_name}</a>' in index


def test_the_dictionary_gives_its_swedish_name_beside_the_english_one_only(client, published):
    swedish = client.get("/oppna-data/dataordlista/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    english = client.get("/oppna-data/dataordlista/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Dataordlista</h1>" in swedish
    assert '<h1>Data dictionary <span lang="sv">(dataordlista)</span></h1>' in english


def test_a_long_column_name_in_the_dictionary_may_wrap_only_after_an_underscore(client, published):
    page = client.get("/oppna-data/dataordlista/").content.decode()
    assert '<code class="column-key">language_<wbr>integrated_<wbr>welcome</code>' in page
    assert '<code class="column-key">month</code>' in page
