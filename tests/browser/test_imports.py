"""Export → import in the browser: a provider downloads its own programmes from the upload page
and uploads the file unchanged, at desktop and phone size; an employer sees a likely duplicate."""

import pytest

from tests.browser.journey import sign_in
from tests.factories import add_member, make_need, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = [(1280, 900), (390, 844)]




def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_provider_uploads_its_own_export_unchanged_and_nothing_changes(page, taxonomy, settings, tmp_path,
                                                                          width, height):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    member = add_member(provider)
    make_programme(provider, name="Undersköterska hemtjänst", actor=member)
    make_programme(provider, name="Svetsare", actor=member, ssyk4=("7212",))
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, member.email)

    page.goto("/utbildningar/import/")
    _fits(page, width)
    own_list = page.get_by_role("listitem").filter(has_text="Den nuvarande listan för Yrkeshögskolan Karlstad")
    with page.expect_download() as download:
        own_list.get_by_role("link", name="Excel").click()
    page.get_by_label("Fil (CSV i UTF-8 eller XLSX)").set_input_files(download.value.path())
    page.get_by_role("button", name="Kontrollera filen").click()

    page.get_by_role("heading", level=1, name="Kontrollera importen").wait_for()
    assert page.get_by_text("Alla 2 rader stämmer med det som är sparat: importen ändrar ingenting.").is_visible()
    _fits(page, width)
    page.get_by_role("button", name="Importera", exact=True).click()

    page.get_by_role("heading", level=1, name="Import av utbildningar").wait_for()
    assert page.get_by_text("Importen är klar: 0 nya, 0 uppdaterade, 2 oförändrade.").is_visible()
    _fits(page, width)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_an_employer_sees_a_likely_duplicate_and_its_changes_in_the_words_of_the_file(page, taxonomy, settings,
                                                                                       tmp_path, width, height):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    member = add_member(employer)
    stored = make_need(employer, title="Undersköterskor", headcount=3, actor=member)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, member.email)

    page.goto("/behov/import/")
    own_list = page.get_by_role("listitem").filter(has_text="Den nuvarande listan för Hemtjänst Karlstad AB")
    with page.expect_download() as download:
        own_list.get_by_role("link", name="CSV").click()
    header, row = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    columns = header.split(";")
    changed = row.split(";")
    changed[columns.index("Antal")] = "5"
    copy = ["", *row.split(";")[1:]]  # the same need again without its ID
    upload = tmp_path / "behov.csv"
    upload.write_text("\r\n".join([header, ";".join(changed), ";".join(copy)]), encoding="utf-8-sig")
    page.get_by_label("Fil (CSV i UTF-8 eller XLSX)").set_input_files(upload)
    page.get_by_role("button", name="Kontrollera filen").click()

    page.get_by_role("heading", level=1, name="Kontrollera importen").wait_for()
    assert page.get_by_text(f"Troligen en dubblett av Undersköterskor (ID {stored.pk})").is_visible()
    changes = page.locator("ul.changes li")
    assert " ".join(changes.inner_text().split()) == "Antal: 3 → 5"
    _fits(page, width)
