"""The engine's input documents: plain dataclasses, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

NeedPurpose = Literal["recruitment", "upskilling"]
ProgrammePurpose = Literal["into", "further", "both"]
NEED_PURPOSES: tuple[str, ...] = ("recruitment", "upskilling")
PROGRAMME_PURPOSES: tuple[str, ...] = ("into", "further", "both")


@dataclass(frozen=True)
class Intake:
    start: date
    places: int | None = None


@dataclass(frozen=True)
class NeedDoc:
    """A competence need. Only ``id`` and ``title`` are required."""

    id: str
    title: str
    description: str = ""
    ssyk4: str | None = None
    kommun: str | None = None
    needed_by: date | None = None
    seqf: int | None = None
    headcount: int | None = None
    lan_code: str | None = None
    """For a need in a whole län (no kommun): its 2-digit SCB code."""
    purpose: NeedPurpose | None = None
    """``recruitment`` (new people) or ``upskilling`` (kompetensutveckling of current staff)."""

    @property
    def lan(self) -> str | None:
        """SCB län code: the first two digits of the kommun code, else ``lan_code``."""
        return self.kommun[:2] if self.kommun else self.lan_code


@dataclass(frozen=True)
class ProgrammeDoc:
    """A programme or validation path. Only ``id`` and ``name`` are required."""

    id: str
    name: str
    description: str = ""
    sun_code: str | None = None
    ssyk4: tuple[str, ...] = ()
    kommuner: tuple[str, ...] = ()
    distance: bool = False
    intakes: tuple[Intake, ...] = field(default_factory=tuple)
    seqf: int | None = None
    kind: Literal["programme", "validation"] = "programme"
    purpose: ProgrammePurpose | None = None
    """``into`` (trains people into the occupation), ``further`` (further education for people
    already in it) or ``both``; None when unknown (the engine then derives it where the name
    or SUN label says so, see :func:`matching.engine.purpose.programme_purpose`)."""

    @property
    def lans(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k[:2] for k in self.kommuner))
