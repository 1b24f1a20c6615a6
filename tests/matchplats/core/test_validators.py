import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from matchplats.core.validators import luhn_valid, normalise_organisation_number, validate_organisation_number


@pytest.mark.parametrize("typed", ["556012-5790", "5560125790", "16556012-5790", "165560125790", " 556012 - 5790 "])
def test_an_organisation_number_in_any_accepted_form_is_stored_as_ten_digits_with_a_hyphen(typed):
    assert normalise_organisation_number(typed) == "556012-5790"


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_organisation_number_stays_empty(typed):
    assert normalise_organisation_number(typed) == ""


@pytest.mark.parametrize("typed", ["12345", "556012-579", "55601257901", "556012_5790", "5560125790x", "AB556012-5790",
                                   "19556012-5790", "20556012-5790", "556-0125790", "１２３４５６-７８９０"])
def test_an_organisation_number_of_the_wrong_form_is_refused_with_the_expected_form(typed):
    with pytest.raises(ValidationError) as raised:
        normalise_organisation_number(typed)
    assert raised.value.error_list[0].code == "organisation_number_format"
    assert "NNNNNN-NNNN" in raised.value.messages[0]


@pytest.mark.parametrize("typed", ["556012-5791", "5560125799", "16556012-5780", "556021-5790"])
def test_an_organisation_number_whose_check_digit_does_not_match_is_refused(typed):
    with pytest.raises(ValidationError) as raised:
        normalise_organisation_number(typed)
    assert raised.value.error_list[0].code == "organisation_number_check_digit"


def test_the_errors_read_in_swedish_for_a_swedish_user():
    with pytest.raises(ValidationError) as wrong_form:
        normalise_organisation_number("12345")
    with pytest.raises(ValidationError) as wrong_digit:
        normalise_organisation_number("556012-5791")
    with translation.override("sv"):
        assert wrong_form.value.messages == ["”12345” är inget organisationsnummer: skriv tio siffror som NNNNNN-NNNN "
                                             "(eller tolv siffror som börjar med 16)."]
        assert wrong_digit.value.messages == ["Kontrollsiffran i 556012-5791 stämmer inte; kontrollera att "
                                              "organisationsnumret är rätt skrivet."]


@pytest.mark.parametrize(("digits", "valid"), [("5560125790", True), ("2120000142", True), ("5560125791", False),
                                               ("0", True), ("18", True), ("19", False)])
def test_the_luhn_check_accepts_exactly_the_numbers_whose_last_digit_checks_the_others(digits, valid):
    assert luhn_valid(digits) is valid


def test_the_model_validator_accepts_only_the_stored_form():
    validate_organisation_number("")
    validate_organisation_number("556012-5790")
    for value in ["5560125790", "556012-5791"]:
        with pytest.raises(ValidationError):
            validate_organisation_number(value)
