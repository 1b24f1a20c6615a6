"""The match pages as a person uses them: fit levels and the floor, purpose, judged matches,
feedback that returns to the card, reasons in the page's language, "beräknas" while a vector is
missing, and match links refreshed by the services that change a need."""

import pytest
from django.urls import reverse

from employers.models import Need
from employers.services import need_update
from matching import selectors, services
from matching.engine.scoring import FLOOR
from matching.models import MatchLink
from matchplats.taxonomy.models import SsykGroup
from providers.models import Programme
from providers.services import programme_update
from tests.factories import admin_of, make_need, make_programme

pytestmark = pytest.mark.django_db


def _encoded(django_capture_on_commit_callbacks, make, *args, **kwargs):
    """Create through the service and run what it asks of the matcher on commit (encoding, links)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make(*args, **kwargs)


def test_a_match_below_the_floor_is_not_listed_but_counted_and_revealed_on_request(
        client, platform_matcher, employer_a, provider_a, django_capture_on_commit_callbacks):
    need = _encoded(django_capture_on_commit_callbacks, make_need, employer_a,
                    title="Undersköterskor till hemtjänsten", kommun_code="1780")
    good = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a,
                    name="Undersköterska hemtjänst", kommun_code="1780")
    weak = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a,
                    name="Mjukvaruutvecklare .NET", kommun_code="1880", ssyk4=("2512",))
    client.force_login(admin_of(employer_a))
    page = client.get(reverse("matching:need", args=[need.pk]))
    groups = page.context["programmes"]
    assert [m.target for m in groups.listed] == [good]
    assert all(m.score >= FLOOR for m in groups.listed)
    assert weak in [m.target for m in groups.weaker] and all(m.score < FLOOR for m in groups.weaker)
    body = page.content.decode()
    assert "svagare matchning" in body and "<details" in body


def test_a_recruitment_need_lists_training_into_the_occupation_first_and_upskilling_the_reverse(
        platform_matcher, employer_a, provider_a, django_capture_on_commit_callbacks):
    into = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska")
    further = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska")
    Programme.objects.filter(pk=further.pk).update(purpose=Programme.Purpose.FURTHER)
    programme_update(programme=further, actor=admin_of(provider_a), name="Undersköterska, fortbildning")
    owner = admin_of(employer_a)
    need = make_need(employer_a, title="Undersköterskor")
    assert [m.target for m in selectors.matches_for_need(owner, need, kind="programme").all][:2] == [into, further]
    need_update(need=need, actor=owner, purpose=Need.Purpose.UPSKILLING)
    assert [m.target for m in selectors.matches_for_need(owner, need, kind="programme").all][:2] == [further, into]


def test_a_match_judged_not_relevant_moves_to_a_collapsed_group_and_says_what_was_judged(
        client, platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    judged = make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    other = make_programme(provider_a, name="Vård- och omsorgsutbildning undersköterska", kommun_code="1780")
    client.force_login(admin_of(employer_a))
    response = client.post(reverse("matching:feedback"), {
        "need": need.pk, "programme": judged.pk, "relevant": "no",
        "next": reverse("matching:need", args=[need.pk]) + f"#programme-{judged.pk}"})
    assert response["Location"].endswith(f"#programme-{judged.pk}")
    page = client.get(reverse("matching:need", args=[need.pk]))
    groups = page.context["programmes"]
    assert [m.target for m in groups.not_relevant] == [judged]
    assert judged not in [m.target for m in groups.listed + groups.weaker]
    assert other in [m.target for m in groups.listed + groups.weaker]
    body = page.content.decode()
    assert "Bedömda som inte relevanta (1)" in body and "Du bedömde matchningen som inte relevant." in body
    assert f'id="programme-{judged.pk}"' in body


def test_reasons_and_fit_levels_read_in_english_on_the_english_page(client, platform_matcher, employer_a, provider_a,
                                                                   django_capture_on_commit_callbacks):
    need = _encoded(django_capture_on_commit_callbacks, make_need, employer_a,
                    title="Undersköterskor till hemtjänsten", kommun_code="1780")
    _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska hemtjänst",
             kommun_code="1780")
    swedish = client.get(reverse("matching:need", args=[need.pk]))
    english = client.get(reverse("matching:need", args=[need.pk]), HTTP_ACCEPT_LANGUAGE="en")
    match = english.context["programmes"].all[0]
    assert all(reason["text_en"] in english.content.decode() for reason in match.reasons)
    assert all(reason["text"] in swedish.content.decode() for reason in match.reasons)
    assert not match.pending and match.fit.label_en in english.content.decode()
    assert match.fit.label in swedish.content.decode()


def test_a_score_waiting_for_its_vector_says_it_is_being_calculated_and_not_a_number(
        client, platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    page = client.get(reverse("matching:need", args=[need.pk]))
    assert all(m.pending for m in page.context["programmes"].all)
    body = page.content.decode()
    assert "Beräknas" in body and "sannolikt relevant" not in body


def test_match_links_are_refreshed_when_the_employer_changes_the_need(
        platform_matcher, employer_a, provider_a, settings, django_capture_on_commit_callbacks):
    settings.MATCHER_LINK_THRESHOLD = 0.05
    care = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska hemtjänst")
    it = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Mjukvaruutvecklare .NET",
                  ssyk4=("2512",))
    need = _encoded(django_capture_on_commit_callbacks, make_need, employer_a, title="Undersköterskor")
    assert MatchLink.objects.filter(need=need).first().programme == care
    with django_capture_on_commit_callbacks(execute=True):
        need_update(need=need, actor=admin_of(employer_a), title="Mjukvaruutvecklare inom .NET",
                    ssyk4=SsykGroup.objects.get(code="2512"))
    assert MatchLink.objects.filter(need=need).first().programme == it
    with django_capture_on_commit_callbacks(execute=True):
        from employers.services import need_set_status

        need_set_status(need=need, actor=admin_of(employer_a), status=Need.Status.FILLED)
    assert not MatchLink.objects.filter(need=need).exists()


def test_match_links_are_refreshed_when_a_programme_changes(
        platform_matcher, employer_a, provider_a, settings, django_capture_on_commit_callbacks):
    settings.MATCHER_LINK_THRESHOLD = 0.05
    need = _encoded(django_capture_on_commit_callbacks, make_need, employer_a, title="Undersköterskor")
    programme = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska")
    assert MatchLink.objects.filter(need=need, programme=programme).exists()
    with django_capture_on_commit_callbacks(execute=True):
        programme_update(programme=programme, actor=admin_of(provider_a), status=Programme.Status.WITHDRAWN)
    assert not MatchLink.objects.filter(programme=programme).exists()
    assert services.match_links_refresh() == MatchLink.objects.count()


def test_the_needs_of_a_programme_come_a_page_at_a_time(client, platform_matcher, employer_a, provider_a,
                                                        monkeypatch):
    monkeypatch.setattr(selectors, "NEEDS_PER_PAGE", 2)
    for i in range(5):
        make_need(employer_a, title=f"Undersköterskor {i}", kommun_code="1780")
    programme = make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    first = client.get(reverse("matching:programme", args=[programme.pk])).context["matches"]
    second = client.get(reverse("matching:programme", args=[programme.pk]), {"sida": 2}).context["matches"]
    assert len(first.groups.all) == len(second.groups.all) == 2
    assert not {m.target for m in first.groups.all} & {m.target for m in second.groups.all}
    assert first.total == 5
    assert client.get(reverse("matching:programme", args=[programme.pk]), {"sida": "x"}).status_code == 400
