"""How many generated inputs the bad-input suite tried, and how many of them a server error
answered. tests/conftest.py prints both at the end of the run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tally:
    inputs: int = 0
    server_errors: int = 0


TALLY = Tally()
