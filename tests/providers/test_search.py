"""Searching and filtering programmes: word forms, occupation names, SSYK codes, providers, "mine",
and filters that offer names instead of SSYK and SUN codes."""

import pytest
from django.urls import reverse

from providers.models import Programme
from providers.selectors import ProgrammeFilters, programmes_filtered, programmes_listed
from providers.services import programme_search_document, programme_update
from tests.factories import admin_of, make_programme, make_user

pytestmark = pytest.mark.django_db


def _found(text: str) -> set[str]:
    return set(programmes_filtered(programmes_listed(), ProgrammeFilters(text=text)).values_list("name", flat=True))


@pytest.fixture
def programmes(provider_a, provider_b):
    return {
        "care": make_programme(provider_a, name="Vård- och omsorgsutbildning", ssyk4=("5321",)),
        "nurses": make_programme(provider_b, name="Specialistutbildning", ssyk4=("2221",), kommun_code="1880"),
        "electricians": make_programme(provider_b, name="Elteknikerna", ssyk4=("7411",), kommun_code="1880"),
    }


def test_a_search_finds_a_programme_by_its_target_occupation_in_another_word_form(programmes):
    assert _found("undersköterska") == {"Vård- och omsorgsutbildning"}
    assert _found("sjuksköterskan") == {"Specialistutbildning"}


def test_a_search_finds_a_programme_by_an_occupation_name_of_its_target_groups(programmes):
    assert _found("stomiterapeuter") == {"Specialistutbildning"}
    assert _found("installationselektriker") == {"Elteknikerna"}


def test_a_search_finds_programmes_by_ssyk_code_provider_and_place(programmes):
    assert _found("7411") == {"Elteknikerna"}
    assert _found("22") == {"Specialistutbildning"}
    assert _found("Anordnare B") == {"Specialistutbildning", "Elteknikerna"}
    assert _found("karlstad") == {"Vård- och omsorgsutbildning"}


def test_changing_a_programmes_targets_rewrites_its_search_document(programmes, provider_a):
    from matchplats.taxonomy.models import SsykGroup

    care = programmes["care"]
    programme_update(programme=care, actor=admin_of(provider_a),
                     target_occupations=SsykGroup.objects.filter(code="7411"))
    assert _found("undersköterska") == set()
    assert "Vård- och omsorgsutbildning" in _found("serviceelektriker")
    for programme in Programme.objects.all():
        assert programme.search_text == programme_search_document(programme)


def test_the_list_page_searches_by_word_form(client, programmes):
    page = client.get(reverse("providers:list"), {"q": "undersköterskorna"})
    assert [p.name for p in page.context["page"].object_list] == ["Vård- och omsorgsutbildning"]


def test_the_mine_filter_lists_only_the_viewers_providers_programmes(client, programmes, provider_a):
    client.force_login(admin_of(provider_a))
    page = client.get(reverse("providers:list"), {"mina": "on"})
    assert [p.name for p in page.context["page"].object_list] == ["Vård- och omsorgsutbildning"]
    assert "Bara mina organisationers utbildningar" in page.content.decode()


def test_the_mine_filter_is_not_offered_to_people_without_a_provider(client, programmes, employer_a):
    for user in (None, make_user(), admin_of(employer_a)):
        if user is not None:
            client.force_login(user)
        page = client.get(reverse("providers:list"), {"mina": "on"})
        assert "mina" not in page.context["form"].fields
        assert page.context["page"].paginator.count == 3


def test_programme_filters_offer_occupation_and_education_field_names_not_codes(client, programmes):
    html = client.get(reverse("providers:list")).content.decode()
    assert "SSYK-kod</label>" not in html and "SUN-kod</label>" not in html
    assert '<select name="ssyk"' in html and '<select name="sun"' in html
    assert '<option value="5321">Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering</option>' in html
    assert "Hälso- och sjukvård" in html  # the occupation field that groups it
    assert "Utbildningsområde" in html and "Alla inom Pedagogik och lärarutbildning" in html


def test_a_picked_occupation_or_education_field_filters_by_its_code(client, programmes):
    names = lambda **query: {p.name for p in client.get(reverse("providers:list"), query).context["page"].object_list}  # noqa: E731
    assert names(ssyk="7411") == {"Elteknikerna"}
    assert names(ssyk="74") == {"Elteknikerna"}  # a higher SSYK level from an old link still works


def test_an_unknown_occupation_or_education_field_is_refused_with_a_message(client, programmes):
    for query in ({"ssyk": "9999"}, {"ssyk": "53'; --"}, {"sun": "zzz"}):
        page = client.get(reverse("providers:list"), query)
        assert page.status_code == 400
        assert "Välj ett giltigt alternativ" in page.content.decode()


def test_the_validation_filter_offers_occupation_names(client, taxonomy):
    html = client.get(reverse("providers:validation_list")).content.decode()
    assert "SSYK-kod</label>" not in html and '<select name="ssyk"' in html and '<option value="5321">' in html


def test_validation_paths_are_found_by_word_form_occupation_code_and_organiser(client, provider_a):
    from matchplats.taxonomy.models import Kommun, SsykGroup
    from providers.services import validation_path_create, validation_path_update

    path = validation_path_create(actor=admin_of(provider_a), organiser=provider_a, name="Validering för kockar",
                                  method="branch_model", occupations=SsykGroup.objects.filter(code="5120"),
                                  kommuner=Kommun.objects.filter(code="1780"))

    def found(text):
        page = client.get(reverse("providers:validation_list"), {"q": text})
        return [p.name for p in page.context["page"].object_list]

    for text in ("kocken", "5120", "51", "Anordnare A", "karlstad"):
        assert found(text) == ["Validering för kockar"], text
    assert found("undersköterska") == []
    validation_path_update(path=path, actor=admin_of(provider_a), occupations=SsykGroup.objects.filter(code="5321"))
    assert found("undersköterskor") == ["Validering för kockar"] and found("5120") == []
