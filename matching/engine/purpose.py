"""What a programme is for: training people *into* an occupation, *further* education for
people already in it, or *both*, and how well that suits a need's purpose.

:func:`programme_purpose` reads it from the data where the data says so, for importers and for
programmes indexed without one:

* a validation path is ``both`` (it certifies competence, for new and current staff alike);
* a SUN5 label "Vidareutbildningar för …", or a name with "Specialist…", "vidareutbildning",
  "fortbildning", "påbyggnad" or "kompetensutveckling", is ``further``;
* a SUN5 label "Utbildningar till …" is ``into``;
* anything else is unknown (None).
"""

from __future__ import annotations

import re

from .text import normalise

_FURTHER_NAME = re.compile(
    r"\b(?:specialist|vidareutbildning|fortbildning|påbyggnad|kompetensutveckling)"
)

PURPOSE_FIT = {
    ("recruitment", "into"): 1.0,
    ("recruitment", "both"): 1.0,
    ("recruitment", "further"): 0.0,
    ("upskilling", "further"): 1.0,
    ("upskilling", "both"): 1.0,
    ("upskilling", "into"): 0.0,
}
"""Feature value of a (need purpose, programme purpose) pair; an unknown programme purpose is
``UNKNOWN_PURPOSE_FIT``; a need without a purpose is met by every programme (1)."""
UNKNOWN_PURPOSE_FIT = 0.5

PROGRAMME_PURPOSE_CODES = {None: 0, "into": 1, "further": 2, "both": 3}
NEED_PURPOSE_CODES = {None: 0, "recruitment": 1, "upskilling": 2}


def programme_purpose(name: str, *, sun_label: str | None = None,
                      kind: str = "programme") -> str | None:
    """``into``, ``further``, ``both`` or None, from the kind, name and SUN5 label."""
    if kind == "validation":
        return "both"
    label = (sun_label or "").strip()
    if label.startswith("Vidareutbildningar för") or _FURTHER_NAME.search(normalise(name)):
        return "further"
    if label.startswith("Utbildningar till"):
        return "into"
    return None


def purpose_fit(need_purpose: str | None, programme: str | None) -> float:
    """How well a programme's purpose suits the need's (see ``PURPOSE_FIT``)."""
    if need_purpose is None:
        return 1.0
    if programme is None:
        return UNKNOWN_PURPOSE_FIT
    return PURPOSE_FIT[(need_purpose, programme)]


def purpose_fit_table() -> list[list[float]]:
    """``purpose_fit`` indexed by need and programme purpose codes, for vectorised use."""
    needs = sorted(NEED_PURPOSE_CODES, key=NEED_PURPOSE_CODES.get)
    programmes = sorted(PROGRAMME_PURPOSE_CODES, key=PROGRAMME_PURPOSE_CODES.get)
    return [[purpose_fit(n, p) for p in programmes] for n in needs]
