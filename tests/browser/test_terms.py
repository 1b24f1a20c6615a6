"""An administrator whose organisation has not accepted the terms of use in force is reminded on the
start page, follows the link and accepts them with the keyboard alone; the notice is gone and the
history says so — at desktop and phone size, and the organisation's page in English too."""

import pytest

from matchplats.core.terms import TERMS_VERSION
from matchplats.organisations.models import Organisation
from tests.browser.journey import SIZES, Journey, sign_in, tab_to
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", SIZES)
def test_an_administrator_accepts_changed_terms_from_the_start_page_with_the_keyboard(browser, live_server,
                                                                                     taxonomy, size):
    admin = make_user("admin@omsorg-karlstad.se")
    employer = make_organisation(Organisation.Kind.EMPLOYER, admin=admin, name="Omsorg Karlstad AB")
    Organisation.objects.filter(pk=employer.pk).update(accepted_terms_version="2025-01-01")
    journey = Journey("terms", size)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, admin.email)
    reminder = page.get_by_role("status").filter(has_text="Användarvillkoren har ändrats")
    reminder.wait_for()
    journey.look(page, "start")
    reminder.get_by_role("link", name="Omsorg Karlstad AB").click()
    page.get_by_role("heading", level=2, name="Nya användarvillkor").wait_for()
    journey.look(page, "organisation")

    box = page.get_by_label("Jag har läst användarvillkoren och godkänner dem för Omsorg Karlstad AB")
    tab_to(page, box)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Godkänn villkoren"))
    page.keyboard.press("Enter")
    page.get_by_text("Användarvillkoren godkändes för Omsorg Karlstad AB.").wait_for()
    assert page.get_by_role("heading", name="Nya användarvillkor").count() == 0
    assert page.get_by_text("Användarvillkoren godkända").first.is_visible()  # in the history
    journey.look(page, "accepted")
    assert Organisation.objects.get(pk=employer.pk).accepted_terms_version == TERMS_VERSION

    Organisation.objects.filter(pk=employer.pk).update(accepted_terms_version="")
    if size == "phone":
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=2, name="New terms of use").wait_for()
    assert page.get_by_label("I have read the terms of use and accept them for Omsorg Karlstad AB").is_visible()
    Journey("terms", size, language="en", shots=journey.shots).look(page, "organisation")
    context.close()
