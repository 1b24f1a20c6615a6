"""The programme form in a browser: searchable pickers used by keyboard alone, any number of intakes."""

from pathlib import Path

import pytest

from providers.models import Programme
from tests.browser.journey import sign_in
from tests.factories import admin_of, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "forms"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_provider_picks_occupations_and_kommuner_by_keyboard_and_adds_intakes(page, taxonomy, width):
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    programme = make_programme(provider, name="Undersköterska hemtjänst")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, admin_of(provider).email)
    page.goto(f"/utbildningar/{programme.pk}/andra/")

    assert page.locator("select#id_kommuner").is_hidden()
    occupations = page.get_by_role("combobox", name="Målyrken (SSYK)")
    occupations.fill("8332")
    page.get_by_role("option", name="8332 Lastbilsförare m.fl.").wait_for()
    occupations.press("Enter")
    kommuner = page.get_by_role("combobox", name="Kommuner")
    kommuner.fill("kiru")
    kommuner.press("ArrowDown")
    kommuner.press("Enter")
    assert page.get_by_role("button", name="Ta bort Kiruna (Norrbottens län)").is_visible()
    page.get_by_role("button", name="Ta bort Karlstad (Värmlands län)").click()

    page.get_by_role("button", name="Lägg till en utbildningsstart").click()
    page.locator("#id_intakes-1-start_date").fill("2028-01-15")
    page.locator("#id_intakes-1-places").fill("20")
    page.locator("#id_intakes-2-start_date").fill("2028-08-20")
    page.locator("#id_intakes-2-places").fill("18")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"programme-form-{width}.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/utbildningar/{programme.pk}/")

    programme = Programme.objects.get()
    assert sorted(g.code for g in programme.target_occupations.all()) == ["5321", "8332"]
    assert [k.label for k in programme.kommuner.all()] == ["Kiruna"]
    assert [i.places for i in programme.intakes.order_by("start_date")] == [25, 20, 18]


def test_the_need_text_gives_a_short_title_and_leaves_an_unread_time_for_the_employer(page, taxonomy,
                                                                                       platform_matcher):
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    sign_in(page, admin_of(employer).email)
    page.goto("/behov/nytt/")
    assert page.get_by_label("Inom 1 år").is_checked()
    page.get_by_label("Beskriv behovet med egna ord").fill(
        "Vi behöver 12 undersköterskor till hemtjänsten i Karlstad om ett par år")
    page.get_by_text("Vi kunde inte avgöra när ”om ett par år” är").wait_for()
    page.get_by_role("button", name="Fyll i formuläret med dessa").click()
    assert page.get_by_role("textbox", name="Titel").input_value() == "Undersköterskor till hemtjänsten i Karlstad"
    assert page.get_by_role("spinbutton", name="Hur många personer").input_value() == "12"
    assert not page.locator('input[name="horizon"]:checked').count()
