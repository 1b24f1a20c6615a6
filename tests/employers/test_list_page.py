"""The needs list page: filters by name, the totals line that explains itself, cards on phones."""

import re

import pytest
from django.urls import reverse

from tests.factories import admin_of, make_need, make_organisation

pytestmark = pytest.mark.django_db


def _totals(response) -> str:
    html = response.content.decode()
    block = html.split('<div class="totals" role="status">')[1].split("</div>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def test_the_occupation_filter_offers_names_grouped_by_field_and_never_asks_for_a_code(client, taxonomy):
    html = client.get(reverse("employers:list")).content.decode()
    assert "SSYK-kod</label>" not in html and '<select name="ssyk"' in html
    assert '<optgroup label="Hälso- och sjukvård">' in html
    assert '<option value="2221">Grundutbildade sjuksköterskor</option>' in html


def test_a_dimensioning_link_with_a_four_digit_code_still_filters(client, employer_a):
    make_need(employer_a, title="Vård", ssyk4="5321")
    make_need(employer_a, title="El", ssyk4="7411")
    page = client.get(reverse("employers:list"), {"ssyk": "5321"})
    assert [n.title for n in page.context["page"].object_list] == ["Vård"]


def test_the_totals_line_says_which_rows_are_shown_and_why_hidden_needs_are_not_listed(client, taxonomy):
    employers = [make_organisation("employer", name=f"Arbetsgivare {i}") for i in range(3)]
    make_need(employers[0], title="Synligt", headcount=4)
    for employer in employers:
        make_need(employer, visibility="aggregated", headcount=2)
    lan = employers[0].kommun.lan_id
    text = _totals(client.get(reverse("employers:list"), {"lan": lan, "status": "active"}))
    assert "Visar 1–1 av det 1 behov som du får se." in text
    assert "Totalt 4 behov som gäller 10 personer hos 3 arbetsgivare matchar filtret." in text
    assert "3 av dem, för 6 personer, delas av sina arbetsgivare bara i sammanställningar" in text
    assert "Varför kan summan skilja sig från listan?" in text


def test_the_totals_line_says_a_search_counts_only_needs_one_may_see(client, taxonomy):
    employers = [make_organisation("employer") for _ in range(3)]
    make_need(employers[0], title="Undersköterskor")
    for employer in employers:
        make_need(employer, visibility="aggregated", title="Undersköterskor dolda")
    response = client.get(reverse("employers:list"), {"q": "undersköterska"})
    text = _totals(response)
    assert "Totalt 1 behov som gäller 3 personer hos 1 arbetsgivare matchar filtret." in text
    assert "räknar bara de behov som du får se" in text
    assert "dolda" not in response.content.decode()
    assert response.context["figure"].hidden_needs == 0


def test_the_totals_line_under_a_structured_filter_does_not_claim_to_count_only_visible_needs(client, employer_a):
    make_need(employer_a)
    text = _totals(client.get(reverse("employers:list"), {"status": "active"}))
    assert "räknar bara de behov som du får se" not in text


def test_the_totals_line_names_the_rows_of_the_current_page(client, employer_a):
    for i in range(27):
        make_need(employer_a, title=f"Behov {i:02}")
    text = _totals(client.get(reverse("employers:list"), {"sida": "2"}))
    assert "Visar 26–27 av de 27 behov som du får se." in text


def test_list_rows_label_their_cells_so_they_read_as_cards_on_a_phone(client, employer_a):
    make_need(employer_a)
    html = client.get(reverse("employers:list")).content.decode()
    assert '<table class="stack">' in html
    for label in ("Arbetsgivare", "Yrkesgrupp", "Personer", "Behövs senast", "Ort"):
        assert f'data-label="{label}"' in html


def test_the_main_menu_has_a_toggle_for_phones_that_works_without_javascript(client, employer_a):
    client.force_login(admin_of(employer_a))
    html = client.get(reverse("employers:list")).content.decode()
    assert '<button type="button" class="menu-toggle" aria-controls="site-menu" aria-expanded="true" hidden>' in html
    assert 'id="site-menu"' in html and "js/menu.js" in html


def test_the_other_filters_fold_away_until_one_of_them_is_used(client, employer_a):
    make_need(employer_a)
    folded = client.get(reverse("employers:list"), {"q": "", "status": "active"})
    assert '<details class="more-filters">' in folded.content.decode()
    assert 'name="q"' in folded.content.decode().split('<details class="more-filters">')[0]
    used = client.get(reverse("employers:list"), {"q": "", "status": "active", "purpose": "upskilling"})
    assert '<details class="more-filters" open>' in used.content.decode()
    invalid = client.get(reverse("employers:list"), {"ssyk": "9999"})
    assert invalid.status_code == 400 and '<details class="more-filters" open>' in invalid.content.decode()


def test_occupation_fields_and_groups_are_in_swedish_alphabetical_order(taxonomy):
    from matchplats.taxonomy.forms import SsykFilterField, swedish_order

    assert sorted(["Ödla", "Ärlig", "Åre", "Zebra"], key=swedish_order) == ["Zebra", "Åre", "Ärlig", "Ödla"]
    field_labels = [label for label, _options in list(SsykFilterField().choices)[1:]]
    assert field_labels == sorted(field_labels, key=swedish_order) and len(field_labels) > 10
