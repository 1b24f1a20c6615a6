"""Reading a need typed in plain Swedish: occupation, place, how many, when, and a short title.

"Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år" → SSYK 5321
(Undersköterska, hemtjänst …), Karlstad, 12, within 1 year, "Undersköterskor till hemtjänsten i
Karlstad". A time the reader cannot place ("om ett par år", "nästa vår") is returned as
``unread_horizon`` so the form asks instead of guessing. The employer confirms each
suggestion in the form; nothing is saved from here. The text typed is coded at once (one
short sentence); stored needs and programmes are only ever encoded in the background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from matching import runtime
from matching.engine.text import MAX_TEXT_CHARS
from matchplats.taxonomy.models import Kommun, OccupationName, SsykGroup

NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18,
    "nitton": 19, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "hundra": 100,
}
HORIZON_PATTERNS = [
    ("3-5y", r"(3\s*[-–]\s*5|tre\s+till\s+fem|fem)\s+år"),
    ("1-3y", r"(1\s*[-–]\s*3|ett\s+till\s+tre|inom\s+(två|tre|2|3))\s+år"),
    ("1y", r"inom\s+(ett|1|ett\s+halvt)\s+år|nästa\s+år|till\s+hösten|till\s+våren|i\s+höst|i\s+vår"),
    ("now", r"\b(nu|omgående|direkt|snarast|akut|genast)\b"),
]
UNREAD_HORIZON_PATTERN = re.compile(
    r"\b(om\s+(?:ett\s+par|några|\w+)\s+(?:år|månader|veckor)"
    r"|(?:nästa|kommande|till\s+nästa)\s+(?:vår|höst|sommar|vinter|termin|läsår)"
    r"|(?:till|i|under|inför)\s+(?:sommaren|vintern|våren|hösten)(?:\s+20\d\d)?"
    r"|(?:på\s+sikt|framöver|längre\s+fram|så\s+småningom|efter\s+sommaren|efter\s+jul(?:en)?)"
    r"|(?:år\s+|till\s+|under\s+|inför\s+)?20\d\d"
    r"|\d+\s*(?:[-–]\s*\d+\s*)?(?:år|månader|veckor))\b", re.I)
"""Words that speak of a time; when none of ``HORIZON_PATTERNS`` reads them, the user is asked."""
LEAD_IN_PATTERN = re.compile(
    r"^(?:hej[,!.]?\s+)?(?:vi|jag|kommunen|företaget|regionen)?\s*(?:behöver|söker|letar\s+efter|"
    r"vill\s+(?:anställa|rekrytera|ha)|ska\s+(?:anställa|rekrytera)|rekryterar|saknar|har\s+behov\s+av)\s+"
    r"(?:(?:ca|cirka|runt|omkring|ungefär|minst|upp\s+till)\s+)?", re.I)
TITLE_MAX_CHARS = 80
COUNT_PATTERN = re.compile(r"\b(\d{1,5}|" + "|".join(NUMBER_WORDS) + r")\s+(?!år\b|veckor\b|månader\b)[a-zåäö]", re.I)


@dataclass
class Interpretation:
    text: str
    occupations: list[dict] = field(default_factory=list)
    kommun: Kommun | None = None
    headcount: int | None = None
    horizon: str | None = None
    unread_horizon: str = ""
    """The words about time that could not be read as a horizon, e.g. "om ett par år"."""
    title: str = ""


@lru_cache(maxsize=1)
def _kommun_patterns() -> list[tuple[re.Pattern, str]]:
    """Kept by SCB code, which stays the same when the reference data is loaded again (an id may not)."""
    names = sorted(Kommun.objects.values_list("label", "code"), key=lambda item: -len(item[0]))
    return [(re.compile(rf"\b{re.escape(label)}s?\b", re.I), code) for label, code in names]


def _kommun(text: str) -> Kommun | None:
    for pattern, code in _kommun_patterns():
        if pattern.search(text):
            return Kommun.objects.select_related("lan").filter(code=code).first()
    return None


def _headcount(text: str) -> int | None:
    match = COUNT_PATTERN.search(text)
    if not match:
        return None
    token = match.group(1).lower()
    number = int(token) if token.isdigit() else NUMBER_WORDS[token]
    return number if 1 <= number <= 10_000 else None


def _horizon(text: str) -> str | None:
    lowered = text.lower()
    for horizon, pattern in HORIZON_PATTERNS:
        if re.search(pattern, lowered):
            return horizon
    return None


def _unread_horizon(text: str) -> str:
    match = UNREAD_HORIZON_PATTERN.search(text)
    return match.group(1) if match else ""


def short_title(text: str) -> str:
    """A title for the need from its first clause, without the lead-in, the number and the time:
    "Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år, gärna med körkort"
    → "Undersköterskor till hemtjänsten i Karlstad"."""
    clause = re.split(r"[.!?;:\n]|,\s|\s[-–]\s", text.strip(), maxsplit=1)[0]
    clause = LEAD_IN_PATTERN.sub("", clause.strip())
    clause = re.sub(rf"^(?:\d{{1,5}}|{'|'.join(NUMBER_WORDS)})\s+(?=\S)", "", clause, flags=re.I)
    for _horizon, pattern in HORIZON_PATTERNS:
        clause = re.sub(pattern, "", clause, flags=re.I)
    clause = UNREAD_HORIZON_PATTERN.sub("", clause)
    clause = re.sub(r"\s+", " ", clause).strip(" ,.-–")
    clause = re.sub(r"\s+(?:i|till|på|för|inom|om|och|med|från|under|senast)$", "", clause, flags=re.I)
    if len(clause) > TITLE_MAX_CHARS:
        clause = clause[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,")
    return clause[:1].upper() + clause[1:]


def interpret_need_text(text: str, *, top_k: int = 3) -> Interpretation:
    text = text.strip()[:MAX_TEXT_CHARS]
    result = Interpretation(text=text)
    if len(text) < 3:
        return result
    candidates = runtime.platform_matcher().code_occupation([text], top_k=top_k)[0]
    groups = SsykGroup.objects.in_bulk([c.ssyk4 for c in candidates], field_name="code")
    names = OccupationName.objects.in_bulk([c.occupation_id for c in candidates if c.occupation_id],
                                           field_name="concept_id")
    result.occupations = [
        {"ssyk4": groups[c.ssyk4], "occupation": names.get(c.occupation_id), "score": c.score}
        for c in candidates if c.ssyk4 in groups
    ]
    result.kommun = _kommun(text)
    result.headcount = _headcount(text)
    result.horizon = _horizon(text)
    result.unread_horizon = "" if result.horizon else _unread_horizon(text)
    result.title = short_title(text)
    return result
