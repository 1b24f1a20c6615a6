from django.conf import settings
from django.core.management.base import BaseCommand

from matching.engine.evaluate import evaluate
from matching.runtime import embedder


class Command(BaseCommand):
    help = ("Build held-out evaluation sets from the shipped data and print accuracy@1, recall@5, MRR and nDCG@10 "
            "for the full matcher and its baselines in the same run.")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, seed: int, **options):
        evaluate(settings.TAXONOMY_DATA_DIR, embedder=embedder(), seed=seed, out=self.stdout)
