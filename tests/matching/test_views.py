import re

import pytest
from django.urls import reverse

from matching.models import MatchFeedback
from tests.factories import admin_of, make_need, make_programme

pytestmark = pytest.mark.django_db


def test_a_need_matches_page_shows_ranked_programmes_with_reasons(client, platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    page = client.get(reverse("matching:need", args=[need.pk]))
    assert page.status_code == 200
    match = page.context["programmes"].all[0]
    assert match.target.name == "Undersköterska hemtjänst"
    assert match.reasons and all(reason["contribution"] > 0 for reason in match.reasons)
    body = page.content.decode()
    assert all(reason["text"] in body for reason in match.reasons)
    assert "same_field" in {reason["code"] for reason in match.reasons}


@pytest.mark.parametrize("visibility", ["aggregated", "coordinators"])
def test_the_matches_of_a_need_one_may_not_see_are_not_found(client, platform_matcher, employer_a, provider_a,
                                                             visibility):
    need = make_need(employer_a, visibility=visibility)
    client.force_login(admin_of(provider_a))
    assert client.get(reverse("matching:need", args=[need.pk])).status_code == 404


def test_a_programme_page_lists_only_the_needs_one_may_read(client, platform_matcher, employer_a, employer_b,
                                                            provider_a, region_a):
    make_need(employer_a, title="Offentligt behov", headcount=4)
    make_need(employer_a, title="Hemligt behov", visibility="aggregated", headcount=6)
    make_need(employer_a, title="Regionens behov", visibility="coordinators", headcount=2)
    programme = make_programme(provider_a, name="Undersköterska")
    client.force_login(admin_of(provider_a))
    matches = client.get(reverse("matching:programme", args=[programme.pk])).context["matches"]
    assert [m.target.title for m in matches.groups.all] == ["Offentligt behov"]
    client.force_login(admin_of(region_a))
    matches = client.get(reverse("matching:programme", args=[programme.pk])).context["matches"]
    assert {m.target.title for m in matches.groups.all} == {"Offentligt behov", "Regionens behov"}
    page = client.get(reverse("matching:programme", args=[programme.pk])).content.decode()
    assert "Hemligt behov" not in page


def test_feedback_is_posted_from_the_page_and_outsiders_are_refused(client, platform_matcher, employer_a, employer_b,
                                                                    provider_a):
    need, programme = make_need(employer_a), make_programme(provider_a)
    data = {"need": need.pk, "programme": programme.pk, "relevant": "yes", "next": "/behov/"}
    client.force_login(admin_of(employer_b))
    assert client.post(reverse("matching:feedback"), data).status_code == 403
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("matching:feedback"), data)
    assert response.status_code == 302 and response["Location"] == "/behov/"
    assert MatchFeedback.objects.get().relevant is True
    assert client.post(reverse("matching:feedback"), {**data, "relevant": "kanske"}).status_code == 400


def test_the_feedback_redirect_never_leaves_the_site(client, platform_matcher, employer_a, provider_a):
    need, programme = make_need(employer_a), make_programme(provider_a)
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("matching:feedback"), {"need": need.pk, "programme": programme.pk,
                                                          "relevant": "no", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_typed_need_is_read_into_occupation_place_number_and_time(client, platform_matcher):
    response = client.get(reverse("matching:interpret"),
                          {"beskrivning": "Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år"})
    reading = response.context["interpretation"]
    assert reading.occupations[0]["ssyk4"].code == "5321"
    assert (reading.kommun.label, reading.headcount, reading.horizon) == ("Karlstad", 12, "1y")


def test_feedback_on_a_hidden_need_answers_exactly_like_feedback_on_a_missing_one(client, employer_a, provider_a):
    hidden, programme = make_need(employer_a, visibility="aggregated"), make_programme(provider_a)
    client.force_login(admin_of(provider_a))
    answers = []
    for need_id in (hidden.pk, hidden.pk + 1000):
        response = client.post(reverse("matching:feedback"),
                               {"need": need_id, "programme": programme.pk, "relevant": "yes", "next": "/"})
        answers.append((response.status_code, re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)))
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert not MatchFeedback.objects.exists()


@pytest.mark.parametrize("field", ["need", "programme", "validation_path"])
def test_feedback_with_a_malformed_id_is_a_400(client, employer_a, provider_a, field):
    data = {"need": make_need(employer_a).pk, "programme": make_programme(provider_a).pk, "relevant": "yes"}
    data[field] = "1; DROP TABLE"
    if field == "validation_path":
        data.pop("programme")
    client.force_login(admin_of(employer_a))
    assert client.post(reverse("matching:feedback"), data).status_code == 400
    assert not MatchFeedback.objects.exists()
