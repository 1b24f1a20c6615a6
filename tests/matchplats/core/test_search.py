"""The search rule: Swedish word forms reduce to one stem; a query's terms must begin a document's terms."""

import pytest

from matchplats.core.search import MAX_QUERY_TERMS, search_document, search_q, search_terms, stem


@pytest.mark.parametrize("forms", [
    ("undersköterska", "undersköterskor", "undersköterskorna", "undersköterskan"),
    ("sjuksköterska", "sjuksköterskor", "sjuksköterskorna"),
    ("elektriker", "elektrikern", "elektrikerna"),
    ("lärare", "lärarna", "läraren"),
    ("hemtjänst", "hemtjänsten"),
    ("kommun", "kommuner", "kommunerna"),
])
def test_the_word_forms_of_a_swedish_noun_share_one_stem(forms):
    assert len({stem(word) for word in forms}) == 1


def test_numbers_and_codes_are_kept_as_they_are():
    assert stem("5321") == "5321"
    assert search_terms("SSYK 5321, SUN 723a") == ["ssyk", "5321", "sun", "723a"]


def test_a_short_word_is_not_cut_below_three_letters():
    assert stem("el") == "el"
    assert stem("ras") == "ras"


def test_terms_are_folded_to_lower_case_including_swedish_letters():
    assert search_terms("ÖREBRO Älvdalen ÅRE") == [stem("örebro"), stem("älvdalen"), stem("åre")]


def test_a_document_holds_each_term_once_between_spaces():
    document = search_document(["Undersköterskor till hemtjänsten", None, "", "undersköterska"])
    assert document == " underskötersk till hemtjänst "


def test_an_empty_document_is_empty():
    assert search_document(["", None, "  ,  "]) == ""


def test_a_query_asks_that_each_term_begins_a_term_of_some_field():
    q = search_q("Undersköterskor 53", "search_text", "organisation__search_text")
    assert str(q) == str(search_q("undersköterska 53", "search_text", "organisation__search_text"))
    assert "(OR: ('search_text__contains', ' underskötersk'), ('organisation__search_text__contains', " \
           "' underskötersk'))" in str(q)
    assert "('search_text__contains', ' 53')" in str(q)


def test_an_empty_query_matches_everything():
    assert not search_q("  ", "search_text")


def test_a_very_long_query_uses_only_its_first_terms():
    q = search_q(" ".join(f"ord{i}" for i in range(50)), "search_text")
    assert len(q.children) == MAX_QUERY_TERMS


def test_a_single_letter_must_be_a_whole_term_while_a_digit_begins_codes():
    assert "('search_text__contains', ' a ')" in str(search_q("Arbetsgivare A", "search_text"))
    assert "('search_text__contains', ' 5')" in str(search_q("5", "search_text"))
