from matching.engine.text import (
    MAX_TEXT_CHARS,
    mask_phrase,
    normalise,
    place_set,
    stem,
    strip_noise,
    tokens,
)


def test_stemmer_gives_plural_and_singular_underskoterska_the_same_stem():
    assert stem("undersköterskor") == stem("undersköterska")
    assert stem("ingenjörer") == stem("ingenjör")


def test_strip_noise_drops_ad_words_numbers_and_kommun_names():
    text = "Vi söker 12 undersköterskor till hemtjänsten i Karlstads kommun"
    assert strip_noise(text, place_set(["Karlstad"])) == "undersköterskor hemtjänsten"


def test_strip_noise_keeps_a_title_made_only_of_noise_words():
    assert strip_noise("Vi söker") == "vi söker"


def test_normalise_truncates_very_long_text_and_splits_compound_punctuation():
    assert normalise("CNC-operatör/Maskinställare") == "cnc operatör maskinställare"
    assert len(normalise("a" * (MAX_TEXT_CHARS * 3))) == MAX_TEXT_CHARS


def test_tokens_are_stemmed_content_words_without_numbers():
    assert tokens(normalise("12 lärare i svenska")) == ["lär", "svensk"]


def test_mask_phrase_removes_whole_words_only():
    assert mask_phrase("Kemister och kemist, analys", "kemist").split() == ["Kemister", "och", ",", "analys"]
