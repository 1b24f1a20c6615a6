"""Journey 2: a YH organiser imports its programmes from MYH's list of decisions through the upload
page (preview, then commit), opens the competence needs matching one of them, then exports its
programmes and uploads the export unchanged — at desktop and phone size."""

import csv

import pytest
from django.conf import settings as django_settings

from providers.importing import MYH_COLUMNS
from providers.models import Programme
from tests.browser.journey import SIZES, Journey, sign_in
from tests.factories import add_member, make_need, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)
PROVIDER = "Karlstads kommun, Yrkeshögskolan"


def myh_file(path):
    """The provider's own rows of MYH's real list of decisions, application rounds 2023–2025."""
    with open(django_settings.TAXONOMY_DATA_DIR / "yh" / "applications_2018_2025.csv", encoding="utf-8-sig") as source:
        rows = [row for row in csv.DictReader(source) if row["anordnare"] == PROVIDER
                and row["beslut"].startswith("bevilj") and row["ansokningsomgang"] >= "2023"]
    with open(path, "w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=MYH_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


@pytest.mark.parametrize("size", SIZES)
def test_a_yh_organiser_imports_its_myh_decisions_finds_needs_and_round_trips_its_export(
        browser, live_server, taxonomy, platform_matcher, settings, tmp_path, size):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    employer = make_organisation("employer", name="Barnhälsan Karlstad AB")
    make_need(employer, title="Undersköterskor till barn med funktionsnedsättning", headcount=8, kommun_code="1780")
    provider = make_organisation("provider", name=PROVIDER)
    member = add_member(provider)
    rows = myh_file(tmp_path / "myh-beslut.csv")
    journey = Journey("provider", size)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, member.email)
    journey.look(page, "start")

    page.goto("/utbildningar/import/")
    journey.look(page, "upload")
    page.get_by_label("Fil (CSV i UTF-8 eller XLSX)").set_input_files(tmp_path / "myh-beslut.csv")
    page.get_by_role("button", name="Kontrollera filen").click()
    page.get_by_role("heading", level=1, name="Kontrollera importen").wait_for()
    journey.look(page, "preview")
    assert not Programme.objects.filter(provider=provider).exists()
    page.get_by_role("button", name="Importera", exact=True).click()
    page.get_by_role("heading", level=1, name="Import av utbildningar").wait_for()
    page.get_by_text(f"Importen är klar: {rows} nya, 0 uppdaterade, 0 oförändrade.").wait_for()
    journey.look(page, "imported")
    assert Programme.objects.filter(provider=provider).count() == rows

    page.goto("/utbildningar/?mina=1")
    page.get_by_role("link", name="Barnspecialiserad undersköterska").click()
    page.get_by_role("heading", level=1, name="Barnspecialiserad undersköterska").wait_for()
    journey.look(page, "programme")
    page.get_by_role("link", name="Se matchande kompetensbehov").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_text("Undersköterskor till barn med funktionsnedsättning").first.is_visible()
    journey.look(page, "matching-needs")

    page.goto("/utbildningar/import/")
    own_list = page.get_by_role("listitem").filter(has_text=f"Den nuvarande listan för {PROVIDER}")
    with page.expect_download() as download:
        own_list.get_by_role("link", name="Excel").click()
    page.get_by_label("Fil (CSV i UTF-8 eller XLSX)").set_input_files(download.value.path())
    page.get_by_role("button", name="Kontrollera filen").click()
    page.get_by_text(f"Alla {rows} rader stämmer med det som är sparat: importen ändrar ingenting.").wait_for()
    journey.look(page, "reimport-preview")
    page.get_by_role("button", name="Importera", exact=True).click()
    page.get_by_text(f"Importen är klar: 0 nya, 0 uppdaterade, {rows} oförändrade.").wait_for()
    assert Programme.objects.filter(provider=provider).count() == rows
    context.close()
