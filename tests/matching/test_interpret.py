import pytest
from django.urls import reverse

from matching.interpret import interpret_need_text, short_title

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "title"), [
    ("Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år",
     "Undersköterskor till hemtjänsten i Karlstad"),
    ("Vi söker tre svetsare till verkstaden i Kiruna, gärna med B-körkort", "Svetsare till verkstaden i Kiruna"),
    ("Behöver ca 5 lastbilschaufförer omgående. De ska köra timmer.", "Lastbilschaufförer"),
    ("Elektriker", "Elektriker"),
])
def test_a_short_title_is_the_first_clause_without_lead_in_number_and_time(text, title):
    assert short_title(text) == title


def test_a_long_sentence_gives_a_title_cut_at_a_word_within_eighty_characters():
    title = short_title("Vi behöver " + "mycket erfarna och noggranna " * 6 + "snickare")
    assert len(title) <= 80 and not title.endswith(" ") and title.startswith("Mycket erfarna")



@pytest.mark.parametrize(("text", "unread"), [
    ("Vi behöver 4 snickare om ett par år", "om ett par år"),
    ("Två svetsare till Kiruna nästa vår", "nästa vår"),
    ("Sjuksköterskor på sikt", "på sikt"),
    ("Tio elektriker till 2028", "till 2028"),
])
def test_a_horizon_that_cannot_be_read_is_flagged_not_guessed(platform_matcher, text, unread):
    reading = interpret_need_text(text)
    assert reading.horizon is None
    assert reading.unread_horizon == unread


def test_a_horizon_that_is_read_is_not_flagged(platform_matcher):
    reading = interpret_need_text("Vi behöver 12 undersköterskor i Karlstad inom ett år")
    assert (reading.horizon, reading.unread_horizon) == ("1y", "")


def test_the_suggestion_asks_for_the_time_it_could_not_read_and_offers_the_short_title(client, platform_matcher):
    response = client.get(reverse("matching:interpret"),
                          {"beskrivning": "Vi behöver 12 undersköterskor till hemtjänsten i Karlstad om ett par år"})
    body = response.content.decode()
    assert "om ett par år" in body and 'data-horizon-unread="1"' in body and 'data-horizon=""' in body
    assert 'data-title="Undersköterskor till hemtjänsten i Karlstad"' in body
