"""Load the shipped taxonomy and YH files into plain, immutable structures."""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .text import mask_phrase, normalise

TAXONOMY_FILES = (
    "taxonomy/occupations.csv",
    "taxonomy/ssyk4.csv",
    "taxonomy/ssyk_hierarchy.csv",
    "taxonomy/ssyk4_skills.csv",
    "taxonomy/occupation_descriptions.csv",
    "taxonomy/municipalities.csv",
    "taxonomy/regions_lan.csv",
    "taxonomy/sun2020_education_fields.csv",
    "labour_market/ads_2024_by_ssyk4_lan.csv",
    "taxonomy/job_titles_dev.csv",
)
YH_FILES = (
    "yh/applications_2018_2025.csv",
    "yh/application_municipalities_2019_2025.csv",
    "yh/sun5_codes_in_yh_2023_2024.csv",
)
INPUT_FILES = TAXONOMY_FILES + YH_FILES


def default_data_dir() -> Path:
    """The repository's ``data/`` folder (two levels above the ``matching`` package)."""
    return Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Occupation:
    id: str
    label: str
    ssyk4: str


@dataclass(frozen=True)
class Ssyk4Group:
    code: str
    label: str
    ssyk3: str
    field_id: str
    field_label: str
    definition: str


@dataclass(frozen=True)
class JobTitle:
    """A title employers write in ads ("Lagerarbetare", "Key account manager") and the SSYK4
    groups of the occupation names JobTech relates it to."""

    id: str
    title: str
    ssyk4: tuple[str, ...]


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    lan_code: str


@dataclass(frozen=True)
class Taxonomy:
    """Occupations, SSYK4 groups and their texts, SUN fields and places."""

    occupations: tuple[Occupation, ...]
    groups: dict[str, Ssyk4Group]
    ssyk3_labels: dict[str, str]
    skills: dict[str, tuple[str, ...]]
    descriptions: dict[str, tuple[str, ...]]
    sun_fields: dict[str, str]
    sun_definitions: dict[str, str]
    sun5_labels: dict[str, str]
    municipalities: dict[str, Municipality]
    lan_labels: dict[str, str]
    ad_volume: dict[str, int] = dataclasses.field(default_factory=dict)
    """Job ads in Sweden in 2024 per SSYK4 group: how often employers look for each occupation."""
    job_titles: tuple[JobTitle, ...] = ()
    """Employers' job titles with their groups: the occupation coder learns from them."""

    def occupations_by_group(self) -> dict[str, list[Occupation]]:
        grouped: dict[str, list[Occupation]] = defaultdict(list)
        for occupation in self.occupations:
            grouped[occupation.ssyk4].append(occupation)
        return grouped

    def place_names(self) -> list[str]:
        lan = [label for label in self.lan_labels.values()]
        return [m.name for m in self.municipalities.values()] + lan + [
            label.removesuffix(" län") for label in lan
        ]

    def sun_label(self, code: str) -> str | None:
        return self.sun5_labels.get(code) or self.sun_fields.get(code)

    def holding_out(self, occupation_ids: Iterable[str]) -> Taxonomy:
        """A copy that knows nothing of the given occupation names.

        The names are dropped, their own descriptions are dropped, and every whole-word
        occurrence of their labels is masked out of the remaining texts (SSYK4 labels and
        definitions, skills, other descriptions), because many texts quote their own names.
        """
        held = set(occupation_ids)
        phrases = sorted(
            {part for o in self.occupations if o.id in held for part in label_variants(o.label)},
            key=len,
            reverse=True,
        )

        def mask(text: str) -> str:
            lowered = text.lower()
            for phrase in phrases:
                if phrase in lowered:
                    text = mask_phrase(text, phrase)
                    lowered = text.lower()
            return text

        groups = {
            code: dataclasses.replace(g, label=mask(g.label), definition=mask(g.definition))
            for code, g in self.groups.items()
        }
        skills = {code: tuple(mask(s) for s in texts) for code, texts in self.skills.items()}
        descriptions = {
            occ_id: tuple(mask(d) for d in texts)
            for occ_id, texts in self.descriptions.items()
            if occ_id not in held
        }
        held_texts = {normalise(p) for p in phrases}
        return dataclasses.replace(
            self,
            occupations=tuple(o for o in self.occupations if o.id not in held),
            groups=groups,
            skills=skills,
            descriptions=descriptions,
            job_titles=tuple(t for t in self.job_titles if normalise(t.title) not in held_texts),
        )

    def without_job_titles(self, title_ids: Iterable[str]) -> Taxonomy:
        """A copy that knows nothing of the given job titles (for cross-validation)."""
        held = set(title_ids)
        return dataclasses.replace(self, job_titles=tuple(t for t in self.job_titles if t.id not in held))


def label_variants(label: str) -> list[str]:
    """The label and its slash-separated alternatives, lower-cased.

    "Stadsbyggnadschef/Stadsbyggnadsdirektör" → the whole label and both names.
    """
    parts = [p.strip() for p in label.split("/") if len(p.strip()) > 2]
    variants = [label.strip().lower()] + [p.lower() for p in parts if len(parts) > 1]
    return list(dict.fromkeys(variants))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_taxonomy(data_dir: Path) -> Taxonomy:
    tax = Path(data_dir) / "taxonomy"
    groups = {
        r["ssyk4_code"]: Ssyk4Group(
            code=r["ssyk4_code"],
            label=r["label"],
            ssyk3=r["ssyk3_code"],
            field_id=r["occupation_field_id"],
            field_label=r["occupation_field_label"],
            definition=r["definition"],
        )
        for r in _rows(tax / "ssyk4.csv")
    }
    occupations = tuple(
        Occupation(id=r["concept_id"], label=r["label"], ssyk4=r["ssyk4_code"])
        for r in _rows(tax / "occupations.csv")
        if r["ssyk4_code"] in groups
    )
    skills: dict[str, list[str]] = defaultdict(list)
    for r in _rows(tax / "ssyk4_skills.csv"):
        skills[r["ssyk4_code"]].append(r["skill_label"])
    known = {o.id for o in occupations}
    descriptions: dict[str, list[str]] = defaultdict(list)
    for r in _rows(tax / "occupation_descriptions.csv"):
        if r["occupation_id"] in known:
            text = r["description"].removeprefix("Beskrivning hämtad från relaterat ESCO-yrke.")
            descriptions[r["occupation_id"]].append(text.strip())
    sun_rows = _rows(tax / "sun2020_education_fields.csv")
    sun5_path = Path(data_dir) / "yh" / "sun5_codes_in_yh_2023_2024.csv"
    sun5_labels: dict[str, str] = {}
    if sun5_path.exists():
        for r in _rows(sun5_path):
            sun5_labels.setdefault(r["sun5_kod"], r["sun5_namn"])
    return Taxonomy(
        occupations=occupations,
        groups=groups,
        ssyk3_labels={
            r["ssyk_code"]: r["label"] for r in _rows(tax / "ssyk_hierarchy.csv") if r["level"] == "3"
        },
        skills={code: tuple(texts) for code, texts in skills.items()},
        descriptions={occ_id: tuple(texts) for occ_id, texts in descriptions.items()},
        sun_fields={r["sun_field_code"]: r["label"] for r in sun_rows},
        sun_definitions={r["sun_field_code"]: r["definition"] for r in sun_rows},
        sun5_labels=sun5_labels,
        municipalities={
            r["kommunkod"]: Municipality(code=r["kommunkod"], name=r["label"], lan_code=r["lan_code"])
            for r in _rows(tax / "municipalities.csv")
        },
        lan_labels={r["lan_code"]: r["label"] for r in _rows(tax / "regions_lan.csv")},
        ad_volume=_national_ad_volume(Path(data_dir) / "labour_market" / "ads_2024_by_ssyk4_lan.csv"),
        job_titles=load_job_titles(data_dir, groups),
    )


def load_job_titles(data_dir: Path, groups: Iterable[str] = ()) -> tuple[JobTitle, ...]:
    """``taxonomy/job_titles_dev.csv`` (titles without a known group are skipped)."""
    path = Path(data_dir) / "taxonomy" / "job_titles_dev.csv"
    if not path.exists():
        return ()
    known = set(groups)
    titles = []
    for r in _rows(path):
        codes = tuple(dict.fromkeys(c for c in r["ssyk4_codes"].split("|") if c in known))
        if codes and r["job_title"].strip():
            titles.append(JobTitle(r["job_title_concept_id"], r["job_title"].strip(), codes))
    return tuple(titles)


def _national_ad_volume(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    return {r["ssyk4_code"]: int(r["n_ads_2024"]) for r in _rows(path) if r["lan_code"] == "00"}


@dataclass(frozen=True)
class YhApplication:
    """One YH programme application (one diarienummer) of one application round."""

    id: str
    round: int
    name: str
    area: str
    sun5: str
    kommun_codes: tuple[str, ...]
    distance: bool
    seqf: int | None
    places: int | None


def load_yh_applications(data_dir: Path) -> list[YhApplication]:
    yh = Path(data_dir) / "yh"
    kommuner: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in _rows(yh / "application_municipalities_2019_2025.csv"):
        if r["kommunkod"]:
            kommuner[(r["ansokningsomgang"], r["diarienummer"])].append(r["kommunkod"])
    applications = []
    for r in _rows(yh / "applications_2018_2025.csv"):
        key = (r["ansokningsomgang"], r["diarienummer"])
        codes = [r["kommunkod"]] if r["kommunkod"] else kommuner.get(key, [])
        applications.append(
            YhApplication(
                id=r["diarienummer"],
                round=int(r["ansokningsomgang"]),
                name=r["utbildningsnamn"],
                area=r["utbildningsomrade"],
                sun5=r["sun5_kod"],
                kommun_codes=tuple(dict.fromkeys(codes)),
                distance=r["studieform"] == "Distans",
                seqf=int(r["seqf_niva"]) if r["seqf_niva"].isdigit() else None,
                places=_int_or_none(r["sokta_platser_per_omgang"]),
            )
        )
    return applications


def _int_or_none(value: str) -> int | None:
    try:
        return int(float(value))
    except ValueError:
        return None
