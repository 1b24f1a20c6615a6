"""Journey 3: a regional coordinator opens the dimensioning dashboard for the demo county from the
start page, filters it to one occupation field, drills down from a figure to the needs behind it,
and downloads the table as Excel — at desktop and phone size."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.journey import SIZES, Journey, sign_in
from tests.factories import PASSWORD
from tests.matchplats.test_get_routes import demo  # noqa: F401  (a fixture: the Region Värmland demo)

pytestmark = pytest.mark.django_db(transaction=True)
FIELD = "Hälso- och sjukvård"


@pytest.mark.parametrize("size", SIZES)
def test_a_coordinator_filters_the_county_dimensioning_drills_down_and_downloads_it(
        browser, live_server, demo, size):  # noqa: F811
    coordinator = demo["people"]["coordinator"]
    coordinator.set_password(PASSWORD)
    coordinator.save(update_fields=["password"])
    journey = Journey("coordinator", size)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport,
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, coordinator.email)
    journey.look(page, "start")

    page.get_by_role("link", name="Dimensionering för Värmlands län").click()
    page.get_by_role("heading", level=1, name="Dimensionering: Värmlands län").wait_for()
    journey.look(page, "dimensioning")
    page.get_by_label("Yrkesområde", exact=True).select_option(label=FIELD)
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**occupation_field=*")
    journey.look(page, "dimensioning-filtered")
    table = page.get_by_role("region", name="Per yrke (SSYK)")
    rows = table.locator("tbody tr").filter(has=page.locator("td a"))  # occupations, not field headings
    shown = [rows.nth(i).locator("th, td").first.inner_text().strip() for i in range(rows.count())]
    assert shown and all(name for name in shown)

    with page.expect_download() as download:
        page.get_by_role("region", name="Efterfrågan och utbud per yrke").get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    downloaded = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert len(downloaded) - 1 >= len(shown), (downloaded[:3], shown)
    assert all(any(str(cell).startswith(name.split(" ")[0]) for row in downloaded for cell in row if cell)
               for name in shown)

    demands = [rows.nth(i).locator("td").nth(2).get_by_role("link") for i in range(rows.count())]
    demand = next(link for link in demands if link.inner_text().strip() != "0")
    figure = int(demand.inner_text())
    demand.click()
    page.get_by_role("heading", level=1).wait_for()
    journey.look(page, "drill-down")
    page.get_by_text(re.compile(rf"Totalt \d+ behov som gäller {figure} personer")).wait_for()
    context.close()
