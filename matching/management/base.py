"""Shared plumbing of the matcher's command-line contracts (documented in docs/matching.md)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError

from matching.engine.errors import EngineInputError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class JsonLinesCommand(BaseCommand):
    """Reads files, writes one JSON object per line, works on an empty database."""

    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--top", type=positive_int, default=5, help="at most this many results per input")

    def write_lines(self, records: Iterable[dict]) -> None:
        try:
            for record in records:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
        except EngineInputError as error:
            raise CommandError(str(error), returncode=2) from error

    @staticmethod
    def stdin_lines() -> Iterable[str]:
        return sys.stdin
