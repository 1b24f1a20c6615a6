"""The status report's pages (reports/views.py): who may see them, the disclosure rule in the HTML
and in the PDF, and the PDF itself — it opens, holds the expected headings, and follows the data."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from employers.models import Need
from matchplats.organisations.models import Organisation
from tests.factories import add_member, admin_of, make_organisation, make_region, make_user
from tests.reports.fixtures import CARE, TEACHER, employers, need, programme

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:lan", args=["17"])
PDF = reverse("reports:lan_pdf", args=["17"])
DOCX = reverse("reports:lan_docx", args=["17"])


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(response) -> str:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = Document(io.BytesIO(response.content))
    cells = ["\t".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def folded(text: str) -> str:
    """Line breaks and runs of spaces folded, so a sentence wrapped in a PDF table cell matches."""
    return " ".join(text.split())


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
    assert f'href="{DOCX}?horizon=1-3y"' in page.content.decode()
    for url, suffix in ((PDF, '.pdf"'), (DOCX, '.docx"')):
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith('attachment; filename="lagesrapport-17-')
        assert download["Content-Disposition"].endswith(suffix)


def test_a_coordinator_of_another_county_and_staff_may_read_it(client, county):
    neighbour = make_user()
    make_region("18", coordinator=neighbour)
    for user in (neighbour, make_user(staff=True)):
        client.force_login(user)
        assert client.get(PAGE).status_code == 200
        assert client.get(PDF).status_code == 200
        assert client.get(DOCX).status_code == 200


def test_providers_employers_and_people_without_an_organisation_are_refused(client, county):
    a, _b, provider = county
    for user in (admin_of(provider), admin_of(a), add_member(provider), make_user()):
        client.force_login(user)
        for url in (PAGE, PDF, DOCX, reverse("reports:index")):
            assert client.get(url).status_code == 403, (user, url)


def test_a_visitor_is_sent_to_sign_in_and_gets_no_pdf(client, county):
    for url in (PAGE, PDF, DOCX, reverse("reports:index")):
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
    assert client.get(DOCX, {"horizon": "10y"}).status_code == 400


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


# --- the branch arenas ---------------------------------------------------------------------------------


def the_three_forms(client) -> dict[str, str]:
    """The report as page, PDF and Word file, each as folded text."""
    return {"page": folded(article(client.get(PAGE))), "pdf": folded(pdf_text(client.get(PDF))),
            "docx": folded(docx_text(client.get(DOCX)))}


def test_the_countys_coordinator_finds_the_arenas_section_in_the_page_the_pdf_and_the_word_file(client, arena_world):
    client.force_login(arena_world.coordinator)
    for form, text in the_three_forms(client).items():
        for expected in ("Branscharenor", "Aktiva branscharenor i Värmlands län", "Vård och omsorg Värmland",
                         "Besöksnäring Värmland", "Industri Värmland", "Samsyn: vad bör göras",
                         "Öppna åtgärder", "Kartlägg praktikplatser i Karlstad", "Omsorg i Karlstad AB",
                         "Öppen, försenad", "Pågår", "Skriv ansökan om YH-utbildning", "Ring Visit Värmland",
                         "Bransch: Hälso- och sjukvård", "Genomförda möten sedan"):
            assert expected in text, (form, expected)
        for absent in ("Skog Värmland", "Boka lokal till mötet", "Vård Örebro", "Offentliga beslut i andra arenor"):
            assert absent not in text, (form, absent)
    page = client.get(PAGE).content.decode()
    assert "<h2>Branscharenor</h2>" in page and "<h3>Vård och omsorg Värmland</h3>" in page


def test_readers_outside_the_arenas_learn_only_public_decisions_from_any_form_of_the_report(client, arena_world):
    world = arena_world
    members_only = ("Budgeten 2027", "Leaderstöd", "omställningsplan", "Skogens interna beslut", "Kartlägg",
                    "YH-utbildning", "Ring Visit Värmland", "kompetensplan", "Industri Värmland", "Skog Värmland",
                    "Samsyn", "Öppna åtgärder", "försenad", "Genomförda möten", "Hälso- och sjukvård")
    for reader in (world.stranger, world.staff):
        client.force_login(reader)
        for form, text in the_three_forms(client).items():
            for secret in members_only:
                assert secret not in text, (reader, form, secret)
            assert "Du deltar inte i någon aktiv branscharena i Värmlands län." in text, (reader, form)
            assert "Offentliga beslut i andra arenor" in text, (reader, form)
            for public in ("Turistvägen skyltas om", "Komvux bjuds in till nästa möte"):
                assert public in text, (reader, form, public)


def test_a_member_from_another_county_reads_their_arena_in_full_and_only_public_decisions_of_the_rest(
        client, arena_world):
    client.force_login(arena_world.neighbour)
    for form, text in the_three_forms(client).items():
        assert "Kartlägg praktikplatser i Karlstad" in text and "Samsyn: vad bör göras" in text, form
        assert "Offentliga beslut i andra arenor" in text and "Turistvägen skyltas om" in text, form
        for secret in ("Leaderstöd", "Ring Visit Värmland", "Industri Värmland", "kompetensplan"):
            assert secret not in text, (form, secret)
