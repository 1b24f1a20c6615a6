from matching.engine import cli
from matching.management.base import JsonLinesCommand
from matching.runtime import shipped_matcher


class Command(JsonLinesCommand):
    help = "Free Swedish text on stdin, one per line → ranked SSYK4 groups with occupation names, as JSON lines."

    def handle(self, *args, top: int, **options):
        self.write_lines(cli.code_occupation(self.stdin_lines(), shipped_matcher(), top_k=top))
