"""The live indexes of this process — programmes for a need, needs for a programme — kept
fresh from the database.

The index pulls changes instead of listening for signals: before each ranking it asks the
database what changed since its last look (by ``updated_at`` of programmes, validation paths
and vectors) and what disappeared, so every server process stays fresh on its own whoever made
the change and however (form, import, admin). It only reads the database.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from employers.models import Need
from matching import adapters, runtime, vectors
from matching.engine.model import Matcher
from matching.models import DocumentVector
from providers.models import Programme, ValidationPath

_index: LiveIndex | None = None
_need_index: LiveNeedIndex | None = None

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
        return _changed_since(self.synced, key, manager.all())

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


def _changed_since(synced: dict, key: str, rows) -> set[int]:
    """Ids of rows changed since the last look (every row on the first look)."""
    since = synced[key]
    # >=: a row saved in the same instant as the last one seen, but committed later, is not lost
    rows = rows if since is None else rows.filter(updated_at__gte=since)
    changed = dict(rows.values_list("pk", "updated_at"))
    if changed:
        synced[key] = max(changed.values())
    return set(changed)


class LiveNeedIndex:
    """The engine's NeedIndex over every active need, in step with the database like LiveIndex.
    Who may see which need is not the index's business: the caller passes the candidates."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.generation = runtime.generation
        self.index = matcher.new_need_index()
        self.synced: dict[str, datetime | None] = {"need": None, "vector": None}
        self.waiting_for_vectors: set[str] = set()

    def refresh(self) -> None:
        with runtime.lock:
            ids = _changed_since(self.synced, "need", Need.objects.all())
            ids |= {int(doc_id) for doc_id in self._vectors_arrived()}
            needs = list(adapters.needs_for_matching().filter(pk__in=ids, status=Need.Status.ACTIVE))
            active = {str(n.pk) for n in needs}
            for pk in ids:
                if str(pk) not in active:  # filled, withdrawn or deleted
                    self.index.remove(str(pk))
            if needs:
                docs = [adapters.need_doc(n) for n in needs]
                dense, pending = vectors.need_vectors(self.matcher, needs, docs)
                self.index.add_many(docs, dense=dense)
                self.waiting_for_vectors = (self.waiting_for_vectors - active) | {str(pk) for pk in pending}
            if Need.objects.filter(status=Need.Status.ACTIVE).count() != len(self.index):
                alive = {str(pk) for pk in Need.objects.filter(status=Need.Status.ACTIVE).values_list("pk", flat=True)}
                for doc_id in set(self.index.ids()) - alive:
                    self.index.remove(doc_id)

    def _vectors_arrived(self) -> set[str]:
        rows = DocumentVector.objects.filter(kind=DocumentVector.Kind.NEED)
        since = self.synced["vector"]
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        high = rows.aggregate(high=Max("updated_at"))["high"]
        if high is None:
            return set()
        self.synced["vector"] = high
        return {str(pk) for pk in rows.values_list("object_id", flat=True)} & self.waiting_for_vectors


def live_need_index() -> LiveNeedIndex:
    """This process's need index, refreshed from the database (rebuilt when the weights changed)."""
    global _need_index
    with runtime.lock:
        matcher = runtime.platform_matcher()
        if (_need_index is None or _need_index.matcher is not matcher
                or _need_index.generation != runtime.generation):
            _need_index = LiveNeedIndex(matcher)
        _need_index.refresh()
        return _need_index
