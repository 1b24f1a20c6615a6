"""An organisation's administrator creates an API key and copies it with the button beside it; the
key copied is the one shown, and it opens the API — at desktop and phone size."""

import pytest

from matchplats.organisations.models import Organisation
from tests.browser.journey import SIZES, Journey, sign_in, tab_to
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", SIZES)
def test_an_administrator_copies_a_new_api_key_with_the_keyboard(browser, live_server, taxonomy, size):
    admin = make_user("admin@omsorg-karlstad.se")
    employer = make_organisation(Organisation.Kind.EMPLOYER, admin=admin, name="Omsorg Karlstad AB")
    journey = Journey("api-keys", size)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, admin.email)
    page.goto(f"/organisationer/{employer.pk}/api-nycklar/")
    page.get_by_label("Namn").fill("Rekryteringssystemet")
    page.get_by_role("button", name="Skapa nyckel").click()
    shown = page.get_by_role("textbox", name="Nyckel", exact=True).input_value().strip()
    assert shown.startswith("mp_")

    copy = page.get_by_role("button", name="Kopiera nyckeln")
    tab_to(page, copy)
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Nyckeln är kopierad.").wait_for()
    journey.look(page, "copied")
    assert page.evaluate("navigator.clipboard.readText()") == shown

    answer = page.request.get("/api/v1/needs/", headers={"Authorization": f"Bearer {shown}"})
    assert answer.status == 200
    context.close()
