"""What a programme is for, read from its data: the one rule, used by the importers (which store
it, editable afterwards) and by the matcher's engine (for programmes it sees without one). Plain
Python with no Django imports, like ``matchplats.core.horizons``.

* a validation path is ``both`` (it certifies competence, for new and current staff alike);
* a SUN5 label "Vidareutbildningar för …", or a name with "Specialist…", "vidareutbildning",
  "fortbildning", "påbyggnad" or "kompetensutveckling", is ``further`` (further education for
  people already in the occupation);
* a SUN5 label "Utbildningar till …" is ``into`` (trains people into the occupation);
* anything else is unknown (None): the data does not say.
"""

from __future__ import annotations

import re
import unicodedata

_FURTHER_NAME = re.compile(r"\b(?:specialist|vidareutbildning|fortbildning|påbyggnad|kompetensutveckling)")


def programme_purpose(name: str, *, sun_label: str | None = None, kind: str = "programme") -> str | None:
    """``into``, ``further``, ``both`` or None, from the kind, name and SUN5 label."""
    if kind == "validation":
        return "both"
    label = (sun_label or "").strip()
    if label.startswith("Vidareutbildningar för") or _FURTHER_NAME.search(
            unicodedata.normalize("NFKC", name or "").lower()):
        return "further"
    if label.startswith("Utbildningar till"):
        return "into"
    return None
