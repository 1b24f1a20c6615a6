"""How well a programme's purpose — training people *into* an occupation, *further* education
for people already in it, or *both* — suits a need's purpose (recruitment or upskilling).

What a programme is for is read from its data by ``matchplats.core.purposes.programme_purpose``,
the one rule shared with the importers; it is re-exported here for the engine's callers.
"""

from __future__ import annotations

from matchplats.core.purposes import programme_purpose

__all__ = ["programme_purpose", "purpose_fit", "purpose_fit_table"]

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
