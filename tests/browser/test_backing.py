import pytest

from providers.models import ProgrammeBacking
from tests.browser.journey import sign_in
from tests.factories import admin_of, make_need, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_employer_backs_a_planned_programme_from_its_match_card_and_the_provider_sees_it(page, browser,
                                                                                           live_server,
                                                                                           platform_matcher):
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    need = make_need(employer, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    programme = make_programme(provider, name="Undersköterska hemtjänst", kommun_code="1780")
    sign_in(page, admin_of(employer).email)

    page.goto(f"/matchningar/behov/{need.pk}/")
    card = page.locator(".match").filter(has_text="Undersköterska hemtjänst")
    card.get_by_role("link", name="Ställ er bakom utbildningen").click()
    page.get_by_label("Erbjudna LIA-platser").fill("4")
    page.get_by_label("Underteckna en avsiktsförklaring").check()
    page.get_by_label("Undertecknad av").fill("Åsa Öberg")
    page.get_by_label("Undertecknarens roll").fill("Enhetschef")
    page.get_by_label("Datum för underskrift").fill("2026-11-02")
    page.get_by_label("Avsiktsförklaringens text").fill("Vi tar emot studerande för LIA.")
    page.get_by_role("button", name="Spara stödet").click()

    page.get_by_text("Ert stöd för utbildningen har sparats.").wait_for()
    assert f"/matchningar/behov/{need.pk}/" in page.url
    backing = ProgrammeBacking.objects.get()
    assert (backing.programme, backing.employer, backing.lia_places) == (programme, employer, 4)

    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    provider_page = context.new_page()
    sign_in(provider_page, admin_of(provider).email)
    provider_page.goto(f"/utbildningar/{programme.pk}/")
    table = provider_page.locator("table.backers")
    assert "Hemtjänst Karlstad AB" in table.inner_text() and "Åsa Öberg" in table.inner_text()
    context.close()
