"""Every page of the platform, as the people who use it meet it on a 390 px phone: every GET
route over the Region Värmland demo (Django's admin, staff's own tool, aside), for a visitor, an
employer, a provider and a coordinator. No page scrolls sideways, on the phone nor in the windows
between a phone and a desktop (700, 900 and 1 100 px wide), every page names its language and
has a title, and axe-core finds no serious or critical violation. Screenshots of failing pages go to
test-results/every-page/ to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.journey import IN_BETWEEN, SIZES, axe_violations, sideways_overflow, sign_in
from tests.factories import PASSWORD
from tests.matchplats.test_get_routes import _patterns, _url, demo  # noqa: F401  (``demo`` is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results/every-page")
SKIPPED_PREFIXES = ("/admin/", "/api/docs/", "/i18n/", "/healthz", "/konto/logout/")
"""Django's admin is staff's own tool, and the interactive API documentation is Swagger UI's, a
developers' tool whose shortcomings the accessibility statement names (docs/api.md is the
accessible reference); the language switch and the health check are not pages; signing out would
end the round."""
DOWNLOADS = re.compile(r"\.(csv|xlsx|pdf|docx)$|/export|/ladda-ner|/mall")


def _shoot(page, who: str, url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = url.strip("/").replace("/", "_") or "home"
    page.screenshot(path=str(SHOTS / f"{who}-{name}.png"), full_page=True)


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(browser, live_server, demo):  # noqa: F811
    from django.contrib.auth import get_user_model

    urls = sorted({url for route, _ in _patterns() if (url := _url(route, demo["values"]))})
    urls = [url for url in urls if not url.startswith(SKIPPED_PREFIXES) and not DOWNLOADS.search(url)]
    problems, checked = {}, {}
    for who in ("anonymous", "employer", "provider", "coordinator"):
        context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=SIZES["phone"])
        page = context.new_page()
        if demo["people"][who] is not None:
            user = get_user_model().objects.get(pk=demo["people"][who].pk)
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            sign_in(page, user.email)
        checked[who] = 0
        for url in urls:
            try:
                response = page.goto(url)
            except PlaywrightError:  # a POST-only route answers 405 with no page
                # Chromium then shows its own error page, whose navigation would interrupt the next
                # goto: go on in a fresh tab of the same context.
                page.close()
                page = context.new_page()
                continue
            if response is None or response.status != 200 or "text/html" not in response.headers.get(
                    "content-type", ""):
                continue
            if not page.evaluate("document.doctype !== null"):
                continue  # a fragment that a picker or the need text loads into a page, not a page
            checked[who] += 1
            found = []
            if (overflow := sideways_overflow(page)) > 0:
                found.append(f"{overflow} px wider than the phone")
            for width in IN_BETWEEN:
                page.set_viewport_size({"width": width, "height": 900})
                if (overflow := sideways_overflow(page)) > 0:
                    found.append(f"{overflow} px wider than a {width} px window")
            page.set_viewport_size(SIZES["phone"])
            if page.evaluate("document.documentElement.lang") != "sv":
                found.append("the page does not say it is in Swedish")
            if not page.title().strip():
                found.append("no title")
            found += axe_violations(page)
            if found:
                problems[who, page.url.removeprefix(live_server.url)] = found
                _shoot(page, who, url)
        context.close()
    assert min(checked.values()) > 15 and not problems, (checked, problems)
