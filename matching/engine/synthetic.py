"""Judged need × programme pairs derived from the shipped data, for fitting and evaluation.

Ground truth comes from MYH's own SUN5 labels: a code named "Utbildningar till X" (or
"Vidareutbildningar för X") trains for occupation X, and X is linked to the SSYK4 groups whose
occupation names or labels are X after normalisation and stemming
(:func:`sun5_occupation_links`). This rule uses no learned component of the matcher.

A programme is judged for a need only if its SUN5 code is linked this way; other programmes
are unjudged and left out of the pools. The gain of a judged programme for a need of group g:
0 if its code does not train for g; otherwise 1, plus 1 if it is reachable (same län, distance,
or the need names no place) and plus 1 if it starts in time (an intake between today and the
need's needed-by date, or the need has no date) — a programme that cannot be reached or
starts too late does not meet the need. A pair is *relevant* when the gain is the maximum, 3.

Needs are occupation names of linked groups, with a random kommun, horizon, level and head
count; programmes are YH applications with synthetic intake dates. All randomness is seeded.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .documents import Intake, NeedDoc, ProgrammeDoc
from .horizons import HORIZONS, needed_by_for_horizon
from .taxonomy import Occupation, Taxonomy, YhApplication, label_variants
from .text import normalise, tokens

REFERENCE_DATE = date(2025, 1, 1)
MAX_GAIN = 3
_TRAINS_FOR = re.compile(r"^(?:Utbildningar till|Vidareutbildningar för) (.+)$")


def sun5_occupation_links(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """SUN5 code → SSYK4 groups it trains for, from the code's label (see module docstring)."""
    def key(text: str) -> tuple[str, ...]:
        return tuple(tokens(normalise(text)))

    groups_by_key: dict[tuple[str, ...], set[str]] = {}
    for occupation in taxonomy.occupations:
        for variant in label_variants(occupation.label):
            groups_by_key.setdefault(key(variant), set()).add(occupation.ssyk4)
    for group in taxonomy.groups.values():
        for part in group.label.split(","):
            groups_by_key.setdefault(key(part), set()).add(group.code)
    links = {}
    for code, label in taxonomy.sun5_labels.items():
        match = _TRAINS_FOR.match(label)
        if not match:
            continue
        target = match.group(1)
        groups: set[str] = set()
        for part in re.split(r"/| – | och ", target):
            groups |= groups_by_key.get(key(part), set())
        groups = groups or groups_by_key.get(key(target), set())
        if 0 < len(groups) <= 3:
            links[code] = groups
    return links


def yh_programmes(applications: Sequence[YhApplication], *, seed: int,
                  today: date = REFERENCE_DATE) -> list[ProgrammeDoc]:
    """Programme documents for YH applications, with one to three synthetic intakes."""
    rng = random.Random(seed)
    programmes = []
    for a in applications:
        intakes = tuple(
            Intake(today + timedelta(days=rng.randint(-30, 4 * 365)), a.places)
            for _ in range(rng.randint(1, 3))
        )
        programmes.append(ProgrammeDoc(
            id=f"{a.round}:{a.id}", name=a.name, sun_code=a.sun5 or None,
            kommuner=a.kommun_codes, distance=a.distance, intakes=intakes, seqf=a.seqf,
        ))
    return programmes


@dataclass(frozen=True)
class JudgedNeed:
    need: NeedDoc
    ssyk4: str
    occupation_id: str


def synthetic_needs(occupations: Sequence[Occupation], kommuner: Sequence[str], *, seed: int,
                    today: date = REFERENCE_DATE) -> list[JudgedNeed]:
    rng = random.Random(seed)
    horizons = [None, *HORIZONS]
    needs = []
    for i, occupation in enumerate(occupations):
        kommun = rng.choice(kommuner) if kommuner and rng.random() < 0.75 else None
        need = NeedDoc(
            id=f"need-{i}", title=occupation.label, kommun=kommun,
            needed_by=needed_by_for_horizon(rng.choice(horizons), today),
            seqf=rng.choice([None, None, None, 4, 5, 6]), headcount=rng.randint(1, 20),
        )
        needs.append(JudgedNeed(need, occupation.ssyk4, occupation.id))
    return needs


def gain(judged: JudgedNeed, programme: ProgrammeDoc, links: dict[str, set[str]],
         today: date = REFERENCE_DATE) -> int:
    if judged.ssyk4 not in links.get(programme.sun_code or "", ()):
        return 0
    need = judged.need
    reachable = need.kommun is None or programme.distance or need.lan in programme.lans
    in_time = need.needed_by is None or any(
        today <= intake.start <= need.needed_by for intake in programme.intakes
    )
    return 1 + int(reachable) + int(in_time)
