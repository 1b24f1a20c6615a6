"""The open data files as bytes: CSV (as every export: ``matchplats.core.exports.csv_bytes``,
semicolons, UTF-8 with BOM, formulas neutralised) and JSON (metadata and rows). Both are written
from the stored columns and rows only, so a published file is the same on every request."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from django.conf import settings

from matchplats.core import terms
from matchplats.core.exports import csv_bytes
from opendata.dictionary import FILE_STEMS, TITLES
from opendata.models import OpenDataSnapshot
from opendata.selectors import month_label, snapshot_content

SOURCES = [
    {"name": "Matchplats", "licence": terms.OPEN_DATA_LICENCE_SPDX,
     "sv": "Matchplats egna aggregat av de kompetensbehov och utbildningar som organisationer har registrerat, "
           "efter röjandekontroll.",
     "en": "Matchplats' own aggregates of the competence needs and programmes organisations have registered, "
           "after disclosure control."},
    {"name": "Arbetsförmedlingen, SCB",
     "sv": "Koder och benämningar för yrken, yrkesområden och län kommer från Arbetsförmedlingens taxonomi (JobTech) "
           "och SCB. Arbetsförmedlingens Yrkesbarometer och antal platsannonser, som Matchplats visar bredvid sina "
           "siffror, ingår inte i filerna och omfattas inte av licensen: hämta dem från Arbetsförmedlingen "
           "(jobtechdev.se, arbetsformedlingen.se).",
     "en": "Codes and names of occupations, occupation fields and counties come from Arbetsförmedlingen's taxonomy "
           "(JobTech) and SCB. Arbetsförmedlingen's Yrkesbarometer and job-ad counts, which Matchplats shows beside "
           "its figures, are not in the files and not covered by the licence: obtain them from Arbetsförmedlingen "
           "(jobtechdev.se, arbetsformedlingen.se)."},
]


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def rows_csv(*, columns: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    return csv_bytes(header=columns, rows=([_cell(value) for value in row] for row in rows))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_name(snapshot: OpenDataSnapshot, file_format: str) -> str:
    return f"{FILE_STEMS[snapshot.kind]}-{snapshot.lan.code}-{month_label(snapshot.month)}.{file_format}"


def snapshot_csv(snapshot: OpenDataSnapshot) -> bytes:
    content = snapshot_content(snapshot)
    return rows_csv(columns=content.columns, rows=content.rows)


def snapshot_json(snapshot: OpenDataSnapshot, *, dictionary_url: str, csv_url: str) -> bytes:
    content = snapshot_content(snapshot)
    title_sv, title_en = TITLES[snapshot.kind]
    document = {
        "title": {"sv": title_sv, "en": title_en},
        "lan": {"code": snapshot.lan.code, "name": snapshot.lan.label},
        "month": month_label(snapshot.month),
        "as_of": snapshot.as_of.isoformat(),
        "generated_at": snapshot.generated_at.isoformat(),
        "publisher": settings.SERVICE_OPERATOR,
        "licence": {"name": terms.OPEN_DATA_LICENCE_NAME, "spdx": terms.OPEN_DATA_LICENCE_SPDX,
                    "url": terms.OPEN_DATA_LICENCE_URL,
                    "attribution": f"Matchplats, {settings.SERVICE_OPERATOR}"},
        "sources": SOURCES,
        "dictionary": dictionary_url,
        "csv": {"url": csv_url, "sha256": snapshot.checksum},
        "row_count": snapshot.row_count,
        "columns": content.columns,
        "rows": [dict(zip(content.columns, row)) for row in content.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
