"""Search by word forms: the one rule for turning text into search terms and a query into a filter.

A searchable row keeps a *search document*, a text column of its stemmed terms written between
spaces (`` underskötersk hemtjänst 5321 ``), maintained by the services that write the row. A
query is stemmed the same way and every one of its terms must begin one of the document's terms,
so "undersköterska" finds "undersköterskor", "53" finds SSYK 5321 and "hemtj" finds
"hemtjänsten". The comparison is a plain ``LIKE '% term%'`` on lower-case text that Python
folded, so SQLite and PostgreSQL give the same results (neither database's case folding of å,
ä and ö is involved).

The stemmer is the Snowball algorithm for Swedish (snowballstem.org/algorithms/swedish), with one
ending added: the definite singular "-an" ("undersköterskan" → "underskötersk", like "-a" and "-or").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

VOWELS = frozenset("aeiouyäåö")
S_ENDING = frozenset("bcdfghjklmnoprtvy")
STEP1_SUFFIXES = sorted(
    "a an arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or as arnas ernas "
    "ornas es ades andes ens arens hetens erns at andet het ast".split(),
    key=len, reverse=True,
)
STEP2_SUFFIXES = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
STEP3_SUFFIXES = (("fullt", "full"), ("löst", "lös"), ("lig", ""), ("els", ""), ("ig", ""))
WORD = re.compile(r"\w+")
MAX_QUERY_TERMS = 8


def _r1(word: str) -> int:
    """Start of the region after the first non-vowel that follows a vowel, at least 3 letters in."""
    for i in range(1, len(word)):
        if word[i] not in VOWELS and word[i - 1] in VOWELS:
            return max(i + 1, 3)
    return len(word)


def stem(word: str) -> str:
    """The Swedish Snowball stem of one lower-case word; words with digits stay as they are."""
    if not word.isalpha():
        return word
    r1 = _r1(word)
    for suffix in STEP1_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in S_ENDING:
            word = word[:-1]
    if any(word.endswith(s) and len(word) - 2 >= r1 for s in STEP2_SUFFIXES):
        word = word[:-1]
    for suffix, replacement in STEP3_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)] + replacement
            break
    return word


def search_terms(text: str) -> list[str]:
    """The stemmed terms of ``text`` in order, each once (words split on anything not a letter or digit)."""
    terms: dict[str, None] = {}
    for word in WORD.findall(text.casefold().replace("_", " ")):
        terms.setdefault(stem(word), None)
    return list(terms)


def search_document(texts: Iterable[str | None]) -> str:
    """The search document of a row whose searchable texts are ``texts`` (None and "" skipped)."""
    terms: dict[str, None] = {}
    for text in texts:
        for term in search_terms(text or ""):
            terms.setdefault(term, None)
    return f" {' '.join(terms)} " if terms else ""


def search_q(query: str, *fields: str) -> Q:
    """Rows where every term of ``query`` begins a term of at least one of the document ``fields``
    (e.g. the row's own document and its organisation's); a single letter ("Arbetsgivare A") must be
    a whole term, or it would begin half the words. An empty query matches every row."""
    q = Q()
    for term in search_terms(query)[:MAX_QUERY_TERMS]:
        pattern = f" {term} " if len(term) == 1 and term.isalpha() else f" {term}"
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__contains": pattern})
        q &= any_field
    return q
