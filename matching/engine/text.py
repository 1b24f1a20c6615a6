"""Text normalisation for Swedish occupation, need and programme texts.

Everything that turns raw text into comparable strings lives here, so the occupation coder,
the education coder and the ranker normalise identically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MAX_TEXT_CHARS = 2000
"""Longer inputs are truncated: the first part of an ad or need carries the occupation."""

_SEPARATORS = re.compile(r"[/\\\-–—_,;:()\[\]{}\"'`´|+*&.!?•·]+")
_NUMBER = re.compile(r"\b\d+([.,]\d+)?\b")
_TOKEN = re.compile(r"[0-9a-zåäöéüæø]+")
_SPACES = re.compile(r"\s+")

STOPWORDS = frozenset(
    """
    och i på för till med som av en ett att den det de vi du ni er oss man om från hos vid
    inom under över mot eller samt men så är var blir bli har hade kan ska skall vill
    behöver behov söker sökes söka anställa anställer rekrytera rekryterar rekrytering
    nya ny nytt erfaren erfarna erfarenhet duktig duktiga driven drivna st stycken personer
    person antal flera några många snarast omgående direkt år året månader veckor
    heltid deltid tillsvidare visstid sommar sommarjobb vikariat vikarie
    kommun kommunen region regionen län länet tjänst tjänsten tjänster jobb jobbet
    """.split()
)
"""Words typical of ads and need statements that say nothing about the occupation."""

_R1_VOWELS = frozenset("aeiouyäåö")
_STEP1_SUFFIXES = sorted(
    """
    heterna hetens anden heten heter arnas ernas ornas andes arens andet arna erna orna ande
    arne aste aren ades erns ade are ern ens het ast ad en ar er or as es at a e
    """.split(),
    key=len,
    reverse=True,
)
_S_ENDING_LETTERS = frozenset("bcdfghjklmnoprtvy")
_STEP2_PAIRS = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
_STEP3_SUFFIXES = ("fullt", "löst", "lig", "els", "ig")


def normalise(text: str) -> str:
    """Lower-case, NFKC-fold, replace punctuation by spaces, collapse whitespace, truncate."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_TEXT_CHARS].lower()
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _r1_start(word: str) -> int:
    for i in range(1, len(word)):
        if word[i - 1] in _R1_VOWELS and word[i] not in _R1_VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Swedish stemmer: undersköterskor and undersköterska both become underskötersk."""
    r1 = _r1_start(word)
    for suffix in _STEP1_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and word[-2:-1] in _S_ENDING_LETTERS:
            word = word[:-1]
    if any(word.endswith(pair) and len(word) - 2 >= r1 for pair in _STEP2_PAIRS):
        word = word[:-1]
    for suffix in _STEP3_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[:-1] if suffix in ("fullt", "löst") else word[: -len(suffix)]
            break
    return word


def tokens(text: str) -> list[str]:
    """Stemmed content words of an already normalised text (no stopwords, no numbers)."""
    return [
        stem(token)
        for token in _TOKEN.findall(text)
        if token not in STOPWORDS and not token.isdigit() and len(token) > 1
    ]


def place_set(names: Iterable[str]) -> frozenset[str]:
    """Normalised place names, prepared once for :func:`strip_noise`."""
    return frozenset(normalise(name) for name in names)


def strip_noise(text: str, places: frozenset[str] = frozenset()) -> str:
    """Normalise a need or ad text and drop numbers, stopwords and places (see :func:`place_set`).

    "Vi söker 12 undersköterskor till hemtjänsten i Karlstad" becomes
    "undersköterskor hemtjänsten". If nothing is left the normalised text is returned, so a
    title made only of noise words still has a representation.
    """
    clean = _NUMBER.sub(" ", normalise(text))
    words = clean.split()
    if places:
        words = _drop_places(words, places)
    kept = [w for w in words if w not in STOPWORDS and len(w) > 1]
    return " ".join(kept) if kept else normalise(text)


def _drop_places(words: list[str], places: frozenset[str]) -> list[str]:
    max_len = max((len(p.split()) for p in places), default=1)
    kept: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(max_len, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            if phrase in places or (phrase.endswith("s") and phrase[:-1] in places):
                i += n
                break
        else:
            kept.append(words[i])
            i += 1
    return kept


def mask_phrase(text: str, phrase: str) -> str:
    """Remove whole-word occurrences of ``phrase`` (case-insensitive) from ``text``."""
    if not phrase.strip():
        return text
    pattern = r"(?<![0-9a-zåäöéü])" + re.escape(phrase.strip()) + r"(?![0-9a-zåäöéü])"
    return re.sub(pattern, " ", text, flags=re.IGNORECASE)
