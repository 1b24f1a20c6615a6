from django.utils import translation

from employers.models import Need
from matchplats.core.history import EMPTY, Change, describe_changes, lookup_formatter, plain_value
from providers.models import Programme


def test_a_change_is_told_with_the_fields_label_and_its_choices_labels_in_the_models_order():
    lines = describe_changes(Need, {"status": ["active", "filled"], "horizon": ["1y", "1-3y"], "headcount": [12, 15]})
    assert lines == [Change(label="How many people", old="12", new="15"),
                     Change(label="When", old="Within 1 year", new="1–3 years"),
                     Change(label="Status", old="Active", new="Filled")]


def test_booleans_and_empty_values_are_told_in_words():
    lines = describe_changes(Need, {"description": ["", "Ny text"], "kommun": [None, "Karlstad"],
                                    "validation_accepted": [False, True]})
    assert [(line.old, line.new) for line in lines] == [(EMPTY, "Ny text"), (EMPTY, "Karlstad"), ("No", "Yes")]


def test_the_words_follow_the_language_of_the_reader():
    with translation.override("sv"):
        (line,) = describe_changes(Need, {"validation_accepted": [False, True]})
    assert (line.old, line.new) == ("Nej", "Ja")


def test_a_set_is_told_as_what_was_added_and_removed_not_as_two_lists():
    (line,) = describe_changes(Need, {"skills": [["Afasi", "Dysfagi"], ["Dysfagi", "Förflyttningsteknik"]]},
                               set_like=["skills"])
    assert line == Change(label="Required skills", added=["Förflyttningsteknik"], removed=["Afasi"])
    assert line.is_set


def test_a_set_change_that_only_reorders_tells_nothing():
    assert describe_changes(Need, {"skills": [["A", "B"], ["B", "A"]]}, set_like=["skills"]) == []


def test_codes_in_a_set_are_told_by_their_labels_looked_up_once():
    calls = []

    def labels():
        calls.append(1)
        return {"1780": "Karlstad", "1784": "Arvika"}

    (line,) = describe_changes(Programme, {"kommuner": [["1780"], ["1780", "1784", "9999"]]},
                               formatters={"kommuner": lookup_formatter(labels)}, set_like=["kommuner"])
    assert line == Change(label="Municipalities", added=["Arvika", "9999"], removed=[])
    assert calls == [1]


def test_keys_that_are_not_fields_take_the_given_label_and_malformed_changes_are_skipped():
    lines = describe_changes(Programme, {"intakes": [[], ["x"]], "name": "not a pair", "odd_key": [1, 2]},
                             labels={"intakes": "Intakes"})
    assert lines == [Change(label="Intakes", old=EMPTY, new="x"), Change(label="Odd key", old="1", new="2")]


def test_plain_values_group_large_numbers_and_join_lists():
    assert plain_value(1200) == "1,200"
    assert plain_value(["a", "b"]) == "a, b"
    assert plain_value([]) == EMPTY
