"""Copy buttons: an organisation's administrator copies a new API key, and it opens the API; a host
copies a session's invite link, and it opens the join page — at desktop and phone size."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from dialogues import services
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.browser.journey import SIZES, Journey, sign_in, tab_to
from tests.factories import make_organisation, make_region, make_user

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


@pytest.mark.parametrize("size", SIZES)
def test_a_host_copies_the_invite_link_of_a_session(browser, live_server, taxonomy, size):
    coordinator = make_user("samordnare@region.se")
    make_region("17", coordinator=coordinator)
    arena = services.arena_create(actor=coordinator, name="Vårdrådet", lan=Lan.objects.get(code="17"),
                                  ssyk_groups=[SsykGroup.objects.get(code="5321")])
    session = services.session_create(actor=coordinator, arena=arena, title="Höstmöte",
                                      starts_at=timezone.now() + dt.timedelta(days=7),
                                      ends_at=timezone.now() + dt.timedelta(days=7, hours=2), agenda=["Läget"])
    journey = Journey("copy-invite-link", size, language="en")
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, coordinator.email)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"/arenor/moten/{session.pk}/")
    page.get_by_role("button", name="Copy the link").click()
    page.get_by_role("status").filter(has_text="The link is copied.").wait_for()
    journey.look(page, "copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/arenor/delta/{session.invite_token}/"
    assert page.goto(copied).ok and "Höstmöte" in page.title()
    context.close()
