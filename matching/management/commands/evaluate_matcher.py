from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from matching.engine.embeddings import MINILM, Embedder
from matching.engine.evaluate import evaluate


class Command(BaseCommand):
    help = ("Build held-out evaluation sets from the shipped data and print accuracy@1, recall@5, recall@10, MRR and "
            "nDCG@10 with 95 % bootstrap intervals for the full matcher and its baselines (TF-IDF only, each "
            "embedding model alone) in the same run.")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--model", default=None,
            help="embedding model of the evaluated matcher: 'e5' (multilingual-e5-small, the default), 'minilm' "
                 "(all-MiniLM-L6-v2) or a sentence-transformers directory; default: MATCHER_EMBEDDING_MODEL")

    def handle(self, *args, seed: int, model: str | None, **options):
        setting = {"e5": "", "minilm": MINILM}.get(model, model) if model is not None else settings.MATCHER_EMBEDDING_MODEL
        embedder = Embedder(setting or None)
        others = [Embedder(m) for m in (None, MINILM) if Embedder(m).name != embedder.name]
        evaluate(settings.TAXONOMY_DATA_DIR, embedder=embedder, compare=others, seed=seed,
                 cache_dir=Path(settings.VAR_DIR) / "cache" / "evaluation", out=self.stdout)
