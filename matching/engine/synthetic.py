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
The evaluation table uses these gains.

The ranking weights are fitted on a finer, graded :func:`relevance` in [0, 1]: occupation fit ×
reachable (same kommun > same län > distance > elsewhere) × starts in time × level fits ×
purpose fits, so that place, level and purpose earn weight of their own.

Needs are occupation names of linked groups, with a random kommun, horizon, level and head
count; programmes are YH applications with synthetic intake dates. All randomness is seeded.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matchplats.core.horizons import HORIZONS, needed_by_for_horizon

from .documents import Intake, NeedDoc, ProgrammeDoc
from .purpose import purpose_fit
from .taxonomy import Occupation, Taxonomy, YhApplication, label_variants
from .text import normalise, tokens

REFERENCE_DATE = date(2025, 1, 1)
MAX_GAIN = 3
REACH = {"kommun": 1.0, "lan": 0.7, "distance": 0.6, "elsewhere": 0.2}
"""Relevance factor of where a programme is given, seen from a need with a place."""
LATE = 0.4
"""Relevance factor of a programme whose intakes all fall outside the need's window."""
LEVEL = (1.0, 0.75, 0.4)
"""Relevance factor of SeQF levels 0, 1 and 2 or more apart."""
UNKNOWN_LEVEL = 0.75
"""Relevance factor of a programme of unknown level for a need that names one."""
PURPOSE = {"fits": 1.0, "unknown": 0.75, "misfits": 0.5}
"""Relevance factor of the programme's purpose (into / further / both) for the need's."""
NEED_PURPOSE_SHARES = (("recruitment", 0.6), ("upskilling", 0.25), (None, 0.15))
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
    purposes = random.Random(seed + 7919)  # its own stream: the other draws stay as they were
    needs = []
    for i, occupation in enumerate(occupations):
        kommun = rng.choice(kommuner) if kommuner and rng.random() < 0.75 else None
        need = NeedDoc(
            id=f"need-{i}", title=occupation.label, kommun=kommun,
            needed_by=needed_by_for_horizon(rng.choice(horizons), today),
            seqf=rng.choice([None, None, None, 4, 5, 6]), headcount=rng.randint(1, 20),
            purpose=purposes.choices([p for p, _ in NEED_PURPOSE_SHARES],
                                     [w for _, w in NEED_PURPOSE_SHARES])[0],
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


def relevance(judged: JudgedNeed, programme: ProgrammeDoc, links: dict[str, set[str]], *,
              purpose: str | None, today: date = REFERENCE_DATE) -> float:
    """Graded relevance in [0, 1]: 0 unless the programme's SUN5 code trains for the need's
    group, else the product of the factors for place (``REACH``), time (``LATE``), level
    (``LEVEL``) and purpose (``PURPOSE``; ``purpose`` is the programme's). What the need leaves
    open (no place, date, level or purpose) does not lower it."""
    if judged.ssyk4 not in links.get(programme.sun_code or "", ()):
        return 0.0
    need = judged.need
    value = 1.0
    if need.kommun is not None or need.lan_code is not None:
        options = [REACH["elsewhere"]]
        if need.kommun in programme.kommuner:
            options.append(REACH["kommun"])
        if need.lan in programme.lans:
            options.append(REACH["lan"])
        if programme.distance:
            options.append(REACH["distance"])
        value *= max(options)
    if need.needed_by is not None and not any(
        today <= intake.start <= need.needed_by for intake in programme.intakes
    ):
        value *= LATE
    if need.seqf:
        value *= (LEVEL[min(abs(need.seqf - programme.seqf), 2)] if programme.seqf
                  else UNKNOWN_LEVEL)
    if need.purpose is not None:
        if purpose is None:
            value *= PURPOSE["unknown"]
        elif purpose_fit(need.purpose, purpose) < 1.0:
            value *= PURPOSE["misfits"]
    return value
