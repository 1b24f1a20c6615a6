"""The process-wide matcher and programme index, kept fresh from the database.

* The fitted matcher is loaded lazily from MATCHER_CACHE_DIR (``refit_matcher`` builds it; so
  does the first use). Weights refitted from users' feedback are a small file beside it.
* Stored documents (needs, programmes, validation paths) are embedded by the background task
  ``encode_documents``; requests only read the stored vectors. A document whose vector is not
  stored yet ranks on its other features meanwhile, and its encoding is queued.
* The index pulls changes instead of listening for signals: before each ranking it asks the
  database what changed since its last look (by ``updated_at`` of programmes, validation paths
  and vectors) and what disappeared, so every server process stays fresh on its own whoever
  made the change and however (form, import, admin).
"""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from matching import adapters
from matching.engine.artefacts import artefact_key, load_matcher
from matching.engine.documents import NeedDoc, ProgrammeDoc
from matching.engine.embeddings import EMBEDDING_DIM, Embedder
from matching.engine.embeddings import model_name as embedding_model_name
from matching.engine.model import Matcher
from matching.models import DocumentVector
from providers.models import Programme, ValidationPath

_lock = threading.RLock()
_shipped: Matcher | None = None
_platform: tuple[float, Matcher] | None = None
_index: LiveIndex | None = None


def embedder() -> Embedder:
    return Embedder(settings.MATCHER_EMBEDDING_MODEL or None)


def shipped_matcher() -> Matcher:
    """The matcher fitted on the shipped data only (what the command-line contracts use)."""
    global _shipped
    with _lock:
        if _shipped is None:
            _shipped = load_matcher(settings.TAXONOMY_DATA_DIR, settings.MATCHER_CACHE_DIR,
                                    model_path=settings.MATCHER_EMBEDDING_MODEL or None)
        return _shipped


def feedback_weights_path() -> Path:
    return Path(settings.MATCHER_CACHE_DIR) / f"feedback-{artefact_key(Path(settings.TAXONOMY_DATA_DIR))}.joblib"


def platform_matcher() -> Matcher:
    """The shipped matcher with the ranking weights last refitted from feedback, if any."""
    global _platform
    with _lock:
        path = feedback_weights_path()
        stamp = path.stat().st_mtime if path.exists() else 0.0
        if _platform is None or _platform[0] != stamp:
            matcher = shipped_matcher()
            if stamp:
                matcher = matcher.with_ranker(joblib.load(path))
            _platform = (stamp, matcher)
        return _platform[1]


def save_feedback_weights(matcher: Matcher) -> Path:
    path = feedback_weights_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump(matcher.ranker, tmp)
    tmp.replace(path)
    return path


def use_matcher(matcher: Matcher | None) -> None:
    """Install a matcher for this process (tests), or forget everything loaded (``None``)."""
    global _shipped, _platform, _index
    with _lock:
        _shipped, _platform, _index = matcher, None, None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_name() -> str:
    return embedding_model_name(settings.MATCHER_EMBEDDING_MODEL or None)


def stored_vectors(kind: str, ids_and_texts: dict[int, str]) -> dict[int, np.ndarray]:
    """Stored vectors that are still valid (same text, same model), by object id."""
    rows = DocumentVector.objects.filter(kind=kind, object_id__in=list(ids_and_texts), model=model_name())
    return {
        row.object_id: np.frombuffer(bytes(row.vector), dtype=np.float32).reshape(EMBEDDING_DIM)
        for row in rows
        if row.text_hash == text_hash(ids_and_texts[row.object_id])
    }


def queue_encoding(kind: str, object_ids: list[int]) -> None:
    """Ask the background worker to embed these documents (after the current transaction)."""
    if not object_ids:
        return
    from matching.tasks import encode_documents

    ids = sorted(set(object_ids))
    transaction.on_commit(lambda: encode_documents.enqueue(kind, ids))


def need_vector(need_doc: NeedDoc, need_pk: int) -> np.ndarray:
    """The need's stored vector, or zeros (dense similarity unknown) while it is being encoded."""
    text = platform_matcher().encoded_texts(needs=[need_doc])[0]
    vector = stored_vectors(DocumentVector.Kind.NEED, {need_pk: text}).get(need_pk)
    if vector is None:
        queue_encoding(DocumentVector.Kind.NEED, [need_pk])
        return np.zeros(EMBEDDING_DIM, dtype=np.float32)
    return vector


def need_vectors(needs, docs: list[NeedDoc]) -> np.ndarray:
    """Stored vectors of many needs, row-aligned (zeros where missing; those are queued)."""
    texts = platform_matcher().encoded_texts(needs=docs)
    found = stored_vectors(DocumentVector.Kind.NEED, {n.pk: t for n, t in zip(needs, texts)})
    queue_encoding(DocumentVector.Kind.NEED, [n.pk for n in needs if n.pk not in found])
    zeros = np.zeros(EMBEDDING_DIM, dtype=np.float32)
    return np.stack([found.get(n.pk, zeros) for n in needs]) if needs else np.zeros((0, EMBEDDING_DIM), np.float32)


def programme_vectors(docs: list[ProgrammeDoc]) -> tuple[np.ndarray, list[str]]:
    """Stored vectors for programme/validation documents (zeros where missing) and the ids
    still waiting for their encoding."""
    matcher = platform_matcher()
    dense = np.zeros((len(docs), EMBEDDING_DIM), dtype=np.float32)
    missing: list[str] = []
    for kind, prefix in ((DocumentVector.Kind.PROGRAMME, adapters.PROGRAMME_PREFIX),
                         (DocumentVector.Kind.VALIDATION, adapters.VALIDATION_PREFIX)):
        positions = {int(doc.id[1:]): i for i, doc in enumerate(docs) if doc.id.startswith(prefix)}
        if not positions:
            continue
        texts = matcher.encoded_texts(programmes=[docs[i] for i in positions.values()])
        found = stored_vectors(kind, dict(zip(positions, texts)))
        for object_id, i in positions.items():
            if object_id in found:
                dense[i] = found[object_id]
            else:
                missing.append(docs[i].id)
        queue_encoding(kind, [object_id for object_id in positions if object_id not in found])
    return dense, missing


class LiveIndex:
    """The engine's ProgrammeIndex plus what it needs to stay in step with the database."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.index = matcher.new_index()
        self.synced: dict[str, datetime | None] = {"programme": None, "validation": None, "vector": None}
        self.waiting_for_vectors: set[str] = set()

    def refresh(self) -> None:
        """Apply what changed in the database since the last refresh."""
        with _lock:
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
                dense, missing = programme_vectors(docs)
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
        expected = adapters.programmes_for_index().count() + ValidationPath.objects.count()
        if expected == len(self.index):
            return
        alive = ({adapters.index_id(p) for p in adapters.programmes_for_index().only("pk")}
                 | {adapters.index_id(v) for v in ValidationPath.objects.only("pk")})
        for doc_id in set(self.index.ids()) - alive:
            self.index.remove(doc_id)


def live_index() -> LiveIndex:
    """This process's index, refreshed from the database (rebuilt when the weights changed)."""
    global _index
    with _lock:
        matcher = platform_matcher()
        if _index is None or _index.matcher is not matcher:
            _index = LiveIndex(matcher)
        _index.refresh()
        return _index
