import datetime as dt

import pytest
from django.utils import timezone

from employers.models import Need
from tests.factories import PASSWORD, admin_of, make_need, make_organisation, make_region

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_opens_the_dimensioning_from_the_start_page_and_reads_it_on_a_phone(page, taxonomy):
    coordinator = admin_of(make_region("17"))
    employer = make_organisation("employer", name="Vård i Karlstad AB")
    need = make_need(employer, headcount=12)
    Need.objects.filter(pk=need.pk).update(needed_by=timezone.localdate() + dt.timedelta(days=90))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill(coordinator.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Dimensionering för Värmlands län").click()
    page.get_by_role("heading", level=1, name="Dimensionering: Värmlands län").wait_for()
    assert page.get_by_role("img", name="Efterfrågan och utbud per yrke").count() == 1
    assert page.get_by_role("img", name="Gap per län").count() == 1
    table = page.get_by_role("region", name="Per yrke (SSYK)")
    assert "5321" in table.inner_text() and "12" in table.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
