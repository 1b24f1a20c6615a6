"""Confirming the matching's reading as a programme's target occupations: the service
(``programme_target_occupations_confirm``) and its page (``providers:occupations_confirm``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from providers.models import Programme, ProgrammeEvent
from providers.services import programme_target_occupations_confirm
from tests.factories import add_member, admin_of, make_programme
from tests.rows import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(provider_a):
    """A programme as an MYH import leaves it: no target occupations."""
    return make_programme(provider_a, name="Undersköterska inom äldreomsorg", ssyk4=())


def _codes(programme: Programme) -> list[str]:
    return sorted(programme.target_occupations.values_list("code", flat=True))


def test_a_provider_member_confirms_read_groups_as_target_occupations_in_one_history_event(imported, provider_a):
    member = add_member(provider_a)
    programme_target_occupations_confirm(programme=imported, actor=member, codes=["5321", "5323"])
    imported.refresh_from_db()
    assert _codes(imported) == ["5321", "5323"] and imported.updated_by == member
    event = ProgrammeEvent.objects.filter(programme=imported).latest("pk")
    assert event.type == ProgrammeEvent.Type.UPDATED and event.actor == member
    assert event.data == {"changes": {"target_occupations": [[], ["5321", "5323"]]}}


def test_a_code_given_twice_is_confirmed_once(imported, provider_a):
    programme_target_occupations_confirm(programme=imported, actor=admin_of(provider_a), codes=["5321", " 5321 "])
    assert _codes(imported) == ["5321"]


@pytest.mark.parametrize(("codes", "message"), [
    ([], "Choose at least one occupation group"),
    (["", "  "], "Choose at least one occupation group"),
    (["532"], "four digits, not 532"),
    (["53210"], "four digits, not 53210"),
    (["abcd"], "four digits, not abcd"),
    (["5321'; DROP TABLE x"], "four digits"),
    (["5321", "9999"], "There is no SSYK occupation group 9999"),
    (["5321", "5323", "5325", "5311"], "at most 3 occupation groups"),
])
def test_bad_codes_are_refused_with_a_clear_message_and_nothing_is_written(imported, provider_a, codes, message):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        programme_target_occupations_confirm(programme=imported, actor=admin_of(provider_a), codes=codes)
    assert message in " ".join(error.value.messages)
    assert row_counts() == before and _codes(imported) == []


def test_a_programme_that_already_names_target_occupations_is_not_overwritten(provider_a):
    programme = make_programme(provider_a, ssyk4=("5321",))
    with pytest.raises(ValidationError, match="already names its target occupations"):
        programme_target_occupations_confirm(programme=programme, actor=admin_of(provider_a), codes=["2221"])
    assert _codes(programme) == ["5321"]


def test_another_providers_admin_an_employer_member_and_a_visitor_cannot_confirm(imported, provider_b, employer_a):
    actors = [admin_of(provider_b), add_member(employer_a), AnonymousUser()]
    before = row_counts()
    for actor in actors:
        with pytest.raises(PermissionDenied):
            programme_target_occupations_confirm(programme=imported, actor=actor, codes=["5321"])
    assert row_counts() == before and _codes(imported) == []


def test_the_permission_is_checked_before_the_codes(imported, provider_b):
    with pytest.raises(PermissionDenied):
        programme_target_occupations_confirm(programme=imported, actor=admin_of(provider_b), codes=["nonsense"])


# --- the page ---------------------------------------------------------------------------------------


def _confirm_url(programme: Programme) -> str:
    return reverse("providers:occupations_confirm", args=[programme.pk])


def test_a_member_confirms_from_the_page_and_sees_the_change_in_the_history(client, imported, provider_a):
    client.force_login(add_member(provider_a))
    response = client.post(_confirm_url(imported), {"ssyk4": ["5321"]}, follow=True)
    assert response.redirect_chain == [(reverse("providers:detail", args=[imported.pk]), 302)]
    body = response.content.decode()
    assert "Målyrkena sparades." in body and "5321" in body
    assert _codes(imported) == ["5321"]
    assert "Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering" in body.split('id="manage-title"')[1]


def test_a_bad_code_from_the_page_comes_back_as_an_error_and_writes_nothing(client, imported, provider_a):
    client.force_login(admin_of(provider_a))
    before = row_counts(app_labels={"providers"})
    response = client.post(_confirm_url(imported), {"ssyk4": ["5321", "0000"]}, follow=True)
    assert "Det finns ingen SSYK-yrkesgrupp 0000." in response.content.decode()
    assert row_counts(app_labels={"providers"}) == before and _codes(imported) == []


def test_another_providers_admin_is_refused_by_id(client, imported, provider_b):
    client.force_login(admin_of(provider_b))
    before = row_counts()
    assert client.post(_confirm_url(imported), {"ssyk4": ["5321"]}).status_code == 403
    assert row_counts() == before and _codes(imported) == []


def test_an_employer_member_is_refused(client, imported, employer_a):
    client.force_login(add_member(employer_a))
    assert client.post(_confirm_url(imported), {"ssyk4": ["5321"]}).status_code == 403
    assert _codes(imported) == []


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_written(client, imported):
    response = client.post(_confirm_url(imported), {"ssyk4": ["5321"]})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert _codes(imported) == []


def test_the_confirm_address_does_not_answer_a_get(client, imported, provider_a):
    client.force_login(admin_of(provider_a))
    assert client.get(_confirm_url(imported), {"ssyk4": "5321"}).status_code == 405
    assert _codes(imported) == []


# --- the list's reminder ------------------------------------------------------------------------------


def test_a_provider_sees_how_many_of_its_programmes_name_no_target_occupations(client, provider_a, provider_b):
    make_programme(provider_a, name="Utan 1", ssyk4=())
    make_programme(provider_a, name="Utan 2", ssyk4=())
    make_programme(provider_a, name="Med", ssyk4=("5321",))
    make_programme(provider_b, name="Annans utan", ssyk4=())
    client.force_login(add_member(provider_a))
    body = client.get(reverse("providers:list")).content.decode()
    assert "2 av era organisationers utbildningar anger inga målyrken" in body
    listed = client.get(reverse("providers:list"), {"mina": "on", "utan_malyrken": "on"}).content.decode()
    assert "Utan 1" in listed and "Utan 2" in listed and ">Med<" not in listed and "Annans utan" not in listed


def test_visitors_and_providers_whose_programmes_all_name_occupations_see_no_reminder(client, provider_a, provider_b):
    make_programme(provider_a, ssyk4=())
    make_programme(provider_b, ssyk4=("5321",))
    assert "anger inga målyrken" not in client.get(reverse("providers:list")).content.decode()
    client.force_login(admin_of(provider_b))
    assert "anger inga målyrken" not in client.get(reverse("providers:list")).content.decode()


def test_occupations_confirmed_after_an_myh_import_survive_the_next_import_of_the_list(taxonomy):
    from tests.providers.test_importing import myh_row, system_import, to_csv

    data = to_csv([myh_row(utbildningsnamn="Drifttekniker el")])
    system_import(data)
    programme = Programme.objects.get()
    assert _codes(programme) == []
    programme_target_occupations_confirm(programme=programme, actor=add_member(programme.provider), codes=["3113"])
    assert system_import(data).unchanged == 1
    assert _codes(programme) == ["3113"]
