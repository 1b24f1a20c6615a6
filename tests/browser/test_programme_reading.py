"""A provider whose imported programme names no target occupations sees, on the programme's page,
how the matching reads it, confirms the reading, and finds it in the programme's history — at
phone and desktop size, in Swedish and English. A visitor sees the reading without the form."""

import pytest

from providers.models import Programme
from tests.browser.journey import SIZES, Journey, sign_in
from tests.factories import add_member, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", SIZES)
def test_a_provider_confirms_how_the_matching_reads_an_imported_programme(
        browser, live_server, taxonomy, platform_matcher, size):
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    member = add_member(provider)
    programme = make_programme(provider, name="Undersköterska inom äldreomsorg", ssyk4=())
    make_programme(provider, name="Vårdbiträde", ssyk4=())
    journey = Journey("programme-reading", size)

    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    page = context.new_page()
    page.goto(f"/utbildningar/{programme.pk}/")
    reading = page.locator(".programme-reading")
    reading.get_by_text("Inga målyrken angivna. Matchningen tolkar utbildningen som:").wait_for()
    assert reading.locator("form").count() == 0 and "SSYK 5321" in reading.inner_text()
    journey.look(page, "visitor")

    sign_in(page, member.email)
    page.goto("/utbildningar/")
    assert page.get_by_text("2 av era organisationers utbildningar anger inga målyrken").is_visible()
    journey.look(page, "list")
    page.get_by_role("link", name="Visa dem").click()
    page.get_by_text("2 utbildningar matchar.").wait_for()
    page.goto(f"/utbildningar/{programme.pk}/")
    reading.get_by_role("button", name="Bekräfta de valda som målyrken").wait_for()
    journey.look(page, "reading")
    reading.get_by_role("checkbox", name="SSYK 5321", exact=False).check()
    reading.get_by_role("button", name="Bekräfta de valda som målyrken").click()
    page.get_by_text("Målyrkena sparades.").wait_for()
    assert list(Programme.objects.get(pk=programme.pk).target_occupations.values_list("code", flat=True)) == ["5321"]
    assert page.locator(".programme-reading").count() == 0
    assert "lade till Undersköterskor, hemtjänst" in page.locator("ol.events").inner_text()
    journey.look(page, "confirmed")

    other = Programme.objects.get(name="Vårdbiträde")
    page.goto(f"/utbildningar/{other.pk}/")
    if size == "phone":
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("button", name="English").click()
    page.get_by_text("No target occupations are given. The matching reads the programme as:").wait_for()
    Journey("programme-reading", size, language="en", shots=journey.shots).look(page, "reading")
    context.close()
