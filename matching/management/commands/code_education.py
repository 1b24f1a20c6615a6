from matching.engine import cli
from matching.management.base import JsonLinesCommand
from matching.runtime import shipped_matcher


class Command(JsonLinesCommand):
    help = "Programme names on stdin (optionally name<TAB>area) → ranked SUN 2020 codes, as JSON lines."

    def handle(self, *args, top: int, **options):
        self.write_lines(cli.code_education(self.stdin_lines(), shipped_matcher(), top_k=top))
