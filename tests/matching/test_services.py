import pytest
from django.core.exceptions import PermissionDenied

from matching import selectors, services
from matching.models import MatchFeedback, MatchLink
from tests.factories import add_member, admin_of, make_need, make_programme, make_user

pytestmark = pytest.mark.django_db


def _order(user, need):
    return [m.target.name for m in selectors.matches_for_need(user, need, kind="programme").all]


def test_feedback_changes_the_ranking_after_a_refit(platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    owner = admin_of(employer_a)
    near = make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    far = make_programme(provider_a, name="Specialistundersköterska äldreomsorg", kommun_code="1880")
    before = _order(owner, need)
    assert before[0] == near.name
    services.match_feedback_set(user=owner, need=need, target=near, relevant=False)
    services.match_feedback_set(user=owner, need=need, target=far, relevant=True)
    count, _ = services.matcher_refit_from_feedback()
    assert count == 2
    assert _order(owner, need)[0] == far.name


def test_feedback_is_one_judgement_per_person_and_match(platform_matcher, employer_a, provider_a):
    need, programme = make_need(employer_a), make_programme(provider_a)
    owner = admin_of(employer_a)
    services.match_feedback_set(user=owner, need=need, target=programme, relevant=True)
    services.match_feedback_set(user=owner, need=need, target=programme, relevant=False)
    assert list(MatchFeedback.objects.values_list("relevant", flat=True)) == [False]


def test_the_employer_the_provider_and_the_coordinator_judge_a_match_but_outsiders_cannot(
        platform_matcher, employer_a, employer_b, provider_a, provider_b, region_a, region_b):
    need, programme = make_need(employer_a), make_programme(provider_a)
    for judge in (add_member(employer_a), add_member(provider_a), admin_of(region_a)):
        services.match_feedback_set(user=judge, need=need, target=programme, relevant=True)
    for outsider in (admin_of(employer_b), admin_of(provider_b), admin_of(region_b), make_user()):
        with pytest.raises(PermissionDenied):
            services.match_feedback_set(user=outsider, need=need, target=programme, relevant=False)
    assert MatchFeedback.objects.count() == 3


def test_nobody_judges_a_match_of_a_need_they_may_not_see(platform_matcher, employer_a, provider_a):
    need, programme = make_need(employer_a, visibility="aggregated"), make_programme(provider_a)
    with pytest.raises(PermissionDenied):
        services.match_feedback_set(user=admin_of(provider_a), need=need, target=programme, relevant=True)


def test_match_links_above_the_threshold_are_stored_and_replaced(platform_matcher, employer_a, provider_a, settings):
    settings.MATCHER_LINK_THRESHOLD = 0.01  # the small test matcher scores lower than the shipped one
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten", kommun_code="1780")
    make_programme(provider_a, name="Undersköterska hemtjänst", kommun_code="1780")
    make_programme(provider_a, name="Mjukvaruutvecklare .NET", ssyk4=("2512",))
    stored = services.match_links_refresh()
    links = list(MatchLink.objects.filter(need=need))
    assert stored == len(links) >= 1
    assert all(link.score >= 0.01 for link in links)
    assert links[0].programme.name == "Undersköterska hemtjänst" and links[0].reasons
    services.match_links_refresh()
    assert MatchLink.objects.filter(need=need).count() == len(links)
