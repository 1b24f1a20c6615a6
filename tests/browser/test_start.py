"""Mitt Matchplats in a real browser, at desktop and phone size, in Swedish and English: what an
employer, a provider and a coordinator see after signing in, and the statement pages. Screenshots
of each go to test-results/start/ (git-ignored) for a person to look at."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from dialogues import services as dialogue_services
from matching.models import MatchLink
from tests.browser.journey import sign_in
from tests.dialogues.conftest import make_session, world  # noqa: F401 (a fixture)
from tests.factories import make_need, make_programme

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results/start")
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}




def look(page, name: str) -> None:
    """At both sizes: the page fits a phone without sideways scrolling; a screenshot of each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
        page.screenshot(path=SHOTS / f"{name}-{size}.png", full_page=True)


def test_each_role_finds_its_start_page_after_signing_in(page, world, platform_matcher):  # noqa: F811
    need = make_need(world.employer, title="Undersköterskor till hemtjänsten i Karlstad", headcount=6)
    programmes = [make_programme(world.provider, name=name)
                  for name in ["Undersköterska, vård och omsorg", "Vård- och omsorgsprogrammet för vuxna",
                               "Validering undersköterska"]]
    MatchLink.objects.all().delete()  # the matcher linked them on commit; fix the scores for the picture
    for rank, programme in enumerate(programmes, start=1):
        MatchLink.objects.create(need=need, programme=programme, score=0.9 - rank / 10, rank=rank)
    session = make_session(world)
    dialogue_services.action_item_create(actor=world.coordinator, session=session, owner_organisation=world.employer,
                                         text="Ta fram en gemensam plan för LIA-platser i hemtjänsten",
                                         due_on=timezone.localdate() - dt.timedelta(days=1))

    sign_in(page, world.employer_user.email)
    page.get_by_role("heading", level=1, name="Mitt Matchplats").wait_for()
    assert page.get_by_role("link", name="Undersköterskor till hemtjänsten i Karlstad").count() == 1
    assert page.get_by_text("Bästa matchningarna").count() == 1
    look(page, "employer")

    page.context.clear_cookies()
    sign_in(page, world.provider_user.email)
    page.get_by_role("heading", level=3, name="Efterfrågan inom era områden och region").wait_for()
    look(page, "provider")

    page.context.clear_cookies()
    sign_in(page, world.coordinator.email)
    page.get_by_role("heading", level=2, name="Värmlands län i överblick").wait_for()
    assert page.get_by_text("försenad").count() == 1
    look(page, "coordinator")

    page.get_by_role("button", name="Meny").click()  # look() left the page at phone size: the menu is folded
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=1, name="My Matchplats").wait_for()
    look(page, "coordinator-en")


def test_a_new_person_is_guided_and_the_statements_are_a_click_away(page, taxonomy):
    from tests.factories import make_user

    sign_in(page, make_user().email)
    page.get_by_role("heading", level=2, name="Kom igång").wait_for()
    look(page, "first-run")
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    page.get_by_role("heading", level=1, name="Tillgänglighet för Matchplats").wait_for()
    look(page, "accessibility")
    page.get_by_role("link", name="Personuppgifter och kakor").click()
    page.get_by_role("heading", level=1, name="Så hanterar Matchplats personuppgifter").wait_for()
    look(page, "privacy")


def test_an_employer_follows_a_need_and_stops_the_email_from_its_link_without_signing_in(page, world,  # noqa: F811
                                                                                          platform_matcher):
    from django.urls import reverse

    from matching.models import DigestSubscription
    from matching.selectors import digest_token

    need = make_need(world.employer, title="Undersköterskor till hemtjänsten i Karlstad")
    sign_in(page, world.employer_user.email)
    page.goto(reverse("matching:need", args=[need.pk]))
    page.get_by_role("button", name="Mejla mig nya matchningar varje vecka").click()
    page.get_by_role("button", name="Stoppa veckobrevet").wait_for()
    look(page, "need-matches-following")
    assert DigestSubscription.objects.filter(user=world.employer_user, need=need).exists()

    page.context.clear_cookies()
    page.goto(reverse("matching:unsubscribe", args=[digest_token(user=world.employer_user, need=need)]))
    look(page, "unsubscribe")
    page.get_by_role("button", name="Stoppa e-breven").click()
    page.get_by_text("Klart.").wait_for()
    assert not DigestSubscription.objects.exists()
