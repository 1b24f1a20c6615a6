"""No page scrolls sideways on a 390 px phone: every GET route of the platform over the Region
Värmland demo, as the people who use it (the admin's own pages aside). Screenshots of pages that
overflow go to test-results/phone-width/ to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD
from tests.matchplats.test_get_routes import _patterns, _url, demo  # noqa: F401  (``demo`` is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results/phone-width")
SKIPPED_PREFIXES = ("/admin/", "/konto/", "/i18n/", "/healthz")
"""Django's admin is staff's own tool; allauth's pages are slice A's; the others are not pages."""


def _sign_in(page, email):
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


def test_no_page_is_wider_than_a_390_px_phone(browser, live_server, demo):  # noqa: F811
    from django.contrib.auth import get_user_model

    urls = sorted({url for route, _ in _patterns() if (url := _url(route, demo["values"]))})
    urls = [url for url in urls if not url.startswith(SKIPPED_PREFIXES)
            and not re.search(r"\.(csv|xlsx|pdf|docx)$|/export|/ladda-ner|/mall", url)]
    too_wide, checked = {}, {}
    for who in ("employer", "provider", "coordinator"):
        user = get_user_model().objects.get(pk=demo["people"][who].pk)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        context = browser.new_context(locale="sv-SE", base_url=live_server.url,
                                      viewport={"width": 390, "height": 844})
        page = context.new_page()
        _sign_in(page, user.email)
        checked[who] = 0
        for url in urls:
            try:
                response = page.goto(url)
            except PlaywrightError:  # a POST-only route answers 405 with no page
                continue
            if response is None or response.status != 200 or "text/html" not in response.headers.get(
                    "content-type", ""):
                continue
            checked[who] += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide[who, url] = width
                SHOTS.mkdir(parents=True, exist_ok=True)
                name = url.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(SHOTS / f"{who}-{name}.png"), full_page=True)
        context.close()
    assert min(checked.values()) > 15 and not too_wide, (checked, too_wide)
