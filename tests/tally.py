"""Figures that generated tests report at the end of a run (tests/conftest.py prints them): how
many generated inputs the bad-input suite tried and how many a server error answered, and how many
cases schemathesis sent to how many API operations."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    inputs: int = 0
    server_errors: int = 0
    api_cases: int = 0
    api_operations: int = 0
    matrix_cases: dict[str, int] = field(default_factory=dict)
    """Cases the permission matrix tried, by table (pages, api, live)."""


TALLY = Tally()
