import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_is_swedish_first_and_switches_to_english(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Den regionala kompetensplattformen"
    assert page.get_by_role("link", name="Hoppa till innehållet").count() == 1
    assert page.get_by_role("main").count() == 1 and page.get_by_role("navigation").count() >= 1

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "The regional competence platform"

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"


def test_home_page_fits_a_phone_screen_without_sideways_scrolling(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
