""""Mitt Matchplats": the start page a signed-in person gets at /, by role, with first-run
guidance; visitors keep the front page. Every list and figure on it obeys the visibility rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from matching.models import MatchLink
from matchplats.organisations.models import Organisation
from providers.models import Programme
from tests.dialogues.conftest import make_session, world  # noqa: F401 (a fixture)
from tests.factories import add_member, admin_of, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_gets_the_front_page_and_a_signed_in_person_their_start_page(client, taxonomy):
    html = client.get(HOME).content.decode()
    assert "Den regionala kompetensplattformen" in html and "Mitt Matchplats" not in html
    assert "<title>Den regionala kompetensplattformen · Matchplats</title>" in html
    html = page(client, make_user())
    assert "<h1>Mitt Matchplats</h1>" in html and "<title>Mitt Matchplats · Matchplats</title>" in html


def test_a_person_without_an_organisation_is_shown_how_to_start(client, taxonomy):
    user = make_user("ny@example.se")
    html = page(client, user)
    assert "Kom igång" in html and f'href="{reverse("organisations:create")}"' in html
    assert "Be en av dess administratörer att bjuda in ny@example.se" in html


def test_after_creating_an_organisation_the_next_step_is_on_the_start_page(client, taxonomy):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("organisations:create"),
                           {"name": "Nya Omsorg AB", "kind": "employer", "accepted_terms": "on"})
    assert response.status_code == 302 and response["Location"] == HOME
    html = client.get(HOME).content.decode()
    assert "Nya Omsorg AB skapades" in html and "Här börjar du" in html
    assert "Registrera ditt första behov" in html and f'href="{reverse("employers:create")}"' in html
    assert f'href="{reverse("employers:import")}"' in html and "Kom igång" not in html


def test_an_empty_provider_is_guided_to_add_or_import_programmes(client, provider_a):
    html = page(client, admin_of(provider_a))
    assert "Lägg till din första utbildning" in html and f'href="{reverse("providers:import")}"' in html


def test_an_employer_sees_its_needs_with_their_best_matches_in_rank_order(client, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten")
    old = make_programme(provider_a, name="Äldre utbildning")
    Programme.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=60))
    names = ["Bästa", "Näst bästa", "Tredje", "Fjärde"]
    programmes = [old] + [make_programme(provider_a, name=n) for n in names[1:]]
    for rank, programme in enumerate(programmes, start=1):
        MatchLink.objects.create(need=need, programme=programme, score=0.9 - rank / 10, rank=rank)
    html = page(client, add_member(employer_a))
    assert "Kompetensbehov hos Arbetsgivare A" in html and "Undersköterskor till hemtjänsten" in html
    assert html.index("Äldre utbildning") < html.index("Näst bästa") < html.index("Tredje")
    assert "Fjärde" not in html
    section = html[html.index("Äldre utbildning"):html.index("Näst bästa")]
    assert "ny</span>" not in section  # on the platform for 60 days: not new
    assert "ny</span>" in html[html.index("Näst bästa"):]
    assert f'href="{reverse("matching:need", args=[need.pk])}"' in html


def test_an_employer_never_sees_another_organisations_needs(client, employer_a, employer_b):
    make_need(employer_b, title="Grannens behov")
    html = page(client, admin_of(employer_a))
    assert "Grannens behov" not in html and "Registrera ditt första behov" in html


def test_a_provider_sees_its_programmes_and_counts_only_needs_it_may_read(client, provider_a, employer_a,
                                                                          employer_b):
    programme = make_programme(provider_a, name="Undersköterska, vård och omsorg")
    readable = make_need(employer_a, title="Synligt")
    hidden = make_need(employer_b, title="Dolt", visibility="aggregated")
    MatchLink.objects.create(need=readable, programme=programme, score=0.8, rank=1)
    MatchLink.objects.create(need=hidden, programme=programme, score=0.9, rank=1)
    html = page(client, admin_of(provider_a))
    assert "Utbildningar hos Anordnare A" in html
    assert "1 matchande behov som du kan läsa" in html
    assert "Dolt" not in html


def test_the_demand_in_the_providers_fields_and_region_follows_the_disclosure_rule(client, provider_a, employer_a,
                                                                                    employer_b):
    make_programme(provider_a, ssyk4=("5321",), kommun_code="1780")
    make_need(employer_a, ssyk4="5321", headcount=4)
    make_need(employer_b, ssyk4="5321", headcount=30, visibility="aggregated", kommun_code="1780")
    make_need(employer_a, ssyk4="2512", headcount=50)  # another occupation: not the provider's field
    make_need(employer_a, ssyk4="5321", headcount=70, kommun_code="1880")  # another county
    html = page(client, admin_of(provider_a))
    assert "Efterfrågan inom era områden och region" in html and "Värmlands län" in html
    assert "Totalt: 1 behov, 4 personer, från 1 arbetsgivare." in html
    assert '<span class="mark"' in html  # a hidden need from one employer is left out, and marked


def test_hidden_demand_from_three_employers_enters_as_a_released_cell(client, provider_a):
    make_programme(provider_a, ssyk4=("5321",), kommun_code="1780")
    for n in range(3):
        make_need(make_organisation(Organisation.Kind.EMPLOYER, name=f"Dold {n}"), ssyk4="5321", headcount=2,
                  visibility="aggregated")
    html = page(client, admin_of(provider_a))
    assert "Totalt: 3 behov, 6 personer, från 3 arbetsgivare." in html and "Dold" not in html


def test_a_provider_without_target_occupations_is_told_how_to_see_demand(client, provider_a):
    make_programme(provider_a, ssyk4=())
    assert "Ge era utbildningar målyrken och kommuner" in page(client, admin_of(provider_a))


def test_a_coordinator_sees_the_county_at_a_glance_arenas_and_open_action_items(client, world):  # noqa: F811
    session = make_session(world)
    today = timezone.localdate()
    overdue = dialogue_services.action_item_create(actor=world.coordinator, session=session, text="Ta fram LIA-plan",
                                                   due_on=today - dt.timedelta(days=2),
                                                   owner_organisation=world.employer)
    later = dialogue_services.action_item_create(actor=world.coordinator, session=session, text="Boka lokal",
                                                 due_on=today + dt.timedelta(days=20), owner_user=world.person)
    done = dialogue_services.action_item_create(actor=world.coordinator, session=session, text="Klar sak",
                                                due_on=today, owner_user=world.person)
    type(done).objects.filter(pk=done.pk).update(status="done")
    make_need(world.employer, headcount=5)
    html = page(client, world.coordinator)
    assert "Värmlands län i överblick" in html
    assert f'href="{reverse("dimensioning:page")}?lan=17"' in html and reverse("reports:lan", args=["17"]) in html
    assert "Vård och omsorg" in html and "1 kommande möte" in html
    assert html.index(overdue.text) < html.index(later.text) and "Klar sak" not in html
    assert "försenad" in html[html.index(overdue.text) - 200:html.index(overdue.text)]
    assert "Omsorg AB" in html[html.index(overdue.text):]


def test_arenas_and_action_items_show_only_to_those_who_may_see_the_arena(client, world):  # noqa: F811
    session = make_session(world)
    dialogue_services.action_item_create(actor=world.coordinator, session=session, text="Hemlig åtgärd",
                                         due_on=timezone.localdate(), owner_organisation=world.provider)
    member_html = page(client, world.employer_user)
    assert "Vård och omsorg" in member_html and "Hemlig åtgärd" in member_html
    for outsider in (world.outsider, world.other_coordinator):
        html = page(client, outsider)
        assert "Vård och omsorg" not in html and "Hemlig åtgärd" not in html
    assert "Öppna åtgärder" not in page(client, world.outsider)


def test_the_menu_links_my_matchplats_for_signed_in_people_and_marks_the_current_page(client, taxonomy):
    assert "Mitt Matchplats" not in client.get(reverse("privacy")).content.decode()
    html = page(client, make_user())
    assert f'<a href="{HOME}" aria-current="page">Mitt Matchplats</a>' in html
    assert f'<a href="{HOME}">Mitt Matchplats</a>' in client.get(reverse("privacy")).content.decode()


def test_an_administrator_is_reminded_on_the_start_page_of_terms_to_accept_and_a_member_is_not(client, taxonomy):
    employer = make_organisation(Organisation.Kind.EMPLOYER, name="Vård AB")
    Organisation.objects.filter(pk=employer.pk).update(accepted_terms_version="2025-01-01")
    member = add_member(employer)
    reminder = "Användarvillkoren har ändrats"
    assert reminder in page(client, admin_of(employer))
    assert reminder not in page(client, member)
