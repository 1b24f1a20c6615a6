import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from matching import adapters, runtime, services, vectors
from matching.models import DocumentVector

BATCH = 64


class Command(BaseCommand):
    help = ("Embed every need, programme and validation path whose stored vector is missing or stale, "
            "then re-rank all active needs and store their match links.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-encode even documents whose vector is current")

    def handle(self, *args, all: bool, **options):
        matcher = runtime.shipped_matcher()
        sources = [
            (DocumentVector.Kind.NEED, adapters.needs_for_matching(), adapters.need_doc, "needs"),
            (DocumentVector.Kind.PROGRAMME, adapters.programmes_with_relations(), adapters.programme_doc, "programmes"),
            (DocumentVector.Kind.VALIDATION, adapters.validation_paths_for_index(), adapters.validation_doc,
             "programmes"),
        ]
        for kind, queryset, to_doc, role in sources:
            objects = list(queryset)
            docs = [to_doc(obj) for obj in objects]
            texts = matcher.encoded_texts(**{role: docs})
            current = {} if all else vectors.stored_vectors(kind, {o.pk: t for o, t in zip(objects, texts)})
            stale = [o.pk for o in objects if o.pk not in current]
            with tqdm(total=len(stale), desc=f"encode {kind}", unit="doc", file=sys.stderr,
                      disable=not stale) as progress:
                for start in range(0, len(stale), BATCH):
                    batch = stale[start:start + BATCH]
                    services.documents_encode(kind=kind, ids=batch, only_stale=False)
                    progress.update(len(batch))
            self.stdout.write(f"{kind:<11} {len(objects):>6} documents, {len(stale):>6} encoded")
        links = services.match_links_refresh()
        self.stdout.write(self.style.SUCCESS(f"Index is fresh; {links} match links stored "
                                             f"(score ≥ {services.link_threshold()})."))
