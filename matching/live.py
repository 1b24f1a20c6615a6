"""The live programme index of this process, kept fresh from the database.

The index pulls changes instead of listening for signals: before each ranking it asks the
database what changed since its last look (by ``updated_at`` of programmes, validation paths
and vectors) and what disappeared, so every server process stays fresh on its own whoever made
the change and however (form, import, admin). It only reads the database.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from matching import adapters, runtime, vectors
from matching.engine.model import Matcher
from matching.models import DocumentVector
from providers.models import Programme, ValidationPath

_index: LiveIndex | None = None

class LiveIndex:
    """The engine's ProgrammeIndex plus what it needs to stay in step with the database."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.generation = runtime.generation
        self.index = matcher.new_index()
        self.synced: dict[str, datetime | None] = {"programme": None, "validation": None, "vector": None}
        self.waiting_for_vectors: set[str] = set()

    def refresh(self) -> None:
        """Apply what changed in the database since the last refresh."""
        with runtime.lock:
            programme_ids = self._changed("programme", Programme.objects)
            path_ids = self._changed("validation", ValidationPath.objects)
            for doc_id in self._vectors_arrived():
                kind, pk = adapters.parse_index_id(doc_id)
                (programme_ids if kind == "programme" else path_ids).add(pk)
            docs = [adapters.programme_doc(p) for p in adapters.programmes_for_index().filter(pk__in=programme_ids)]
            docs += [adapters.validation_doc(v) for v in adapters.validation_paths_for_index().filter(pk__in=path_ids)]
            indexed = {doc.id for doc in docs}
            for pk in programme_ids:  # changed but no longer rankable (rejected, withdrawn, ended)
                if f"{adapters.PROGRAMME_PREFIX}{pk}" not in indexed:
                    self.index.remove(f"{adapters.PROGRAMME_PREFIX}{pk}")
            if docs:
                dense, missing = vectors.programme_vectors(self.matcher, docs)
                self.index.add_many(docs, dense=dense)
                self.waiting_for_vectors = (self.waiting_for_vectors - indexed) | set(missing)
            self._drop_deleted()

    def _changed(self, key: str, manager) -> set[int]:
        """Ids of rows changed since the last look (every row on the first look)."""
        since = self.synced[key]
        # >=: a row saved in the same instant as the last one seen, but committed later, is not lost
        rows = manager.all() if since is None else manager.filter(updated_at__gte=since)
        changed = dict(rows.values_list("pk", "updated_at"))
        if changed:
            self.synced[key] = max(changed.values())
        return set(changed)

    def _vectors_arrived(self) -> set[str]:
        """Documents indexed without a vector whose vector has been stored since."""
        since = self.synced["vector"]
        rows = DocumentVector.objects.exclude(kind=DocumentVector.Kind.NEED)
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        high = rows.aggregate(high=Max("updated_at"))["high"]
        if high is None:
            return set()
        self.synced["vector"] = high
        prefixes = {DocumentVector.Kind.PROGRAMME: adapters.PROGRAMME_PREFIX,
                    DocumentVector.Kind.VALIDATION: adapters.VALIDATION_PREFIX}
        arrived = {f"{prefixes[kind]}{pk}" for kind, pk in rows.values_list("kind", "object_id")}
        return arrived & self.waiting_for_vectors

    def _drop_deleted(self) -> None:
        """Remove documents deleted outright (only the admin deletes); cheap when nothing was."""
        rankable = Programme.objects.filter(status__in=adapters.RANKABLE_STATUSES)
        if rankable.count() + ValidationPath.objects.count() == len(self.index):
            return
        alive = ({f"{adapters.PROGRAMME_PREFIX}{pk}" for pk in rankable.values_list("pk", flat=True)}
                 | {f"{adapters.VALIDATION_PREFIX}{pk}" for pk in ValidationPath.objects.values_list("pk", flat=True)})
        for doc_id in set(self.index.ids()) - alive:
            self.index.remove(doc_id)


def live_index() -> LiveIndex:
    """This process's index, refreshed from the database (rebuilt when the weights changed)."""
    global _index
    with runtime.lock:
        matcher = runtime.platform_matcher()
        if _index is None or _index.matcher is not matcher or _index.generation != runtime.generation:
            _index = LiveIndex(matcher)
        _index.refresh()
        return _index
