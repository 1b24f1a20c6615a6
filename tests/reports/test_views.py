"""The status report's pages (reports/views.py): who may see them, the disclosure rule in the HTML
and in the PDF, and the PDF itself — it opens, holds the expected headings, and follows the data."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from employers.models import Need
from matchplats.organisations.models import Organisation
from tests.factories import add_member, admin_of, make_organisation, make_region, make_user
from tests.reports.fixtures import CARE, TEACHER, employers, need, programme

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:lan", args=["17"])
PDF = reverse("reports:lan_pdf", args=["17"])


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def article(response) -> str:
    """The report itself, without the page around it (whose tokens could hold any digits)."""
    html = response.content.decode()
    return html[html.index("<article"):html.index("</article>")]


@pytest.fixture
def coordinator(taxonomy):
    user = make_user()
    make_region("17", coordinator=user)
    return user


@pytest.fixture
def county(taxonomy):
    today = timezone.localdate()
    a, b = employers(2)
    need(a, today=today, ssyk4=CARE, headcount=4)
    need(b, today=today, ssyk4=TEACHER, headcount=3)
    provider = make_organisation(Organisation.Kind.PROVIDER, name="Yrkeshögskolan Karlstad")
    programme(provider, today=today, ssyk4=(CARE,), places=10)
    return a, b, provider


# --- who may see it ---------------------------------------------------------------------------------


def test_the_countys_coordinator_sees_the_report_and_downloads_the_pdf(client, coordinator, county):
    client.force_login(coordinator)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Lägesrapport Värmlands län" in page.content.decode()
    assert f'href="{PDF}?horizon=1-3y"' in page.content.decode()
    download = client.get(PDF)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="lagesrapport-17-')
    assert download["Content-Disposition"].endswith('.pdf"')


def test_a_coordinator_of_another_county_and_staff_may_read_it(client, county):
    neighbour = make_user()
    make_region("18", coordinator=neighbour)
    for user in (neighbour, make_user(staff=True)):
        client.force_login(user)
        assert client.get(PAGE).status_code == 200
        assert client.get(PDF).status_code == 200


def test_providers_employers_and_people_without_an_organisation_are_refused(client, county):
    a, _b, provider = county
    for user in (admin_of(provider), admin_of(a), add_member(provider), make_user()):
        client.force_login(user)
        for url in (PAGE, PDF, reverse("reports:index")):
            assert client.get(url).status_code == 403, (user, url)


def test_a_visitor_is_sent_to_sign_in_and_gets_no_pdf(client, county):
    for url in (PAGE, PDF, reverse("reports:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_menu_and_the_start_page_link_the_report_only_for_those_who_may_see_it(client, coordinator, county):
    client.force_login(coordinator)
    home = client.get("/").content.decode()
    assert f'href="{PAGE}"' in home and f'href="{reverse("reports:index")}"' in home
    _a, _b, provider = county
    client.force_login(admin_of(provider))
    home = client.get("/").content.decode()
    assert reverse("reports:index") not in home and PAGE not in home


def test_the_index_lists_the_coordinators_county_first_and_every_other(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:index")).content.decode()
    assert html.index(f'href="{PAGE}"') < html.index(f'href="{reverse("reports:lan", args=["18"])}"')


def test_an_unknown_county_is_404_and_an_unknown_horizon_400(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("reports:lan", args=["99"])).status_code == 404
    assert client.get(reverse("reports:lan_pdf", args=["99"])).status_code == 404
    assert client.get(PAGE, {"horizon": "10y"}).status_code == 400
    assert client.get(PDF, {"horizon": "10y"}).status_code == 400


# --- disclosure ---------------------------------------------------------------------------------------


def test_a_hidden_need_from_one_employer_shows_as_no_number_in_the_page_or_the_pdf(client, coordinator, county):
    (hidden_employer,) = employers(1, prefix="Dold")
    need(hidden_employer, today=timezone.localdate(), ssyk4=CARE, headcount=917, visibility="aggregated",
         validation_accepted=True)
    client.force_login(coordinator)
    page, text = article(client.get(PAGE)), pdf_text(client.get(PDF))
    for shown in (page, text):
        assert "917" not in shown and "921" not in shown and "924" not in shown  # alone, plus care, plus all
        assert "färre än 3 arbetsgivare" in shown
        assert "Dold" not in shown
    client.force_login(admin_of(hidden_employer))  # the owner may not see the report at all
    assert client.get(PDF).status_code == 403


# --- the PDF ------------------------------------------------------------------------------------------


def test_the_pdf_opens_and_holds_the_title_county_and_section_headings(client, coordinator, county):
    client.force_login(coordinator)
    text = pdf_text(client.get(PDF))
    for heading in ("Lägesrapport Värmlands län", "Sammanfattning", "Efterfrågan och utbud per yrkesområde",
                    "Största gapen", "Bristyrken (Yrkesbarometern)", "Öppet för validering och språkintegrerad utbildning",
                    "Om siffrorna", "Källa: Arbetsförmedlingen"):
        assert heading in text, heading


def test_a_head_count_changed_in_the_data_changes_in_the_pdf(client, coordinator, county):
    a, _b, _provider = county
    changed = need(a, today=timezone.localdate(), ssyk4="7223", headcount=123)
    client.force_login(coordinator)
    assert "123" in pdf_text(client.get(PDF))
    Need.objects.filter(pk=changed.pk).update(headcount=456)
    text = pdf_text(client.get(PDF))
    assert "456" in text and "123" not in text


def test_the_pdf_follows_the_horizon_of_the_page(client, coordinator, county):
    a, _b, _provider = county
    need(a, today=timezone.localdate(), ssyk4="7223", headcount=345, months_ahead=30)
    client.force_login(coordinator)
    assert "345" in pdf_text(client.get(PDF, {"horizon": "1-3y"}))
    assert "345" not in pdf_text(client.get(PDF, {"horizon": "1y"}))
