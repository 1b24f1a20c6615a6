"""What a match score means, the floor below which results are not listed by default, and the
reliability table that checks the meaning on judged pairs the ranker was not fitted on.

A score is ``sigmoid(w · x + b)`` of the ranking features, fitted on graded relevance (see
:func:`matching.engine.synthetic.relevance`): read it as the probability that a coordinator
would judge the programme relevant to the need. :func:`reliability_table` measures how well
that reading holds on real offerings and real job titles; ``FIT_LEVELS`` turn it into words.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .documents import NeedDoc, ProgrammeDoc
from .features import FeatureSpace
from .ranker import Ranker


@dataclass(frozen=True)
class FitLevel:
    key: str
    label: str
    label_en: str
    minimum: float


FIT_LEVELS = (
    FitLevel("very_good", "Mycket god", "Very good", 0.6),
    FitLevel("good", "God", "Good", 0.3),
    FitLevel("possible", "Möjlig", "Possible", 0.1),
)
"""Fit levels by score, best first; a score below the last minimum is ``WEAK``."""
WEAK = FitLevel("weak", "Svag", "Weak", 0.0)
FLOOR = FIT_LEVELS[-1].minimum
"""Results scoring below this are "weaker": not listed by default, only counted."""


def fit_level(score: float) -> FitLevel:
    """The fit level a score falls in."""
    return next((level for level in FIT_LEVELS if score >= level.minimum), WEAK)


class Scored:
    """Mixin for anything with a ``score``: its fit level and whether it is listed by default."""

    score: float

    @property
    def fit(self) -> FitLevel:
        return fit_level(self.score)

    @property
    def above_floor(self) -> bool:
        """Listed by default; a result below ``FLOOR`` is only counted as weaker."""
        return self.score >= FLOOR


def split_at_floor(results: Sequence, floor: float = FLOOR) -> tuple[list, list]:
    """Ranked results (anything with a ``score``) → (listed, weaker), order kept."""
    listed = [r for r in results if r.score >= floor]
    return listed, [r for r in results if r.score < floor]


@dataclass(frozen=True)
class ReliabilityRow:
    low: float
    high: float
    n: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class Reliability:
    rows: list[ReliabilityRow]
    ece: float
    """Expected calibration error: Σ_bins n_bin / n · |predicted − observed|."""
    n_pairs: int
    n_relevant: int
    n_needs: int
    n_programmes: int
    n_listed: int
    """Pairs scoring at least ``FLOOR``."""
    precision_listed: float
    """Share of the listed pairs that are relevant."""
    recall_listed: float
    """Share of the relevant pairs that are listed."""
    ece_listed: float
    """ECE over the listed pairs only (the overall ECE is dominated by clear negatives)."""

    def format(self) -> str:
        lines = [f"reliability: {self.n_needs} job titles × {self.n_programmes} offerings = "
                 f"{self.n_pairs} pairs, {self.n_relevant} relevant",
                 "score bin   | pairs | predicted | observed",
                 "------------+-------+-----------+---------"]
        lines += [f"{r.low:.1f} – {r.high:.1f}   | {r.n:5d} | {r.predicted:9.3f} | {r.observed:8.3f}"
                  for r in self.rows]
        lines.append(f"expected calibration error (ECE): {self.ece:.3f}")
        lines.append(f"listed (score ≥ {FLOOR}): {self.n_listed} pairs, "
                     f"{self.precision_listed:.1%} relevant, {self.recall_listed:.1%} of the "
                     f"relevant pairs, ECE {self.ece_listed:.3f}")
        return "\n".join(lines)


def reliability_bins(predicted: np.ndarray, relevant: np.ndarray, *, bins: int = 10
                     ) -> tuple[list[ReliabilityRow], float]:
    """Equal-width bins over [0, 1]: mean predicted vs observed share relevant, and the ECE."""
    predicted = np.asarray(predicted, dtype=float)
    relevant = np.asarray(relevant, dtype=float)
    which = np.minimum((predicted * bins).astype(int), bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if not mask.any():
            continue
        p, o = float(predicted[mask].mean()), float(relevant[mask].mean())
        rows.append(ReliabilityRow(b / bins, (b + 1) / bins, int(mask.sum()), p, o))
        ece += mask.sum() / len(predicted) * abs(p - o)
    return rows, float(ece)


def judged_offering_pairs(offerings_csv: Path, job_titles_csv: Path, *,
                          kommun_code=lambda name: None, other_titles: int = 150, seed: int = 0
                          ) -> tuple[list[NeedDoc], list[ProgrammeDoc], np.ndarray]:
    """Needs, programmes and relevance of real pairs judged without the training label rule.

    Programmes: Arbetsförmedlingen's labour-market training offerings (name, description,
    town), without their SSYK4 tags. Needs: every job title whose group an offering is tagged
    with, plus ``other_titles`` seeded job titles of other groups, as bare titles (an
    employer's words; the matcher codes them). An offering is relevant to a job title iff they
    share a tagged SSYK4 group.
    """
    with Path(offerings_csv).open(encoding="utf-8", newline="") as handle:
        offerings = list(csv.DictReader(handle))
    with Path(job_titles_csv).open(encoding="utf-8", newline="") as handle:
        titles = list(csv.DictReader(handle))
    taught = {code for o in offerings for code in o["ssyk4_codes"].split("|")}
    inside = [t for t in titles if set(t["ssyk4_codes"].split("|")) & taught]
    outside = [t for t in titles if not set(t["ssyk4_codes"].split("|")) & taught]
    outside = random.Random(seed).sample(outside, min(other_titles, len(outside)))
    chosen = inside + outside
    needs = [NeedDoc(id=t["job_title_concept_id"], title=t["job_title"]) for t in chosen]
    programmes = []
    for o in offerings:
        kommun = kommun_code(o["ort"])
        programmes.append(ProgrammeDoc(id=o["offering_id"], name=o["utbildningsnamn"],
                                       description=o["beskrivning"],
                                       kommuner=(kommun,) if kommun else ()))
    relevant = np.asarray([
        [bool(set(t["ssyk4_codes"].split("|")) & set(o["ssyk4_codes"].split("|")))
         for o in offerings] for t in chosen
    ])
    return needs, programmes, relevant


def reliability_table(space: FeatureSpace, ranker: Ranker, offerings_csv: Path,
                      job_titles_csv: Path, *, kommun_code=lambda name: None, bins: int = 10,
                      other_titles: int = 150, seed: int = 0,
                      today: date | None = None) -> Reliability:
    """Predicted vs observed relevance per score bin on :func:`judged_offering_pairs`.

    ``matcher.space``, ``matcher.ranker`` and ``matcher.kommun_code`` are what to pass.
    """
    needs, programmes, relevant = judged_offering_pairs(
        offerings_csv, job_titles_csv, kommun_code=kommun_code, other_titles=other_titles,
        seed=seed)
    block = space.programme_block(programmes)
    queries = space.need_queries(needs, today=today or date.today())
    scores = np.stack([ranker.score(space.features(block, q)) for q in queries])
    scores, relevant = scores.ravel(), relevant.ravel()
    rows, ece = reliability_bins(scores, relevant, bins=bins)
    listed = scores >= FLOOR
    _, ece_listed = reliability_bins(scores[listed], relevant[listed], bins=bins)
    n_listed = int(listed.sum())
    return Reliability(
        rows, ece, int(relevant.size), int(relevant.sum()), len(needs), len(programmes),
        n_listed, float(relevant[listed].mean()) if n_listed else 0.0,
        float(listed[relevant].mean()) if relevant.any() else 0.0, ece_listed)
