"""Journey 1: an employer signs up, verifies the e-mail address, creates the organisation, registers
a need from a Swedish sentence using the keyboard alone, and sees ranked matches with reasons — at
desktop and phone size, each key page checked by ``Journey.look`` (no sideways scroll, no serious
axe violation, a screenshot)."""

import re

import pytest

from employers.models import Need
from matchplats.organisations.models import Organisation
from tests.browser.journey import SIZES, Journey, tab_to
from tests.factories import make_organisation, make_programme

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Hemtjanst-i-Karlstad-2026"


@pytest.mark.parametrize("size", SIZES)
def test_an_employer_signs_up_and_finds_programmes_for_a_need_written_as_a_sentence(
        browser, live_server, mailoutbox, platform_matcher, size):
    provider = make_organisation("provider", name="Yrkeshögskolan Karlstad")
    make_programme(provider, name="Undersköterska med inriktning hemtjänst", kommun_code="1780")
    make_programme(provider, name="Svetsare", kommun_code="1780", ssyk4=("7212",))
    journey = Journey("employer", size)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=journey.viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/")
    journey.look(page, "home")
    page.get_by_role("link", name="Skapa konto").first.click()
    page.get_by_label("E-postadress").fill("hr@hemtjanst-karlstad.example")
    page.get_by_label("Lösenord:", exact=True).fill(PASSWORD)
    page.get_by_label("Lösenord (igen)").fill(PASSWORD)
    journey.look(page, "signup")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", level=1, name="Bekräfta din e-postadress").wait_for()
    journey.look(page, "verify-sent")

    (message,) = mailoutbox
    assert message.to == ["hr@hemtjanst-karlstad.example"]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)
    page.goto(link.split("/konto/", 1)[1].join(["/konto/", ""]))
    journey.look(page, "confirm")
    page.get_by_role("button", name="Bekräfta").click()

    first_step = page.get_by_role("link", name="Skapa din organisation")
    first_step.wait_for()
    journey.look(page, "first-run")
    first_step.click()
    page.get_by_label("Namn").fill("Hemtjänst Karlstad AB")
    page.get_by_label("Arbetsgivare").check()
    page.get_by_label("Kommun").select_option(label="Karlstad")
    page.get_by_label("Organisationsnummer").fill("556036-0794")
    page.get_by_label("Jag godkänner användarvillkoren för organisationen").check()
    page.locator("main form button[type=submit]").click()
    page.get_by_text("Kontrollsiffran i 556036-0794 stämmer inte").wait_for()
    journey.look(page, "organisation-number-refused")
    page.get_by_label("Organisationsnummer").fill("556036-0793")
    page.locator("main form button[type=submit]").click()
    first_need = page.get_by_role("link", name="Registrera ditt första behov")
    first_need.wait_for()
    journey.look(page, "start")
    employer = Organisation.objects.get(name="Hemtjänst Karlstad AB")
    assert (employer.kind, employer.organisation_number) == (Organisation.Kind.EMPLOYER, "556036-0793")
    first_need.click()
    page.get_by_role("heading", level=1).wait_for()
    journey.look(page, "need-form")
    # From here to the saved need with the keyboard alone.
    text = page.get_by_label("Beskriv behovet med egna ord")
    tab_to(page, text)
    page.keyboard.type("Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år")
    use = page.get_by_role("button", name="Fyll i formuläret med dessa")
    use.wait_for()
    journey.look(page, "need-interpreted")
    occupation = page.get_by_role("button", name=re.compile(r"^Undersköterska, hemtjänst, äldreboende.*SSYK 5321"))
    tab_to(page, occupation)
    page.keyboard.press("Enter")
    page.get_by_text("SSYK 5321").first.wait_for()
    tab_to(page, use)
    page.keyboard.press("Enter")
    assert page.get_by_role("textbox", name="Titel").input_value() == "Undersköterskor till hemtjänsten i Karlstad"
    public = page.get_by_label("Offentlig")
    tab_to(page, public)
    page.keyboard.press("Space")
    journey.look(page, "need-filled")
    submit = page.get_by_role("button", name="Registrera behovet")
    tab_to(page, submit)
    page.keyboard.press("Enter")

    page.get_by_role("heading", level=1, name="Undersköterskor till hemtjänsten i Karlstad").wait_for()
    journey.look(page, "need")
    need = Need.objects.get(organisation=employer)
    assert (need.ssyk4.code, need.headcount, need.kommun.label) == ("5321", 12, "Karlstad")
    page.get_by_role("link", name="Se matchande utbildningar och valideringsvägar").click()
    first = page.locator(".match").first
    first.wait_for()
    assert "Undersköterska med inriktning hemtjänst" in first.inner_text()
    assert first.get_by_text("Samma yrkesområde").is_visible()
    journey.look(page, "matches")

    if size == "phone":
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=1, name="Matches: Undersköterskor till hemtjänsten i Karlstad").wait_for()
    assert page.locator(".match").first.get_by_text("Same occupational field").is_visible()
    Journey("employer", size, language="en", shots=journey.shots).look(page, "matches")
    context.close()
