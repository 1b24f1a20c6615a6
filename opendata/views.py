"""The open data pages and files (``/oppna-data/``), for everyone, signed in or not. They only
read what ``publish_open_data`` stored: a GET computes no figures and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from matchplats.core import terms
from matchplats.taxonomy.models import Lan
from opendata.dictionary import COLUMNS, FILE_STEMS, TITLES, TYPES
from opendata.files import checksum, file_name, snapshot_csv, snapshot_json
from opendata.models import OpenDataSnapshot
from opendata.selectors import month_label, parse_month, published_index, published_months, published_snapshot

Kind = OpenDataSnapshot.Kind
URL_NAMES = {(Kind.DEMAND_SUPPLY, "csv"): "opendata:demand_supply_csv",
             (Kind.DEMAND_SUPPLY, "json"): "opendata:demand_supply_json",
             (Kind.DECISIONS, "csv"): "opendata:decisions_csv", (Kind.DECISIONS, "json"): "opendata:decisions_json"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_AGE = 3600
"""Seconds a file may be cached: a month's files change only if they are replaced during the month after it."""


def file_url(snapshot: OpenDataSnapshot, file_format: str) -> str:
    return reverse(URL_NAMES[(snapshot.kind, file_format)], args=[snapshot.lan.code, month_label(snapshot.month)])


def _licence() -> dict:
    return {"licence_name": terms.OPEN_DATA_LICENCE_NAME, "licence_url": terms.OPEN_DATA_LICENCE_URL}


@require_safe
def index(request):
    return render(request, "opendata/index.html", {"counties": published_index(), **_licence()})


@dataclass(frozen=True)
class FileLink:
    snapshot: OpenDataSnapshot
    title: str
    csv_url: str
    json_url: str


def file_title(kind: str) -> str:
    """A file's title in the language of the page: the files themselves carry both."""
    title_sv, title_en = TITLES[kind]
    return title_sv if get_language() == "sv" else title_en


@require_safe
def lan_page(request, lan_code: str):
    lan = get_object_or_404(Lan, code=lan_code)
    months = [(published, [FileLink(snapshot=s, title=file_title(s.kind), csv_url=file_url(s, "csv"),
                                    json_url=file_url(s, "json")) for s in published.files])
              for published in published_months(lan=lan)]
    return render(request, "opendata/lan.html", {"lan": lan, "months": months, **_licence()})


@require_safe
def dictionary(request):
    files = [{"kind": kind, "stem": FILE_STEMS[kind], "title_sv": TITLES[kind][0], "title_en": TITLES[kind][1],
              "columns": [(column, TYPES[column.type]) for column in columns]} for kind, columns in COLUMNS.items()]
    return render(request, "opendata/dictionary.html", {"files": files, **_licence()})


@require_safe
def snapshot_file(request, lan_code: str, month: str, kind: str, file_format: str):
    try:
        month_start = parse_month(month)
    except ValueError:
        raise Http404 from None
    snapshot = published_snapshot(lan_code=lan_code, month=month_start, kind=kind)
    if snapshot is None:
        raise Http404
    if file_format == "csv":
        body = snapshot_csv(snapshot)
    else:
        body = snapshot_json(snapshot, dictionary_url=request.build_absolute_uri(reverse("opendata:dictionary")),
                             csv_url=request.build_absolute_uri(file_url(snapshot, "csv")))
    etag = f'"{checksum(body)}"'
    last_modified = int(snapshot.generated_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
        disposition = "attachment" if file_format == "csv" else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{file_name(snapshot, file_format)}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
