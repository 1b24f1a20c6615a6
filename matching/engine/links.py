"""Learned association between SUN education codes and SSYK4 occupation groups.

There is no official SUN ↔ SSYK mapping in the shipped data, so it is learned: every YH
programme with a known SUN5 code is coded to occupations by the occupation coder (from its
name), and the coded distributions are summed per SUN5 code, per four- and per three-character
prefix. The code's own label, coded the same way, is a back-off for codes with few or no
programmes (e.g. university fields). Rows are scaled so the strongest group is 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .occupation import OccupationCoder

LABEL_WEIGHT = 1.0
PARENT_WEIGHT = 2.0
MIN_LINK = 0.05
_LABEL_NOISE = re.compile(
    r"^(övriga |breda |vidare)?utbildningar?( (till|inom|mot|med inriktning mot|i|för))?\s+",
    re.IGNORECASE,
)


def label_as_occupation_text(label: str) -> str:
    """"Utbildningar till tandsköterska" → "tandsköterska"."""
    return _LABEL_NOISE.sub("", label).strip() or label


@dataclass
class SunOccupationLinks:
    group_codes: list[str]
    by_code: dict[str, np.ndarray]
    """Summed coded distributions per SUN code and per 4- and 3-character prefix."""
    counts: dict[str, int]
    label_rows: dict[str, np.ndarray]

    def row(self, sun_code: str | None) -> np.ndarray:
        """Association of a SUN code with every SSYK4 group, scaled to a maximum of 1."""
        out = np.zeros(len(self.group_codes), dtype=np.float32)
        if not sun_code:
            return out
        code = sun_code.strip()
        if code in self.by_code:
            out += self.by_code[code]
        for prefix in (code[:4], code[:3]):
            if prefix != code and prefix in self.by_code:
                out += PARENT_WEIGHT * self.by_code[prefix] / max(self.counts[prefix], 1)
                break
        for key in (code, code[:4]):
            if key in self.label_rows:
                out += LABEL_WEIGHT * self.label_rows[key]
                break
        peak = out.max()
        if peak <= 0:
            return out
        out /= peak
        out[out < MIN_LINK] = 0.0
        return out


def fit_sun_links(names: Sequence[str], sun_codes: Sequence[str], labels: dict[str, str],
                  coder: OccupationCoder) -> SunOccupationLinks:
    """Learn the association from programmes with known SUN codes.

    ``labels`` maps SUN codes (five- and four-character) to their Swedish labels.
    """
    distributions = coder.distribution(list(names), top_k=3)
    by_code: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for code, dist in zip(sun_codes, distributions):
        for key in dict.fromkeys((code, code[:4], code[:3])):
            by_code[key] = by_code.get(key, 0) + dist
            counts[key] = counts.get(key, 0) + 1
    label_codes = sorted(labels)
    label_dists = coder.distribution(
        [label_as_occupation_text(labels[c]) for c in label_codes], top_k=3
    )
    return SunOccupationLinks(
        group_codes=list(coder.index.group_codes),
        by_code=by_code,
        counts=counts,
        label_rows=dict(zip(label_codes, label_dists)),
    )
