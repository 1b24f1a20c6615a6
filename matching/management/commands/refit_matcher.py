import time

from django.conf import settings
from django.core.management.base import BaseCommand

from matching import runtime, services
from matching.engine.artefacts import build_artefacts


class Command(BaseCommand):
    help = ("Build the matcher's artefacts from the shipped data (cached outside git; a no-op when current) "
            "and refit its ranking weights from the users' feedback on matches.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rebuild the artefacts even when they are current")
        parser.add_argument("--no-feedback", action="store_true", help="only build the shipped artefacts")

    def handle(self, *args, rebuild: bool, no_feedback: bool, **options):
        started = time.monotonic()
        path = build_artefacts(settings.TAXONOMY_DATA_DIR, settings.MATCHER_CACHE_DIR, embedder=runtime.embedder(),
                               force=rebuild)
        self.stdout.write(f"artefacts: {path} ({time.monotonic() - started:.0f} s)")
        if no_feedback:
            return
        count, weights = services.matcher_refit_from_feedback()
        runtime.use_matcher(None)
        self.stdout.write(self.style.SUCCESS(f"ranking weights refitted with {count} judgements: {weights}"))
