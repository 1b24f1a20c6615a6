from pathlib import Path

from django.core.management.base import CommandError

from matching.engine import cli
from matching.management.base import JsonLinesCommand
from matching.runtime import shipped_matcher


class Command(JsonLinesCommand):
    help = "Needs JSONL × programmes JSONL → ranked programmes with reasons per need, as JSON lines."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(top=10)
        parser.add_argument("--needs", type=Path, required=True)
        parser.add_argument("--programmes", type=Path, required=True)

    def handle(self, *args, needs: Path, programmes: Path, top: int, **options):
        for path in (needs, programmes):
            if not path.is_file():
                raise CommandError(f"{path} does not exist.", returncode=2)
        with needs.open(encoding="utf-8") as need_lines, programmes.open(encoding="utf-8") as programme_lines:
            self.write_lines(cli.rank_programmes(need_lines, programme_lines, shipped_matcher(), top_k=top))
