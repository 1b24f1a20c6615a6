"""Importing programmes from files: MYH application-round lists and the generic template.

``programme_import_file`` reads a file (and, for MYH lists, optionally the per-kommun file),
validates every row, works out in memory what would be created, updated or left unchanged,
and — unless it is a dry run — writes all of it in one transaction with bulk queries. Nothing
is written when any row is wrong. docs/imports.md documents both layouts and the rules.

Two ways to call it:
- for one provider (``organisation`` given): the actor must be allowed to act for it, every row
  must be that provider's, and no organisation is created (the upload page);
- for any providers (``organisation`` None): the command line (``actor`` None) or platform staff;
  providers are matched by normalised name and created when unknown.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.core.import_plans import CREATE, RowPlan, diff_fields, diff_links, word_lookup, word_map
from matchplats.core.importing import (
    LIST_SEPARATOR_OUT,
    Cells,
    ErrorCollector,
    ImportFileError,
    ImportResult,
    Table,
    check_columns,
    chunked,
    column_key,
    display_organisation_name,
    file_error,
    json_value,
    normalise_choice,
    organisation_name_key,
    parse_date,
    read_table,
    yes_no,
)
from matchplats.core.params import is_plain_number
from matchplats.core.purposes import programme_purpose
from matchplats.organisations.models import Organisation
from matchplats.organisations.services import organisation_check_imported
from matchplats.taxonomy.models import Kommun, SsykGroup, SunField
from providers.models import Intake, MyhCaseConflict, Programme
from providers.services import MyhClaim, myh_case_conflicts_record, myh_derived_intakes, programme_import_rows

LAYOUT_MYH = "myh"
LAYOUT_GENERIC = "generic"

MYH_PLACE_COLUMNS = [f"beviljade_platser_omg{i}" for i in range(1, 6)]
MYH_COLUMNS = [
    "ansokningsomgang", "diarienummer", "utbildningsnamn", "utbildningsomrade", "sun5_kod", "sun5_namn",
    "beslut", "beslut_original", "lan", "kommun", "kommunkod", "flera_kommuner", "antal_kommuner", "antal_lan",
    "yh_poang", "studieform", "studietakt_procent", "examenstyp", "seqf_niva", "smalt_yrkesomrade", "anordnare",
    "huvudmannatyp", "sokta_utbildningsomgangar", "beviljade_utbildningsomgangar", "sokta_platser_per_omgang",
    "sokta_platser_totalt", *MYH_PLACE_COLUMNS, "beviljade_platser_totalt", "places_source", "source_file",
    "source_sheet",
]
MYH_REQUIRED = ["ansokningsomgang", "diarienummer", "utbildningsnamn", "beslut", "anordnare", "kommun", "kommunkod"]
MUNICIPALITY_COLUMNS = [
    "ansokningsomgang", "diarienummer", "utbildningsnamn", "lan", "kommun", "kommunkod", "antal_kommuner",
    "sokta_platser_per_omgang", "sokta_platser_totalt", "beviljade_platser_totalt", "source_file", "source_sheet",
]
MUNICIPALITY_REQUIRED = ["diarienummer", "kommunkod"]

# One column set for the programme template, the programme export and the generic import:
# (column, Swedish header); the import reads a column by either name. "id" is the Matchplats id
# the export writes (a row with it updates exactly that programme); "places" is written by the
# export and ignored by the import (read-only). Derived intakes are exported with a trailing
# "*" and skipped by the template import, which manages only its own intakes.
PROGRAMME_TABLE = [
    ("id", "ID"), ("provider", "Anordnare"), ("diarienummer", "Diarienummer"), ("name", "Namn"),
    ("form", "Utbildningsform"), ("status", "Status"), ("purpose", "Syfte"), ("description", "Beskrivning"),
    ("education_area", "Utbildningsområde"), ("sun_code", "SUN-kod"), ("ssyk4", "SSYK"),
    ("seqf_level", "SeQF-nivå"), ("length_weeks", "Längd i veckor"), ("yh_points", "YH-poäng"),
    ("pace_percent", "Studietakt i procent"), ("language", "Språk"), ("language_integrated", "Språkintegrerad"),
    ("kommuner", "Kommuner"), ("distance", "Distans"), ("accessibility_notes", "Tillgänglighet"),
    ("application_round", "Ansökningsomgång"), ("intakes", "Intag"), ("places", "Platser"),
]
GENERIC_COLUMNS = [column for column, _header in PROGRAMME_TABLE]
PROGRAMME_HEADERS = [header for _column, header in PROGRAMME_TABLE]
GENERIC_REQUIRED = ["name", "form"]
GENERIC_ALIASES = {"reference": "diarienummer", "myh_diarienummer": "diarienummer", "sun": "sun_code",
                   "target_occupations": "ssyk4", "kommun": "kommuner", "ssyk": "ssyk4", "target_ssyk4": "ssyk4",
                   **{column_key(header): column for column, header in PROGRAMME_TABLE}}
DERIVED_MARK = "*"

S = Programme.Status
F = Programme.Form
DECISIONS = {"beviljad": S.GRANTED, "avslag": S.REJECTED, "ej beviljad": S.REJECTED,
             "återkallad": S.WITHDRAWN, "aterkallad": S.WITHDRAWN}
FORMS = {
    **{value: value for value in F.values},
    "yrkeshögskola": F.YH, "yrkeshogskola": F.YH, "komvux": F.YRKESVUX, "regional yrkesvux": F.YRKESVUX,
    "högskola": F.HOGSKOLA, "universitet": F.HOGSKOLA, "university": F.HOGSKOLA, "folkhögskola": F.FOLKHOGSKOLA,
    "uppdragsutbildning": F.UPPDRAG, "contract": F.UPPDRAG, "annan": F.OTHER, "övrigt": F.OTHER,
}
STATUSES = {
    **{value: value for value in S.values},
    "planerad": S.PLANNED, "ansökt": S.APPLIED, "sökt": S.APPLIED, "beviljad": S.GRANTED, "avslag": S.REJECTED,
    "avslagen": S.REJECTED, "återkallad": S.WITHDRAWN, "aterkallad": S.WITHDRAWN, "pågår": S.RUNNING,
    "pågående": S.RUNNING, "avslutad": S.ENDED,
}
P = Programme.Purpose
PURPOSES = {
    **{value: value for value in P.values},
    "till yrket": P.INTO, "utbildar till yrket": P.INTO, "grundutbildning": P.INTO, "vidareutbildning": P.FURTHER,
    "vidareutbildning för yrkesverksamma": P.FURTHER, "fortbildning": P.FURTHER, "båda": P.BOTH, "bada": P.BOTH,
}
PROVIDER_TYPE_FOR_FORM = {
    F.YH: Organisation.ProviderType.YH, F.YRKESVUX: Organisation.ProviderType.KOMVUX,
    F.HOGSKOLA: Organisation.ProviderType.UNIVERSITY, F.FOLKHOGSKOLA: Organisation.ProviderType.FOLKHOGSKOLA,
    F.UPPDRAG: Organisation.ProviderType.CONTRACT, F.OTHER: Organisation.ProviderType.OTHER,
}
FLERA_KOMMUNER = "flera kommuner"

MYH_FIELD_COLUMNS = {
    "name": "utbildningsnamn", "status": "beslut", "education_area": "utbildningsomrade", "sun_field": "sun5_kod",
    "seqf_level": "seqf_niva", "yh_points": "yh_poang", "pace_percent": "studietakt_procent",
    "distance": "studieform", "application_round": "ansokningsomgang", "myh_diarienummer": "diarienummer",
    "provider": "anordnare",
}
GENERIC_FIELD_COLUMNS = {"sun_field": "sun_code", "myh_diarienummer": "diarienummer", "provider": "provider"}
# Foreign keys are resolved from in-memory lookups, so full_clean need not query them again.
_CLEAN_EXCLUDE = ["provider", "sun_field", "created_by", "updated_by"]


# --- results -----------------------------------------------------------------------------------


@dataclass
class PlannedProgramme:
    """What the import does with one row: create, update (with the changes) or nothing."""

    row: int
    action: str  # "create" | "update" | "unchanged"
    name: str
    provider: str
    reference: str = ""
    changes: dict[str, list] = field(default_factory=dict)  # field → [old, new]
    duplicate_of: str = ""  # a new row that looks like a stored programme: "name (ID n)"


@dataclass
class ProgrammeImportResult(ImportResult):
    layout: str = ""
    providers_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.counts()}  providers created {len(self.providers_created)}"


# --- reference data, loaded once per import ------------------------------------------------------


class _Reference:
    def __init__(self):
        self.kommuner = {k.code: k for k in Kommun.objects.select_related("lan")}
        self.kommun_by_pk = {k.pk: k for k in self.kommuner.values()}
        self.kommuner_by_label = {normalise_choice(k.label): k for k in self.kommuner.values()}
        self.sun_fields = {f.code: f for f in SunField.objects.all()}
        self.ssyk4 = {g.code: g for g in SsykGroup.objects.filter(level=4)}
        self.ssyk_by_pk = {g.pk: g for g in self.ssyk4.values()}
        self.sun_by_pk = {f.pk: f for f in self.sun_fields.values()}

    def kommun(self, value: str) -> Kommun | None:
        return self.kommuner.get(value.strip()) or self.kommuner_by_label.get(normalise_choice(value))


class _Providers:
    """Finds the provider of each row; creates (unsaved) organisations for unknown names."""

    def __init__(self, *, organisation: Organisation | None, actor):
        self.organisation = organisation
        self.actor = actor
        self.by_key: dict[str, Organisation] = {}
        self.new: list[Organisation] = []
        if organisation is None:
            for org in Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("-pk"):
                self.by_key[organisation_name_key(org.name)] = org  # the oldest wins

    def resolve(self, raw: str, *, cells: Cells, column: str, kommun: Kommun | None,
                provider_type: str) -> Organisation | None:
        if self.organisation is not None:
            if raw and organisation_name_key(raw) != organisation_name_key(self.organisation.name):
                cells.error(column, _("“%(name)s” is not %(organisation)s; you can only import your own "
                                      "organisation's programmes.")
                            % {"name": raw, "organisation": self.organisation.name})
                return None
            return self.organisation
        if not raw:
            cells.error(column, _("Name the provider."))
            return None
        key = organisation_name_key(raw)
        provider = self.by_key.get(key)
        if provider is None:
            provider = Organisation(name=display_organisation_name(raw)[:200], kind=Organisation.Kind.PROVIDER,
                                    provider_type=provider_type, created_by=self.actor)
            try:
                organisation_check_imported(provider)
            except ValidationError as error:
                for message in error.messages:
                    cells.error(column, message)
                return None
            self.by_key[key] = provider
            self.new.append(provider)
        if provider.pk is None and provider.kommun_id is None and kommun is not None:
            provider.kommun, provider.lan = kommun, kommun.lan
        return provider


# --- one row, parsed -----------------------------------------------------------------------------


@dataclass
class _Spec:
    row: int
    reference: str
    provider: Organisation
    name: str
    fields: dict[str, Any]
    kommuner: frozenset[int] | None = None  # None: the file does not say; leave them as they are
    occupations: frozenset[int] | None = None
    intakes: frozenset[tuple] | None = None  # (start_date, places, application_deadline)
    derived_intakes: bool = False
    name_key: tuple | None = None
    programme_id: int | None = None  # the Matchplats id (template/export only)


def _myh_places(cells: Cells, table: Table, status: str) -> list[int | None] | None:
    """Places per granted omgång, or None when the file has no place columns at all."""
    present = [column for column in MYH_PLACE_COLUMNS if table.has(column)]
    if not present and not table.has("beviljade_platser_totalt"):
        return None
    per_round = [cells.integer(column, min_value=0) if table.has(column) else None for column in MYH_PLACE_COLUMNS]
    if status != S.GRANTED:
        return []
    if any(value is not None for value in per_round):
        return per_round
    # 2020–2022: MYH published only the total and the number of granted rounds; split evenly.
    rounds = cells.integer("beviljade_utbildningsomgangar", min_value=0) if table.has(
        "beviljade_utbildningsomgangar") else None
    total = cells.integer("beviljade_platser_totalt", min_value=0) if table.has("beviljade_platser_totalt") else None
    if not rounds or not total:
        return []
    share, remainder = divmod(total, rounds)
    return [share + (1 if i < remainder else 0) for i in range(min(rounds, 5))]


def _derive_purpose(fields: dict[str, Any], *, purpose: str | None) -> None:
    """The purpose the file gives, else what its name and SUN5 label say (``programme_purpose``,
    the rule shared with the matcher); when neither says, an existing programme keeps its own
    (a new one gets the model's default, "into the occupation")."""
    sun_field = fields.get("sun_field")
    purpose = purpose or programme_purpose(fields["name"], sun_label=sun_field.label if sun_field else None)
    if purpose:
        fields["purpose"] = purpose


def _parse_myh_row(cells: Cells, table: Table, ref: _Reference, providers: _Providers,
                   municipalities: dict[str, set[int]] | None) -> _Spec | None:
    reference = cells.text("diarienummer", required=True, max_length=40)
    name = cells.text("utbildningsnamn", required=True, max_length=300)
    application_round = cells.integer("ansokningsomgang", required=True, min_value=1990, max_value=2100)
    status = cells.choice("beslut", DECISIONS, required=True, allowed_hint="beviljad, avslag, återkallad")
    fields: dict[str, Any] = {"form": F.YH, "status": status, "name": name, "application_round": application_round,
                              "myh_diarienummer": reference or None}
    if table.has("utbildningsomrade"):
        fields["education_area"] = cells.text("utbildningsomrade", max_length=200)
    if table.has("sun5_kod"):
        fields["sun_field"] = ref.sun_fields.get(cells.text("sun5_kod"))  # unknown or empty SUN5 → none
    if table.has("seqf_niva"):
        fields["seqf_level"] = cells.integer("seqf_niva", min_value=1, max_value=8)
    if table.has("yh_poang"):
        fields["yh_points"] = cells.integer("yh_poang", min_value=0, max_value=10_000)
    if table.has("studietakt_procent"):
        fields["pace_percent"] = cells.integer("studietakt_procent", min_value=1, max_value=100)
    if table.has("studieform"):
        fields["distance"] = normalise_choice(cells.text("studieform")) == "distans"
    _derive_purpose(fields, purpose=None)

    kommun_ids: set[int] | None = None
    code, kommun_name = cells.text("kommunkod"), cells.text("kommun")
    row_kommun = None
    if code:
        row_kommun = ref.kommuner.get(code)
        if row_kommun is None:
            cells.error("kommunkod", _("Unknown kommun code “%(code)s”.") % {"code": code})
        else:
            kommun_ids = {row_kommun.pk}
    elif kommun_name and normalise_choice(kommun_name) != FLERA_KOMMUNER:
        row_kommun = ref.kommun(kommun_name)
        if row_kommun is None:
            cells.error("kommun", _("Unknown kommun “%(name)s”.") % {"name": kommun_name})
        else:
            kommun_ids = {row_kommun.pk}
    if municipalities is not None and reference in municipalities:
        kommun_ids = (kommun_ids or set()) | municipalities[reference]

    places = _myh_places(cells, table, status)
    intakes = None
    if places is not None and application_round:
        intakes = frozenset((spec.start_date, spec.places, spec.application_deadline) for spec in
                            myh_derived_intakes(application_round=application_round, places_per_round=places))
    provider = providers.resolve(cells.text("anordnare", max_length=200), cells=cells, column="anordnare",
                                 kommun=row_kommun, provider_type=Organisation.ProviderType.YH)
    if not cells.ok:
        return None
    return _Spec(row=cells.row.number, reference=reference, provider=provider, name=name, fields=fields,
                 kommuner=frozenset(kommun_ids) if kommun_ids is not None else None,
                 intakes=intakes, derived_intakes=True)


def _parse_intakes(cells: Cells) -> frozenset[tuple] | None:
    result = set()
    for item in cells.items("intakes"):
        if item.endswith(DERIVED_MARK):
            continue  # derived from an MYH application round: managed by MYH imports, not this one
        parts = [part.strip() for part in item.split(":")]
        def bad(item: str = item) -> None:
            cells.error("intakes", _("“%(value)s” is not an intake; write start:places or "
                                     "start:places:deadline, e.g. 2026-08-24:30:2026-04-15.") % {"value": item})

        if len(parts) not in (2, 3) or not is_plain_number(parts[1]) or int(parts[1]) < 1:
            bad()
            continue
        start = parse_date(parts[0], on_error=bad)
        deadline = parse_date(parts[2], on_error=bad) if len(parts) == 3 and parts[2] else None
        if start is None or (len(parts) == 3 and parts[2] and deadline is None):
            continue
        if deadline and deadline > start:
            cells.error("intakes", _("The application deadline %(deadline)s is after the start %(start)s.")
                        % {"deadline": deadline, "start": start})
            continue
        result.add((start, int(parts[1]), deadline))
    return frozenset(result)


def _parse_generic_row(cells: Cells, table: Table, ref: _Reference, providers: _Providers) -> _Spec | None:
    programme_id = cells.integer("id", min_value=1)
    reference = cells.text("diarienummer", max_length=40)
    name = cells.text("name", required=True, max_length=300)
    form = cells.choice("form", FORMS, required=True, allowed_hint=", ".join(FORM_WORDS.values()))
    fields: dict[str, Any] = {"form": form, "name": name}
    if reference:
        fields["myh_diarienummer"] = reference
    if table.has("status"):
        fields["status"] = cells.choice("status", STATUSES, default=S.PLANNED,
                                        allowed_hint=", ".join(STATUS_WORDS.values()))
    for column, max_length in (("description", None), ("education_area", 200), ("accessibility_notes", None)):
        if table.has(column):
            fields[column] = cells.text(column, max_length=max_length, multiline=max_length is None)
    if table.has("language"):
        fields["language"] = cells.text("language", max_length=40) or "svenska"
    if table.has("sun_code"):
        code = cells.text("sun_code")
        fields["sun_field"] = ref.sun_fields.get(code) if code else None
        if code and fields["sun_field"] is None:
            cells.error("sun_code", _("Unknown SUN 2020 code “%(code)s”.") % {"code": code})
    for column, low, high in (("seqf_level", 1, 8), ("length_weeks", 1, 520), ("yh_points", 0, 10_000),
                              ("pace_percent", 1, 100), ("application_round", 1990, 2100)):
        if table.has(column):
            fields[column] = cells.integer(column, min_value=low, max_value=high)
    for column in ("language_integrated", "distance"):
        if table.has(column):
            fields[column] = cells.boolean(column)
    _derive_purpose(fields, purpose=cells.choice("purpose", PURPOSES, allowed_hint="till yrket, vidareutbildning, båda")
                    if table.has("purpose") else None)

    occupations = kommuner = intakes = None
    if table.has("ssyk4"):
        occupations = set()
        for code in cells.items("ssyk4"):
            group = ref.ssyk4.get(code)
            if group is None:
                cells.error("ssyk4", _("Unknown SSYK code “%(code)s” (use four-digit occupation groups).")
                            % {"code": code})
            else:
                occupations.add(group.pk)
    first_kommun = None
    if table.has("kommuner"):
        kommuner = set()
        for value in cells.items("kommuner"):
            kommun = ref.kommun(value)
            if kommun is None:
                cells.error("kommuner", _("Unknown kommun “%(value)s” (use the four-digit code or the exact name).")
                            % {"value": value})
            else:
                first_kommun = first_kommun or kommun
                kommuner.add(kommun.pk)
    if table.has("intakes"):
        intakes = _parse_intakes(cells)
    provider = providers.resolve(cells.text("provider", max_length=200), cells=cells, column="provider",
                                 kommun=first_kommun, provider_type=PROVIDER_TYPE_FOR_FORM.get(form, ""))
    if not cells.ok:
        return None
    name_key = None
    if not reference:
        first_start = min((start for start, _places, _deadline in intakes or ()), default=None)
        name_key = (normalise_choice(name), first_start) if table.has("intakes") else (normalise_choice(name),)
    return _Spec(row=cells.row.number, reference=reference, provider=provider, name=name, fields=fields,
                 kommuner=frozenset(kommuner) if kommuner is not None else None,
                 occupations=frozenset(occupations) if occupations is not None else None,
                 intakes=intakes, derived_intakes=False, name_key=name_key, programme_id=programme_id)


# --- reading the files ---------------------------------------------------------------------------


def _read_municipalities(data: bytes, file_name: str, ref: _Reference) -> dict[str, set[int]]:
    source = _("municipalities file")
    table = read_table(data=data, file_name=file_name, known_columns=MUNICIPALITY_COLUMNS,
                       required_columns=MUNICIPALITY_REQUIRED, source=source)
    errors = ErrorCollector(source=source)
    result: dict[str, set[int]] = defaultdict(set)
    for row in table.rows:
        cells = Cells(row, errors)
        reference = cells.text("diarienummer", required=True)
        code = cells.text("kommunkod", required=True)
        kommun = ref.kommuner.get(code)
        if code and kommun is None:
            cells.error("kommunkod", _("Unknown kommun code “%(code)s”.") % {"code": code})
        if cells.ok:
            result[reference].add(kommun.pk)
        if errors.truncated:
            break
    errors.raise_if_any()
    return result


def _layout(table: Table) -> str:
    """MYH lists are recognised by MYH's own column names; everything else is the generic template."""
    return LAYOUT_MYH if {"utbildningsnamn", "beslut"} & set(table.columns) else LAYOUT_GENERIC


# --- comparing with what is stored ---------------------------------------------------------------


@dataclass
class _Existing:
    by_id: dict[int, Programme]
    by_reference: dict[str, Programme]
    by_name_key: dict[tuple, Programme]
    kommuner: dict[int, frozenset[int]]
    occupations: dict[int, frozenset[int]]
    intakes: dict[tuple[int, bool], frozenset[tuple]]


def _load_existing(specs: list[_Spec], *, layout: str) -> _Existing:
    references = sorted({spec.reference for spec in specs if spec.reference})
    programmes: dict[int, Programme] = {}
    by_reference: dict[str, Programme] = {}
    for chunk in chunked(references):
        for programme in Programme.objects.filter(myh_diarienummer__in=chunk).select_related("provider", "sun_field"):
            programmes[programme.pk] = programme
            by_reference[programme.myh_diarienummer] = programme
    by_id: dict[int, Programme] = {}
    for chunk in chunked(sorted({spec.programme_id for spec in specs if spec.programme_id})):
        for programme in Programme.objects.filter(pk__in=chunk).select_related("provider", "sun_field"):
            programmes[programme.pk] = by_id[programme.pk] = programme
    named = [spec for spec in specs if spec.name_key is not None and spec.provider.pk is not None]
    name_candidates: list[Programme] = []
    for chunk in chunked(sorted({spec.provider.pk for spec in named})):
        for programme in Programme.objects.filter(provider_id__in=chunk, myh_diarienummer__isnull=True).select_related(
                "provider", "sun_field").order_by("pk"):
            programmes[programme.pk] = programme
            name_candidates.append(programme)

    kommuner, occupations, intakes = defaultdict(set), defaultdict(set), defaultdict(set)
    ids = sorted(programmes)
    for chunk in chunked(ids):
        for programme_id, kommun_id in Programme.kommuner.through.objects.filter(
                programme_id__in=chunk).values_list("programme_id", "kommun_id"):
            kommuner[programme_id].add(kommun_id)
        if layout == LAYOUT_GENERIC:
            for programme_id, group_id in Programme.target_occupations.through.objects.filter(
                    programme_id__in=chunk).values_list("programme_id", "ssykgroup_id"):
                occupations[programme_id].add(group_id)
        for programme_id, start, places, deadline, derived in Intake.objects.filter(programme_id__in=chunk).values_list(
                "programme_id", "start_date", "places", "application_deadline", "derived"):
            intakes[(programme_id, derived)].add((start, places, deadline))

    by_name_key: dict[tuple, Programme] = {}
    for programme in name_candidates:
        own = intakes.get((programme.pk, False), ())
        first_start = min((start for start, _p, _d in own), default=None)
        name = normalise_choice(programme.name)
        for key in ((programme.provider_id, name, first_start), (programme.provider_id, name)):
            by_name_key.setdefault(key, programme)
    return _Existing(
        by_id=by_id, by_reference=by_reference, by_name_key=by_name_key,
        kommuner={pk: frozenset(v) for pk, v in kommuner.items()},
        occupations={pk: frozenset(v) for pk, v in occupations.items()},
        intakes={key: frozenset(v) for key, v in intakes.items()},
    )


def _duplicate_candidates(specs: list[_Spec]) -> dict[tuple[int, str], list[tuple[Programme, frozenset, Any]]]:
    """The stored programmes (with or without a diarienummer) that rows without one might repeat:
    (provider, normalised name) → [(programme, its kommuner, its first intake start)]."""
    wanted = {(spec.provider.pk, normalise_choice(spec.name)) for spec in specs if spec.provider.pk is not None}
    found: dict[tuple[int, str], list] = defaultdict(list)
    programmes = {}
    for chunk in chunked(sorted({provider_id for provider_id, _name in wanted})):
        for programme in Programme.objects.filter(provider_id__in=chunk).only("pk", "name", "provider_id"):
            if (programme.provider_id, normalise_choice(programme.name)) in wanted:
                programmes[programme.pk] = programme
    kommuner, starts = defaultdict(set), {}
    for chunk in chunked(sorted(programmes)):
        for programme_id, kommun_id in Programme.kommuner.through.objects.filter(
                programme_id__in=chunk).values_list("programme_id", "kommun_id"):
            kommuner[programme_id].add(kommun_id)
        for programme_id, start in Intake.objects.filter(programme_id__in=chunk).values_list(
                "programme_id", "start_date"):
            starts[programme_id] = min(start, starts.get(programme_id, start))
    for pk, programme in sorted(programmes.items()):
        found[(programme.provider_id, normalise_choice(programme.name))].append(
            (programme, frozenset(kommuner.get(pk, ())), starts.get(pk)))
    return found


def _likely_duplicate(spec: _Spec, candidates: dict) -> str:
    """A stored programme of the same provider with the same name, kommun and first start."""
    first_start = min((start for start, _places, _deadline in spec.intakes or ()), default=None)
    for programme, kommuner, start in candidates.get((spec.provider.pk, normalise_choice(spec.name)), ()):
        same_place = spec.kommuner is None or kommuner == spec.kommuner or bool(kommuner & spec.kommuner)
        if same_place and start == first_start:
            return f"{programme.name} (ID {programme.pk})"
    return ""


def _display(field_name: str, value: Any) -> Any:
    if value is None:
        return None
    if field_name == "sun_field":
        return value.code
    if field_name == "provider":
        return value.name
    return json_value(value)


def _intakes_display(intakes: frozenset[tuple]) -> list[str]:
    return [f"{start.isoformat()}: {places}" + (f" ({deadline.isoformat()})" if deadline else "")
            for start, places, deadline in sorted(intakes)]


def _plan_row(spec: _Spec, existing: Programme | None, stored: _Existing, ref: _Reference, errors: ErrorCollector,
              field_columns: dict[str, str]) -> RowPlan | None:
    fields = dict(spec.fields)
    if existing is None:
        plan = RowPlan(row=spec.row, obj=Programme(provider=spec.provider, **fields))
    else:
        fields["provider"] = spec.provider
        programme, changed = diff_fields(existing, fields)
        plan = RowPlan(row=spec.row, obj=programme, existing=existing, changed_fields=changed,
                       changes={name: [_display(name, getattr(existing, name)), _display(name, fields[name])]
                                for name in changed})
    try:
        plan.obj.full_clean(exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                errors.add(message, row=spec.row, column=field_columns.get(name, name))
        return None
    pk = existing.pk if existing is not None else None
    diff_links(plan, "kommuner", spec.kommuner, stored.kommuner.get(pk, frozenset()),
               display=lambda pks: sorted(ref.kommun_by_pk[pk].code for pk in pks))
    diff_links(plan, "target_occupations", spec.occupations, stored.occupations.get(pk, frozenset()),
               display=lambda pks: sorted(ref.ssyk_by_pk[pk].code for pk in pks))
    diff_links(plan, "intakes", spec.intakes, stored.intakes.get((pk, spec.derived_intakes), frozenset()),
               display=_intakes_display, change_key="derived_intakes" if spec.derived_intakes else "intakes")
    return plan


# --- the import ----------------------------------------------------------------------------------


def _check_actor(actor, organisation: Organisation | None) -> None:
    if organisation is None:
        if not permissions.may_import_programmes_for_any_provider(actor):
            raise PermissionDenied(_("Only platform staff import programmes for any provider."))
        return
    if organisation.kind != Organisation.Kind.PROVIDER:
        raise file_error(_("Only education providers import programmes."))
    if actor is None or not permissions.may_act_for(actor, organisation):
        raise PermissionDenied(_("You can only import programmes for organisations you belong to."))


def programme_import_file(
    *,
    actor,
    data: bytes,
    file_name: str,
    organisation: Organisation | None = None,
    municipalities: bytes | None = None,
    municipalities_name: str = "",
    dry_run: bool = False,
    item_limit: int | None = None,
) -> ProgrammeImportResult:
    """Import programmes from an MYH application list or the generic template (CSV or XLSX).

    Raises ``ImportFileError`` (nothing written) for any bad input and ``PermissionDenied`` when
    the actor may not import for ``organisation`` (or, with no organisation, for any provider).
    A dry run only plans. A real run writes everything in one transaction and records an
    ``ImportRun``; created programmes get an ``imported`` event, changed ones ``import_updated``
    with the changed fields' old and new values."""
    _check_actor(actor, organisation)
    table = read_table(data=data, file_name=file_name)
    layout = _layout(table)
    if layout == LAYOUT_MYH:
        check_columns(table, known=MYH_COLUMNS, required=MYH_REQUIRED)
    else:
        table.columns = [GENERIC_ALIASES.get(column, column) for column in table.columns]
        twice = sorted({column for column in table.columns if table.columns.count(column) > 1})
        if twice:
            raise file_error(_("The column %(column)s appears twice.") % {"column": ", ".join(twice)}, row=1)
        for row in table.rows:
            row.values = {GENERIC_ALIASES.get(key, key): value for key, value in row.values.items()}
        required = GENERIC_REQUIRED + (["provider"] if organisation is None else [])
        check_columns(table, known=GENERIC_COLUMNS, required=required, headers=dict(PROGRAMME_TABLE))
        if municipalities:
            raise file_error(_("A municipalities file belongs with an MYH application list, not the generic template."))

    ref = _Reference()
    municipality_map = _read_municipalities(municipalities, municipalities_name or "municipalities.csv", ref) \
        if municipalities else None
    providers = _Providers(organisation=organisation, actor=actor)
    errors = ErrorCollector()
    specs: list[_Spec] = []
    for row in table.rows:
        cells = Cells(row, errors)
        spec = (_parse_myh_row(cells, table, ref, providers, municipality_map) if layout == LAYOUT_MYH
                else _parse_generic_row(cells, table, ref, providers))
        if spec is not None:
            specs.append(spec)
        if errors.truncated:
            break
    _check_duplicates(specs, errors)
    claims = _myh_case_claims(specs, errors)
    refused = [claim for claim in claims if claim.outcome == MyhCaseConflict.Outcome.REFUSED]
    if refused:
        myh_case_conflicts_record(claims=refused, actor=actor, file_name=table.file_name)
    errors.raise_if_any()
    moved = [claim for claim in claims if claim.outcome == MyhCaseConflict.Outcome.MOVED]

    result = ProgrammeImportResult(layout=layout, file_format=table.file_format, file_name=table.file_name,
                                   dry_run=dry_run, rows=len(specs),
                                   providers_created=[org.name for org in providers.new], item_limit=item_limit)
    transfers = {claim.diarienummer for claim in moved}
    if dry_run:
        _plan(specs, result=result, layout=layout, ref=ref, organisation=organisation, transfers=transfers)
        return result
    with transaction.atomic():
        plans = _plan(specs, result=result, layout=layout, ref=ref, organisation=organisation, transfers=transfers)
        programme_import_rows(actor=actor, organisation=organisation, result=result, plans=plans,
                              new_providers=providers.new, derived_intakes=layout == LAYOUT_MYH)
        if moved:
            myh_case_conflicts_record(claims=moved, actor=actor, file_name=table.file_name)
    return result


def myh_case_owners() -> dict[str, str]:
    """diarienummer → the provider (anordnare) MYH's own list of decisions names for it, read
    from ``TAXONOMY_DATA_DIR/yh/applications_2018_2025.csv`` (empty when the file is absent)."""
    path = Path(settings.TAXONOMY_DATA_DIR) / "yh" / "applications_2018_2025.csv"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_case_owners(str(path), stamp)


@functools.lru_cache(maxsize=2)
def _read_case_owners(path: str, stamp: int) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["diarienummer"].strip(): row["anordnare"].strip() for row in csv.DictReader(handle)
                if row.get("diarienummer") and row.get("anordnare")}


def _case_owner_key(name: str) -> str:
    """Names compared for MYH case ownership: as ``organisation_name_key``, and a company form at
    the end ("AB") does not matter either (a provider may have registered as "Nackademin")."""
    return re.sub(r"\s+(ab|hb|kb)$", "", organisation_name_key(name))


def _myh_case_claims(specs: list[_Spec], errors: ErrorCollector) -> list[MyhClaim]:
    """An MYH case belongs to the provider MYH's own list names. A row giving it to another
    provider is refused (an error naming the row). A row of the rightful provider whose case is
    held by another provider's programme moves that programme to it. Both are reported to staff."""
    owners = myh_case_owners()
    claimed = [spec for spec in specs if spec.reference and spec.reference in owners]
    holders: dict[str, tuple[int, str]] = {}  # diarienummer → (provider id, provider name)
    for chunk in chunked(sorted({spec.reference for spec in claimed})):
        for reference, provider_id, provider_name in Programme.objects.filter(myh_diarienummer__in=chunk).values_list(
                "myh_diarienummer", "provider_id", "provider__name"):
            holders[reference] = (provider_id, provider_name)
    claims = []
    for spec in claimed:
        owner = owners[spec.reference]
        owner_key = _case_owner_key(owner)
        holder_id, holder_name = holders.get(spec.reference, (None, ""))
        if _case_owner_key(spec.provider.name) != owner_key:
            errors.add(_("MYH's list of decisions names %(owner)s as the provider of %(reference)s, so it cannot be "
                         "imported for %(provider)s. Platform staff have been told.")
                       % {"owner": owner, "reference": spec.reference, "provider": spec.provider.name},
                       row=spec.row, column="diarienummer")
            claims.append(MyhClaim(diarienummer=spec.reference, owner_name=owner,
                                   claimed_by=spec.provider if spec.provider.pk else None,
                                   claimed_by_name=spec.provider.name, outcome=MyhCaseConflict.Outcome.REFUSED,
                                   row=spec.row))
        elif holder_id is not None and _case_owner_key(holder_name) != owner_key:
            claims.append(MyhClaim(diarienummer=spec.reference, owner_name=owner,
                                   claimed_by=Organisation.objects.get(pk=holder_id), claimed_by_name=holder_name,
                                   outcome=MyhCaseConflict.Outcome.MOVED, row=spec.row))
    return claims


def _check_duplicates(specs: list[_Spec], errors: ErrorCollector) -> None:
    seen: dict[tuple, int] = {}
    for spec in specs:
        keys = []
        if spec.programme_id:
            keys.append((("id", spec.programme_id), "id"))
        if spec.reference:  # a diarienummer once per file, with or without an ID
            keys.append((("ref", spec.reference), "diarienummer"))
        if not keys:
            keys.append((("name", id(spec.provider), spec.name_key), "name"))
        for key, column in keys:
            if key in seen:
                errors.add(_("The same programme is already in row %(row)s.") % {"row": seen[key]}, row=spec.row,
                           column=column)
                break
        for key, _column in keys:
            seen.setdefault(key, spec.row)


def _plan(specs: list[_Spec], *, result: ProgrammeImportResult, layout: str, ref: _Reference,
          organisation: Organisation | None, transfers: set[str]) -> list[RowPlan]:
    """Compare every row with what is stored, count it in ``result`` and return the plans (empty
    in a dry run: a preview keeps counts and the first rows only)."""
    stored = _load_existing(specs, layout=layout)
    duplicates = _duplicate_candidates([spec for spec in specs if not spec.reference and not spec.programme_id])
    errors = ErrorCollector()
    field_columns = MYH_FIELD_COLUMNS if layout == LAYOUT_MYH else GENERIC_FIELD_COLUMNS
    plans: list[RowPlan] = []
    updated_by_row: dict[int, int] = {}  # stored programme → the row that updates it
    for spec in specs:
        if spec.programme_id:
            existing = stored.by_id.get(spec.programme_id)
            if existing is None or existing.provider_id != spec.provider.pk:
                errors.add(_("No programme with ID %(id)s belongs to %(provider)s; leave the ID empty to add a new "
                             "programme.") % {"id": spec.programme_id, "provider": spec.provider.name},
                           row=spec.row, column="id")
                continue
            other = stored.by_reference.get(spec.reference) if spec.reference else None
            if other is not None and other.pk != existing.pk:
                errors.add(_("%(reference)s is the case number of another programme (ID %(id)s).")
                           % {"reference": spec.reference, "id": other.pk}, row=spec.row, column="diarienummer")
                continue
        elif spec.reference:
            existing = stored.by_reference.get(spec.reference)
        else:
            existing = stored.by_name_key.get((spec.provider.pk, *spec.name_key)) if spec.provider.pk else None
        if existing is not None and organisation is not None and existing.provider_id != organisation.pk \
                and spec.reference not in transfers:
            errors.add(_("%(reference)s belongs to another provider (%(provider)s).")
                       % {"reference": spec.reference, "provider": existing.provider.name},
                       row=spec.row, column="diarienummer")
            continue
        if existing is not None:
            # e.g. one row with the ID and a copy without it: both would change one programme
            first = updated_by_row.setdefault(existing.pk, spec.row)
            if first != spec.row:
                errors.add(_("The same programme is already in row %(row)s.") % {"row": first}, row=spec.row,
                           column="id" if spec.programme_id else "name")
                continue
        plan = _plan_row(spec, existing, stored, ref, errors, field_columns)
        if plan is None:
            continue
        item = PlannedProgramme(row=spec.row, action=plan.action, name=spec.name, provider=spec.provider.name,
                                reference=spec.reference, changes=plan.changes)
        if plan.action == CREATE and not spec.reference and spec.provider.pk is not None:
            item.duplicate_of = _likely_duplicate(spec, duplicates)
            result.likely_duplicates += bool(item.duplicate_of)
        result.record(item)
        if not result.dry_run:
            plans.append(plan)
        if errors.truncated:
            break
    errors.raise_if_any()
    return plans


FORM_WORDS = {F.YH: "Yrkeshögskola", F.YRKESVUX: "Regional yrkesvux", F.HOGSKOLA: "Högskola",
              F.FOLKHOGSKOLA: "Folkhögskola", F.UPPDRAG: "Uppdragsutbildning", F.OTHER: "Annan"}
PURPOSE_WORDS = {P.INTO: "Till yrket", P.FURTHER: "Vidareutbildning", P.BOTH: "Båda"}
STATUS_WORDS = {S.PLANNED: "Planerad", S.APPLIED: "Ansökt", S.GRANTED: "Beviljad", S.REJECTED: "Avslag",
                S.WITHDRAWN: "Återkallad", S.RUNNING: "Pågår", S.ENDED: "Avslutad"}


# The column each changed field is read from, for the import pages' "what changes" lists.
_HEADERS = dict(PROGRAMME_TABLE)
PROGRAMME_CHANGE_HEADERS = {
    **_HEADERS, "myh_diarienummer": _HEADERS["diarienummer"], "sun_field": _HEADERS["sun_code"],
    "target_occupations": _HEADERS["ssyk4"], "derived_intakes": _HEADERS["intakes"],
}


def programme_change_words() -> dict[str, Callable[[Any], str]]:
    """How the import pages write a programme's changed values: in the words of the export."""
    return {
        "form": word_map(FORM_WORDS), "status": word_map(STATUS_WORDS), "purpose": word_map(PURPOSE_WORDS),
        "kommuner": word_lookup(lambda: dict(Kommun.objects.values_list("code", "label"))),
        "derived_intakes": lambda intake: f"{intake}{DERIVED_MARK}",
    }


def _intake_cell(intake: Intake) -> str:
    text = f"{intake.start_date.isoformat()}:{intake.places}"
    if intake.application_deadline:
        text += f":{intake.application_deadline.isoformat()}"
    return text + (DERIVED_MARK if intake.derived else "")


def programme_table_row(programme: Programme) -> list:
    """One programme as a row of PROGRAMME_TABLE, in the words the import reads back (provider,
    sun_field, target_occupations, kommuner and intakes fetched with it)."""
    intakes = sorted(programme.intakes.all(), key=lambda i: (i.start_date, i.places))
    return [
        programme.pk, programme.provider.name, programme.myh_diarienummer or "", programme.name,
        FORM_WORDS[programme.form], STATUS_WORDS[programme.status], PURPOSE_WORDS[programme.purpose],
        programme.description, programme.education_area,
        programme.sun_field.code if programme.sun_field else "",
        LIST_SEPARATOR_OUT.join(sorted(group.code for group in programme.target_occupations.all())),
        programme.seqf_level, programme.length_weeks, programme.yh_points, programme.pace_percent, programme.language,
        yes_no(programme.language_integrated),
        LIST_SEPARATOR_OUT.join(sorted(kommun.label for kommun in programme.kommuner.all())),
        yes_no(programme.distance), programme.accessibility_notes, programme.application_round,
        LIST_SEPARATOR_OUT.join(_intake_cell(intake) for intake in intakes), sum(i.places for i in intakes),
    ]


__all__ = ["ImportFileError", "ProgrammeImportResult", "PlannedProgramme", "programme_import_file"]
