"""Browser journeys: Playwright for Python driving Debian's chromium (no browser download)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("MATCHPLATS_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: Playwright's event loop must be gone before asyncio tests of other modules run."""
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it and forbids skips")
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test body is still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
