"""Backing a programme from its page: the form, its errors, and who sees the backers."""

import pytest
from django.urls import reverse

from providers.models import Programme, ProgrammeBacking, ProgrammeBackingEvent
from providers.services import programme_backing_set
from tests.factories import add_member, admin_of, make_programme, make_user

pytestmark = pytest.mark.django_db


def _form(employer, **overrides):
    data = {"employer": employer.pk, "lia_places": "4", "letter_of_intent": "on", "letter_signatory": "Åsa Öberg",
            "letter_role": "Verksamhetschef", "letter_signed_on": "2026-11-02",
            "letter_text": "Vi tar emot studerande för LIA."}
    data.update(overrides)
    return data


def test_an_employer_backs_a_programme_from_the_form_and_returns_to_the_match(client, employer_a, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    url = reverse("providers:backing", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(employer_a, next="/matchningar/behov/1/#programme-1"))
    assert response.status_code == 302 and response["Location"] == "/matchningar/behov/1/#programme-1"
    backing = ProgrammeBacking.objects.get()
    assert (backing.employer, backing.lia_places, backing.letter_signatory) == (employer_a, 4, "Åsa Öberg")


def test_the_form_does_not_redirect_to_another_site(client, employer_a, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:backing", args=[programme.pk]),
                           _form(employer_a, next="https://evil.example/"))
    assert response["Location"] == reverse("providers:detail", args=[programme.pk])


@pytest.mark.parametrize(("overrides", "message"), [
    ({"lia_places": "-2"}, "är större än eller lika med 0"),
    ({"letter_text": ""}, "Skriv avsiktsförklaringens text"),
    ({"letter_role": "Chef\x1b"}, "U+001B"),
    ({"lia_places": "0", "letter_of_intent": ""}, "Välj minst ett"),
])
def test_bad_input_gets_a_specific_swedish_error_and_writes_nothing(client, employer_a, provider_a, overrides,
                                                                   message):
    programme = make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:backing", args=[programme.pk]), _form(employer_a, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgrammeBacking.objects.exists() and not ProgrammeBackingEvent.objects.exists()


def test_a_granted_programme_cannot_be_backed_from_the_form(client, employer_a, provider_a):
    programme = make_programme(provider_a)
    Programme.objects.filter(pk=programme.pk).update(status="granted")
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:backing", args=[programme.pk]), _form(employer_a))
    assert response.status_code == 400 and "planerad eller sökt" in response.content.decode()
    assert not ProgrammeBacking.objects.exists()


def test_an_employer_cannot_back_for_an_employer_it_does_not_belong_to(client, employer_a, employer_b, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:backing", args=[programme.pk]), _form(employer_b))
    assert response.status_code == 400 and not ProgrammeBacking.objects.exists()


def test_people_without_an_employer_get_no_backing_form(client, provider_a):
    programme = make_programme(provider_a)
    url = reverse("providers:backing", args=[programme.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(admin_of(provider_a))
    assert client.get(url).status_code == 403
    assert client.post(url, {"lia_places": "3"}).status_code == 403


def test_the_provider_sees_who_backs_the_programme_and_a_count_in_the_list(client, employer_a, provider_a):
    programme = make_programme(provider_a, name="Specialistundersköterska")
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=5,
                          contact_requested=True)
    client.force_login(add_member(provider_a))
    page = client.get(reverse("providers:detail", args=[programme.pk])).content.decode()
    assert "Arbetsgivare A" in page and "1 arbetsgivare står bakom utbildningen" in page
    assert admin_of(employer_a).email in page
    listing = client.get(reverse("providers:list")).content.decode()
    assert "<th scope=\"col\">Arbetsgivare bakom</th>" in listing and "<td data-label=\"Arbetsgivare bakom\">1</td>" in listing


def test_other_employers_and_visitors_do_not_see_the_backers(client, employer_a, employer_b, provider_a):
    programme = make_programme(provider_a)
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=5)
    for user in (None, admin_of(employer_b), make_user()):
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(reverse("providers:detail", args=[programme.pk])).content.decode()
        assert "Arbetsgivare A" not in page
        assert "<th scope=\"col\">Arbetsgivare bakom</th>" not in client.get(reverse("providers:list")).content.decode()


def test_an_employer_sees_its_own_backing_and_withdraws_it(client, employer_a, provider_a):
    programme = make_programme(provider_a)
    backing = programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a,
                                    lia_places=5)
    client.force_login(admin_of(employer_a))
    page = client.get(reverse("providers:detail", args=[programme.pk])).content.decode()
    assert "5 LIA-platser" in page and "Ta tillbaka stödet" in page
    response = client.post(reverse("providers:backing_withdraw", args=[programme.pk]), {"backing": backing.pk})
    assert response.status_code == 302
    backing.refresh_from_db()
    assert not backing.active


def test_another_employer_cannot_withdraw_a_backing_by_id(client, employer_a, employer_b, provider_a):
    programme = make_programme(provider_a)
    backing = programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a,
                                    lia_places=5)
    client.force_login(admin_of(employer_b))
    response = client.post(reverse("providers:backing_withdraw", args=[programme.pk]), {"backing": backing.pk})
    assert response.status_code == 403
    backing.refresh_from_db()
    assert backing.active


def test_every_wrong_field_is_reported_at_once(client, employer_a, provider_a):
    programme = make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("providers:backing", args=[programme.pk]),
                           _form(employer_a, lia_places="-3", letter_role="", letter_signed_on="", letter_text=""))
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("större än eller lika med 0", "Ange undertecknarens roll", "Ange vilket datum",
                    "Skriv avsiktsförklaringens text"):
        assert message in page
    assert not ProgrammeBacking.objects.exists()
