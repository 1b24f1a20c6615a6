"""Loading the reference data into the database: idempotent, label-updating, all-or-nothing."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from matchplats.taxonomy.models import (
    AdVolume,
    BarometerOccupation,
    BarometerOutlook,
    BarometerSsyk,
    Kommun,
    Lan,
    OccupationField,
    OccupationName,
    SeqfLevel,
    Skill,
    SsykGroup,
    SunField,
    SunLevel,
)


class TaxonomyFileError(Exception):
    """A reference file is missing or does not have the columns the loader needs."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, created: int, updated: int, removed: int = 0) -> None:
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated
        self.removed[name] = self.removed.get(name, 0) + removed

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.removed.values())


def read_csv(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise TaxonomyFileError(f"{path} is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(required) - set(reader.fieldnames or [])
        if missing:
            raise TaxonomyFileError(f"{path.name} lacks the columns {sorted(missing)}.")
        return list(reader)


def _upsert(model: type[models.Model], key: str, rows: list[dict]) -> tuple[int, int]:
    """Create the rows whose ``key`` is new and update the fields that differ; never delete."""
    keys = [row[key] for row in rows]
    if len(set(keys)) != len(keys):
        duplicates = sorted({k for k in keys if keys.count(k) > 1})[:5]
        raise TaxonomyFileError(f"{model.__name__}: the same {key} appears twice in the file: {duplicates}")
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            changed_fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=1000)
    return len(to_create), len(to_update)


def _ids(model: type[models.Model], key: str) -> dict[str, int]:
    return dict(model.objects.values_list(key, "id"))


def _load_geography(data_dir: Path, report: LoadReport) -> None:
    lan_rows = read_csv(data_dir / "taxonomy/regions_lan.csv", ["concept_id", "label", "lan_code"])
    report.add("lan", *_upsert(Lan, "code", [
        {"code": r["lan_code"], "concept_id": r["concept_id"], "label": r["label"]} for r in lan_rows
    ]))
    lan_ids = _ids(Lan, "code")
    kommun_rows = read_csv(data_dir / "taxonomy/municipalities.csv", ["concept_id", "label", "kommunkod", "lan_code"])
    report.add("kommun", *_upsert(Kommun, "code", [
        {"code": r["kommunkod"], "concept_id": r["concept_id"], "label": r["label"], "lan_id": lan_ids[r["lan_code"]]}
        for r in kommun_rows
    ]))


def _load_occupations(data_dir: Path, report: LoadReport) -> None:
    field_rows = read_csv(data_dir / "taxonomy/occupation_fields.csv", ["concept_id", "label"])
    report.add("occupation_field", *_upsert(OccupationField, "concept_id", [
        {"concept_id": r["concept_id"], "label": r["label"]} for r in field_rows
    ]))
    field_ids = _ids(OccupationField, "concept_id")
    ssyk4_fields = {
        r["ssyk4_code"]: field_ids[r["occupation_field_id"]]
        for r in read_csv(data_dir / "taxonomy/ssyk4.csv", ["ssyk4_code", "occupation_field_id"])
        if r["occupation_field_id"]
    }
    hierarchy = read_csv(
        data_dir / "taxonomy/ssyk_hierarchy.csv", ["ssyk_code", "level", "concept_id", "label", "parent_ssyk_code"]
    )
    for level in (1, 2, 3, 4):
        parent_ids = _ids(SsykGroup, "code")
        rows = [
            {
                "code": r["ssyk_code"],
                "level": level,
                "concept_id": r["concept_id"],
                "label": r["label"],
                "parent_id": parent_ids[r["parent_ssyk_code"]] if r["parent_ssyk_code"] else None,
                "definition": r.get("definition") or "",
                "occupation_field_id": ssyk4_fields.get(r["ssyk_code"]) if level == 4 else None,
            }
            for r in hierarchy
            if int(r["level"]) == level
        ]
        report.add(f"ssyk{level}", *_upsert(SsykGroup, "code", rows))
    ssyk_ids = _ids(SsykGroup, "code")
    names = read_csv(data_dir / "taxonomy/occupations.csv", ["concept_id", "label", "ssyk4_code", "legacy_ams_id"])
    report.add("occupation_name", *_upsert(OccupationName, "concept_id", [
        {"concept_id": r["concept_id"], "label": r["label"], "ssyk4_id": ssyk_ids[r["ssyk4_code"]],
         "legacy_ams_id": r["legacy_ams_id"]}
        for r in names
    ]))


def _load_skills(data_dir: Path, report: LoadReport) -> None:
    rows = read_csv(data_dir / "taxonomy/skills.csv", ["concept_id", "label"])
    # Driving licence classes (Transportstyrelsen's), requirements as common as any skill, which
    # the JobTech skills lack; loaded as skills so needs list them and skill search finds them.
    licences = read_csv(data_dir / "taxonomy/driving_licences.csv", ["concept_id", "label", "ssyk4_codes"])
    report.add("skill", *_upsert(Skill, "concept_id", [{"concept_id": r["concept_id"], "label": r["label"]}
                                                        for r in [*rows, *licences]]))
    skill_ids = _ids(Skill, "concept_id")
    ssyk_ids = _ids(SsykGroup, "code")
    wanted = {
        (ssyk_ids[r["ssyk4_code"]], skill_ids[r["skill_concept_id"]])
        for r in read_csv(data_dir / "taxonomy/ssyk4_skills.csv", ["ssyk4_code", "skill_concept_id"])
    } | {(ssyk_ids[code], skill_ids[r["concept_id"]]) for r in licences for code in r["ssyk4_codes"].split()
         if code in ssyk_ids}
    through = SsykGroup.skills.through
    have = set(through.objects.values_list("ssykgroup_id", "skill_id"))
    through.objects.bulk_create(
        [through(ssykgroup_id=s, skill_id=k) for s, k in sorted(wanted - have)], batch_size=2000
    )
    stale = have - wanted
    for ssyk_id, skill_id in stale:
        through.objects.filter(ssykgroup_id=ssyk_id, skill_id=skill_id).delete()
    report.add("ssyk4_skill", len(wanted - have), 0, len(stale))


def _load_education(data_dir: Path, report: LoadReport) -> None:
    fields = read_csv(
        data_dir / "taxonomy/sun2020_education_fields.csv", ["sun_field_code", "level", "concept_id", "label", "parent_code"]
    )
    for level in (1, 2, 3, 4):
        parent_ids = _ids(SunField, "code")
        rows = [
            {"code": r["sun_field_code"], "level": level, "concept_id": r["concept_id"], "label": r["label"],
             "parent_id": parent_ids[r["parent_code"]] if r["parent_code"] else None,
             "definition": r.get("definition") or ""}
            for r in fields
            if int(r["level"]) == level
        ]
        report.add(f"sun_field{level}", *_upsert(SunField, "code", rows))
    parent_ids = _ids(SunField, "code")
    # MYH used three codes with two wordings each; keep the wording used by most applications.
    sun5: dict[str, dict[str, str]] = {}
    for r in read_csv(data_dir / "yh/sun5_codes_in_yh_2023_2024.csv", ["sun5_kod", "sun5_namn", "n_applications_2023_2024"]):
        kept = sun5.get(r["sun5_kod"])
        if kept is None or int(r["n_applications_2023_2024"]) >= int(kept["n_applications_2023_2024"]):
            sun5[r["sun5_kod"]] = r
    report.add("sun_field5", *_upsert(SunField, "code", [
        {"code": code, "level": 5, "concept_id": "", "label": r["sun5_namn"],
         "parent_id": parent_ids[code[:4]], "definition": ""}
        for code, r in sun5.items()
    ]))
    levels = read_csv(
        data_dir / "taxonomy/sun2020_education_levels.csv", ["sun_level_code", "level", "concept_id", "label", "parent_code"]
    )
    for level in (1, 2, 3):
        parent_ids = _ids(SunLevel, "code")
        rows = [
            {"code": r["sun_level_code"], "level": level, "concept_id": r["concept_id"], "label": r["label"],
             "parent_id": parent_ids[r["parent_code"]] if r["parent_code"] else None}
            for r in levels
            if int(r["level"]) == level
        ]
        report.add("sun_level", *_upsert(SunLevel, "code", rows))
    seqf = read_csv(data_dir / "reference/seqf_levels.csv", ["level", "label", "examples"])
    report.add("seqf_level", *_upsert(SeqfLevel, "level", [
        {"level": int(r["level"]), "label": r["label"], "examples": r["examples"]} for r in seqf
    ]))


# The Yrkesbarometer file carries no date; its source JSON was last updated on this day
# (data/README.md), which the attribution names as the barometer's period.
YRKESBAROMETER_PUBLISHED = dt.date(2025, 5, 7)
SWEDEN_LAN_CODE = "00"


def _sync(model: type[models.Model], key: tuple[str, ...], rows: list[dict]) -> tuple[int, int, int]:
    """Make ``model`` hold exactly ``rows`` (identified by the fields ``key``): create what is
    new, update what differs, delete what the file no longer has. For tables that only mirror a
    shipped file."""
    wanted: dict[tuple, dict] = {}
    for row in rows:
        identity = tuple(row[name] for name in key)
        if identity in wanted:
            raise TaxonomyFileError(f"{model.__name__}: {dict(zip(key, identity))} appears twice in the file.")
        wanted[identity] = row
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in model.objects.all()}
    to_create = [model(**row) for identity, row in wanted.items() if identity not in existing]
    to_update, changed_fields = [], set()
    for identity, obj in existing.items():
        row = wanted.get(identity)
        changed = [name for name, value in (row or {}).items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            changed_fields.update(changed)
            to_update.append(obj)
    stale = [obj.pk for identity, obj in existing.items() if identity not in wanted]
    for start in range(0, len(stale), 500):
        model.objects.filter(pk__in=stale[start:start + 500]).delete()
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=1000)
    return len(to_create), len(to_update), len(stale)


def _lan_id(lan_ids: dict[str, int], code: str, file_name: str) -> int | None:
    if code == SWEDEN_LAN_CODE:
        return None
    if code not in lan_ids:
        raise TaxonomyFileError(f"{file_name}: unknown län code {code!r}.")
    return lan_ids[code]


def _ssyk4_id(ssyk_ids: dict[str, int], code: str, file_name: str) -> int:
    if code not in ssyk_ids:
        raise TaxonomyFileError(f"{file_name}: unknown SSYK4 code {code!r}.")
    return ssyk_ids[code]


def _load_labour_market(data_dir: Path, report: LoadReport) -> None:
    """Arbetsförmedlingen's Yrkesbarometer (outlook per occupation and län) and job-ad volumes
    per SSYK4 and län; see data/README.md for origin and attribution."""
    lan_ids, ssyk_ids = _ids(Lan, "code"), _ids(SsykGroup, "code")
    outlook_file, links_file = "yrkesbarometer_regional.csv", "yrkesbarometer_to_ssyk4.csv"
    outlooks = read_csv(data_dir / "labour_market" / outlook_file, [
        "barometer_id", "barometer_name", "lan_code", "jobbmojligheter_nulage", "efterfragan_prognos_5ar"])
    links = read_csv(data_dir / "labour_market" / links_file, [
        "barometer_id", "barometer_name", "ssyk4_code", "barometer_above_ssyk", "barometer_part_of_ssyk"])
    names: dict[str, str] = {}
    for r in outlooks + links:
        if r["barometer_name"] or r["barometer_id"] not in names:
            names[r["barometer_id"]] = r["barometer_name"]
    report.add("barometer_occupation", *_upsert(BarometerOccupation, "concept_id", [
        {"concept_id": concept_id, "label": label} for concept_id, label in sorted(names.items())
    ]))
    occupation_ids = _ids(BarometerOccupation, "concept_id")
    report.add("barometer_ssyk", *_sync(BarometerSsyk, ("occupation_id", "ssyk4_id"), [
        {"occupation_id": occupation_ids[r["barometer_id"]], "ssyk4_id": _ssyk4_id(ssyk_ids, r["ssyk4_code"], links_file),
         "barometer_above_ssyk": r["barometer_above_ssyk"] == "True",
         "barometer_part_of_ssyk": r["barometer_part_of_ssyk"] == "True"}
        for r in links
    ]))
    opportunities, forecasts = set(BarometerOutlook.JobOpportunities.values), set(BarometerOutlook.Forecast.values)
    for r in outlooks:
        if r["jobbmojligheter_nulage"] not in opportunities or r["efterfragan_prognos_5ar"] not in forecasts:
            raise TaxonomyFileError(f"{outlook_file}: unknown judgement {r['jobbmojligheter_nulage']!r} / "
                                    f"{r['efterfragan_prognos_5ar']!r} for {r['barometer_id']}.")
    report.add("barometer_outlook", *_sync(BarometerOutlook, ("occupation_id", "lan_id"), [
        {"occupation_id": occupation_ids[r["barometer_id"]], "lan_id": _lan_id(lan_ids, r["lan_code"], outlook_file),
         "job_opportunities": r["jobbmojligheter_nulage"], "forecast_5y": r["efterfragan_prognos_5ar"],
         "published": YRKESBAROMETER_PUBLISHED}
        for r in outlooks
    ]))
    ads_file = "ads_2024_by_ssyk4_lan.csv"
    ads = read_csv(data_dir / "labour_market" / ads_file, ["ssyk4_code", "lan_code"])
    years = [match[1] for name in (ads[0] if ads else {}) if (match := re.fullmatch(r"n_ads_(\d{4})", name))]
    if len(years) != 1:
        raise TaxonomyFileError(f"{ads_file} has no rows or not exactly one n_ads_<year> column.")
    count_column = f"n_ads_{years[0]}"
    report.add("ad_volume", *_sync(AdVolume, ("ssyk4_id", "lan_id", "year"), [
        {"ssyk4_id": _ssyk4_id(ssyk_ids, r["ssyk4_code"], ads_file), "lan_id": _lan_id(lan_ids, r["lan_code"], ads_file),
         "year": int(years[0]), "ads": int(r[count_column])}
        for r in ads
    ]))


@transaction.atomic
def taxonomy_load(*, data_dir: Path) -> LoadReport:
    """Load (or refresh) every reference table from ``data_dir``. Running it twice changes nothing."""
    report = LoadReport()
    _load_geography(data_dir, report)
    _load_occupations(data_dir, report)
    _load_skills(data_dir, report)
    _load_education(data_dir, report)
    _load_labour_market(data_dir, report)
    return report
