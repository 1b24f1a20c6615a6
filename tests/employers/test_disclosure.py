"""The disclosure rule (docs/permissions.md): tries to recover a need one may not read through
the figures — free-text search, an organisation filter, a single-employer cell and the
programme match page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from employers.models import Need
from employers.selectors import NeedFilters, need_figure, need_figures
from matchplats.organisations.models import Organisation
from tests.factories import admin_of, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _employers(count: int, kommun_code: str = "1780") -> list[Organisation]:
    return [make_organisation(Organisation.Kind.EMPLOYER, name=f"Dold arbetsgivare {i}", kommun_code=kommun_code)
            for i in range(count)]


def _figure(user, **filters):
    from django.contrib.auth.models import AnonymousUser

    return need_figure(user or AnonymousUser(), NeedFilters(**filters), today=TODAY)


def test_a_hidden_part_from_three_employers_enters_a_structured_figure(taxonomy):
    for employer in _employers(3):
        make_need(employer, visibility="aggregated", headcount=4)
    figure = _figure(None, kommun=Need.objects.first().kommun_id)
    assert (figure.needs, figure.headcount, figure.employers) == (3, 12, 3)
    assert (figure.listed_needs, figure.hidden_needs, figure.hidden_headcount) == (0, 3, 12)
    assert not figure.suppressed


def test_a_hidden_part_from_two_employers_is_marked_without_numbers(taxonomy):
    public_employer, *hidden = _employers(3)
    make_need(public_employer, headcount=5)
    for employer in hidden:
        make_need(employer, visibility="aggregated", headcount=7)
    figure = _figure(None, lan=Need.objects.first().lan_id)
    assert (figure.needs, figure.headcount, figure.employers) == (1, 5, 1)
    assert figure.suppressed and figure.hidden_needs == 0 and figure.hidden_headcount == 0


def test_an_owner_sees_a_figure_over_their_own_needs_whole(taxonomy):
    (employer,) = _employers(1)
    make_need(employer, visibility="aggregated", headcount=7)
    figure = _figure(admin_of(employer))
    assert (figure.needs, figure.headcount, figure.employers, figure.suppressed) == (1, 7, 1, False)


def test_free_text_leaves_no_trace_of_hidden_needs_even_from_many_employers(taxonomy):
    for employer in _employers(4):
        make_need(employer, visibility="aggregated", title="Hemlig svetsare", headcount=2)
    figure = _figure(None, text="svetsare")
    assert figure == _figure(None, text="ingenting")
    assert (figure.needs, figure.suppressed) == (0, False)


def test_an_organisation_filter_leaves_no_trace_of_hidden_needs(taxonomy):
    employers = _employers(3)
    for employer in employers:
        make_need(employer, visibility="coordinators", headcount=2)
    figure = _figure(make_user(), organisation=employers[0].pk)
    assert (figure.needs, figure.headcount, figure.suppressed) == (0, 0, False)


def _page_without(content: str, word: str) -> str:
    content = content.replace(word, "ORDET")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def test_searching_for_a_word_found_only_in_a_hidden_need_gives_the_page_of_a_word_found_nowhere(client, taxonomy):
    """The attack that recovered a description letter by letter from the totals line."""
    for employer in _employers(3):
        make_need(employer, visibility="aggregated", title="Behov", headcount=7)
    Need.objects.update(description="Kvalificerad operatör av svetsrobotar sökes")
    public_employer = _employers(1)[0]
    make_need(public_employer, title="Snickare", headcount=2)
    found_in_hidden = client.get(reverse("employers:list"), {"q": "svetsrobot"}).content.decode()
    found_nowhere = client.get(reverse("employers:list"), {"q": "xyzqwvbnm"}).content.decode()
    assert _page_without(found_in_hidden, "svetsrobot") == _page_without(found_nowhere, "xyzqwvbnm")
    for prefix in ("s", "sv", "svetsr"):
        figure = client.get(reverse("employers:list"), {"q": prefix}).context["figure"]
        assert figure.hidden_needs == 0 and not figure.suppressed


def test_a_single_employers_hidden_need_cannot_be_read_from_a_kommun_cell(client, taxonomy):
    (hidden_employer,) = _employers(1, kommun_code="1784")  # Arvika
    make_need(hidden_employer, visibility="aggregated", headcount=13)
    kommun = Need.objects.get().kommun_id
    page = client.get(reverse("employers:list"), {"kommun": kommun, "status": "active"})
    figure = page.context["figure"]
    assert (figure.needs, figure.headcount, figure.employers) == (0, 0, 0)
    assert figure.suppressed
    text = page.content.decode()
    assert "13" not in re.sub(r"<[^>]+>", " ", text).split("Totalt")[-1].split("</p>")[0]
    assert "färre än 3 arbetsgivare" in text


def test_grouped_figures_release_only_the_cells_a_group_holds_whole(taxonomy):
    three = _employers(3, kommun_code="1780")
    one = _employers(1, kommun_code="1784")
    for employer in three + one:
        make_need(employer, visibility="aggregated", headcount=2)
    from django.contrib.auth.models import AnonymousUser

    by_kommun = need_figures(AnonymousUser(), Need.objects.all(), structured=True, today=dt.date.today(),
                             group_by=["kommun__code"])
    # The four needs are one cell (same occupation, län, purpose and half-year): a kommun holds
    # only part of it, so neither kommun shows it, or Karlstad minus the län would give Munkfors.
    assert (by_kommun[("1780",)].needs, by_kommun[("1780",)].suppressed) == (0, True)
    assert (by_kommun[("1784",)].needs, by_kommun[("1784",)].suppressed) == (0, True)
    by_lan = need_figures(AnonymousUser(), Need.objects.all(), structured=True, today=dt.date.today(),
                          group_by=["lan__code"])
    ((lan_figure),) = by_lan.values()
    assert (lan_figure.needs, lan_figure.headcount, lan_figure.employers, lan_figure.suppressed) == (4, 8, 4, False)


def test_the_programme_match_page_neither_lists_nor_counts_a_hidden_need_its_text_was_written_to_find(
        client, platform_matcher, provider_a):
    (hidden_employer,) = _employers(1)
    need = make_need(hidden_employer, visibility="aggregated", title="Hemligt nattbehov", headcount=9)
    Need.objects.filter(pk=need.pk).update(description="Undersköterskor till nattpatrull")
    probe = make_programme(provider_a, name="Undersköterskor till nattpatrull")
    client.force_login(admin_of(provider_a))
    response = client.get(reverse("matching:programme", args=[probe.pk]))
    assert [m.target for m in response.context["matches"].groups.all] == []
    hidden = response.context["hidden_demand"]
    assert (hidden.hidden_needs, hidden.hidden_headcount, hidden.suppressed) == (0, 0, True)
    text = response.content.decode()
    assert need.title not in text and "9 personer" not in text
    assert "färre än 3 arbetsgivare" in text


def test_the_programme_match_page_counts_hidden_demand_from_three_employers_by_occupation_and_county(
        client, platform_matcher, provider_a):
    for employer in _employers(3):
        make_need(employer, visibility="aggregated", headcount=4)
    programme = make_programme(provider_a, name="Undersköterska, äldreomsorg")
    client.force_login(admin_of(provider_a))
    hidden = client.get(reverse("matching:programme", args=[programme.pk])).context["hidden_demand"]
    assert (hidden.hidden_needs, hidden.hidden_headcount, hidden.suppressed) == (3, 12, False)


def test_the_programme_match_page_leaves_lapsed_needs_out_of_hidden_demand(client, platform_matcher, provider_a):
    employers = _employers(4)
    for employer in employers:
        make_need(employer, visibility="aggregated", headcount=4)
    lapsed = Need.objects.get(organisation=employers[0])
    Need.objects.filter(pk=lapsed.pk).update(valid_until=dt.date.today() - dt.timedelta(days=60))
    programme = make_programme(provider_a, name="Undersköterska, äldreomsorg")
    client.force_login(admin_of(provider_a))
    hidden = client.get(reverse("matching:programme", args=[programme.pk])).context["hidden_demand"]
    assert (hidden.hidden_needs, hidden.hidden_headcount, hidden.suppressed) == (3, 12, False)


def test_a_figure_over_several_half_years_adds_only_their_released_cells_as_dimensioning_does(taxonomy):
    from django.contrib.auth.models import AnonymousUser

    from matching.dimensioning import DimensioningFilters, dimensioning_table

    needs = [make_need(employer, visibility="aggregated", headcount=headcount)
             for employer, headcount in zip(_employers(4), (2, 2, 2, 5))]
    Need.objects.filter(pk__in=[n.pk for n in needs[:3]]).update(needed_by=dt.date(2028, 3, 1))
    Need.objects.filter(pk=needs[3].pk).update(needed_by=dt.date(2028, 9, 1))
    # Four employers in the län and occupation, but the fourth is alone in its half-year: the
    # needs list's total must not hold it, or it minus the dimensioning figure would give its 5.
    figure = _figure(None, lan=needs[0].lan_id, ssyk="5321")
    assert (figure.hidden_needs, figure.hidden_headcount, figure.suppressed) == (3, 6, True)
    table = dimensioning_table(user=AnonymousUser(), filters=DimensioningFilters(lan=needs[0].lan.code, horizon="3-5y"),
                               today=TODAY)
    (row,) = [row for row in table.rows if row.ssyk4_code == "5321"]
    assert (row.demand, row.suppressed) == (figure.headcount, True)
