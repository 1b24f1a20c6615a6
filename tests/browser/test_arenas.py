"""Branch arenas in a browser: a visitor's need page loads the public decision about the need from
dialogues' fragment, and a host records a decision on a phone-sized screen."""

import datetime as dt

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Decision
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.factories import PASSWORD, make_need, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def arena_with_need(taxonomy):
    coordinator = make_user("samordnare@region.se")
    make_region("17", coordinator=coordinator)
    employer = make_organisation(Organisation.Kind.EMPLOYER, name="Omsorg AB")
    need = make_need(employer, ssyk4="5321", title="Undersköterskor i hemtjänsten")
    arena = services.arena_create(actor=coordinator, name="Vårdrådet", lan=Lan.objects.get(code="17"),
                                  ssyk_groups=[SsykGroup.objects.get(code="5321")])
    services.arena_member_add(actor=coordinator, arena=arena, organisation=employer)
    session = services.session_create(actor=coordinator, arena=arena, title="Höstmöte",
                                      starts_at=timezone.now() + dt.timedelta(days=7),
                                      ends_at=timezone.now() + dt.timedelta(days=7, hours=2),
                                      agenda=["Läget"])
    services.decision_create(actor=coordinator, session=session, text="Hemtjänsten först",
                             visibility=Decision.Visibility.PUBLIC, needs=[need])
    services.decision_create(actor=coordinator, session=session, text="Internt beslut", needs=[need])
    return coordinator, need, session


def test_a_visitor_sees_the_public_decision_load_on_the_need_page(page, arena_with_need):
    _coordinator, need, _session = arena_with_need
    page.goto(f"/behov/{need.pk}/")
    page.get_by_role("heading", name="Beslut i branscharenor").wait_for()
    assert page.get_by_text("Hemtjänsten först").is_visible()
    assert page.get_by_text("Internt beslut").count() == 0


def test_a_host_records_a_decision_on_a_phone(page, arena_with_need):
    coordinator, need, session = arena_with_need
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill(coordinator.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    page.goto(f"/arenor/moten/{session.pk}/")
    page.get_by_role("link", name="Anteckna ett beslut").first.click()
    page.get_by_role("textbox", name="Beslut").fill("Två nya APL-platser")
    page.get_by_label("Undersköterskor i hemtjänsten (Omsorg AB)").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Beslutet har antecknats.").wait_for()
    decision = Decision.objects.get(text="Två nya APL-platser")
    assert list(decision.needs.all()) == [need] and decision.agenda_item.title == "Läget"
