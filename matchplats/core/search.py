"""Search by word forms: the one rule for turning text into search terms and a query into a filter.

A searchable row keeps a *search document*, a text column of its stemmed terms written between
spaces (`` underskötersk hemtjänst 5321 ``), maintained by the services that write the row. A
query is stemmed the same way and every one of its terms must begin one of the document's terms,
so "undersköterska" finds "undersköterskor", "53" finds SSYK 5321 and "hemtj" finds
"hemtjänsten". The comparison is a plain ``LIKE '% term%'`` on lower-case text that Python
folded, so SQLite and PostgreSQL give the same results (neither database's case folding of å,
ä and ö is involved).

The stemmer is the Snowball project's Swedish stemmer (the ``snowballstemmer`` package), with one
ending added: the definite singular "-an" ("undersköterskan" → "underskötersk", like "-a" and "-or").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import snowballstemmer
from django.db.models import Q

WORD = re.compile(r"\w+")
MAX_QUERY_TERMS = 8
_swedish = snowballstemmer.stemmer("swedish")


def stem(word: str) -> str:
    """The Swedish Snowball stem of one lower-case word; words with digits stay as they are. The
    definite "-an" ("undersköterskan"), which Snowball keeps, is stemmed as "-a"."""
    if not word.isalpha():
        return word
    if word.endswith("an") and len(word) > 5:
        shorter = _swedish.stemWord(word[:-1])
        if shorter != word[:-1]:
            return shorter
    return _swedish.stemWord(word)


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


def refresh_search_documents(queryset, document_of, *, ids: Iterable[int] | None = None) -> int:
    """Rewrite the ``search_text`` of the rows of ``queryset`` (only those of ``ids`` when given)
    from ``document_of(row)``; returns how many documents changed."""
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    changed = []
    for row in queryset.order_by("pk").iterator(chunk_size=500):
        document = document_of(row)
        if document != row.search_text:
            row.search_text = document
            changed.append(row)
    queryset.model.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)
