"""Lists and the menu on a phone (390 px) and a desktop (1280 px): no page scrolls sideways, rows
become cards, the menu folds behind a button; screenshots go to test-results/lists/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journey import sign_in
from tests.factories import add_member, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results/lists")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}




@pytest.fixture
def signed_in_employer(page, taxonomy):
    employer = make_organisation("employer", name="Hemtjänst och hemsjukvård i Västra Värmland AB")
    member = add_member(employer, make_user("en.mycket.lang.adress.till.personalchefen@hemtjanst-varmland.example.se"),
                        role="admin")
    add_member(employer, make_user("kollega.med.annu.langre.adress@hemtjanst-och-hemsjukvard.example.se"))
    for i in range(30):
        make_need(employer, title=f"Undersköterskor till hemtjänsten i Arvika, grupp {i + 1}", headcount=i + 1)
    provider = make_organisation("provider", name="Yrkeshögskolan i Karlstad")
    make_programme(provider, name="Specialistundersköterska inom äldreomsorg och demensvård")
    sign_in(page, member.email)
    return employer


def _fits(page, path: str, name: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path} is {scroll} px wide on a {width} px screen"


def test_no_list_page_scrolls_sideways_on_a_phone_or_a_desktop(page, signed_in_employer):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        _fits(page, "/behov/", "needs")
        _fits(page, "/behov/?q=underskoterska&mina=on", "needs-search")
        _fits(page, "/utbildningar/", "programmes")
        _fits(page, "/utbildningar/valideringar/", "validation")
        _fits(page, "/organisationer/", "organisations")
        _fits(page, f"/organisationer/{signed_in_employer.pk}/", "organisation")


def test_need_rows_are_cards_with_labelled_cells_on_a_phone(page, signed_in_employer):
    page.set_viewport_size(PHONE)
    page.goto("/behov/")
    row = page.locator("table.stack tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    place = row.locator("td[data-label=Ort]")
    assert place.evaluate("td => getComputedStyle(td, '::before').content") == '"Ort: "'
    assert page.locator("table.stack thead").bounding_box()["height"] <= 1
    page.get_by_role("link", name="Nästa").click()
    assert "Visar 26–30 av de 30 behov som du får se." in page.locator(".totals").inner_text()


def test_the_menu_folds_behind_a_button_on_a_phone_and_stays_open_on_a_desktop(page, signed_in_employer):
    page.set_viewport_size(PHONE)
    page.goto("/behov/")
    toggle = page.get_by_role("button", name="Meny")
    menu_link = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Utbildningar")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and menu_link.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "menu-open-390.png"))
    page.keyboard.press("Escape")
    assert not menu_link.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")

    page.set_viewport_size(DESKTOP)
    expect(toggle).to_be_hidden()
    expect(menu_link).to_be_visible()
