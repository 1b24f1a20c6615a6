import pytest

from matching.models import MatchFeedback
from tests.browser.journey import sign_in
from tests.factories import admin_of, make_need, make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_employer_sees_why_a_programme_matches_and_judges_it(page, platform_matcher):
    employer = make_organisation("employer", name="Hemtjänst Karlstad AB")
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    need = make_need(employer, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    programme = make_programme(provider, name="Undersköterska hemtjänst", kommun_code="1780")
    sign_in(page, admin_of(employer).email)

    page.goto(f"/behov/{need.pk}/")
    page.get_by_role("link", name="Se matchande utbildningar och valideringsvägar").click()
    card = page.locator(".match").filter(has_text="Undersköterska hemtjänst")
    card.get_by_text("Samma yrkesområde").wait_for()
    card.get_by_role("button", name="Relevant", exact=True).click()

    page.get_by_text("Tack! Matchningen lär sig").wait_for()
    feedback = MatchFeedback.objects.get()
    assert (feedback.need, feedback.programme, feedback.relevant) == (need, programme, True)
    assert page.locator(".match").filter(has_text="Undersköterska hemtjänst").get_by_role(
        "button", name="Relevant", exact=True).get_attribute("aria-pressed") == "true"
