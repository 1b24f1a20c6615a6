"""Reading stored vectors. Never writes and never enqueues: a GET only reads.

Needs, programmes and validation paths are embedded when they are saved (``matching.services``,
called by the services that save them) and by ``reindex``. A document whose vector is missing
or stale (its text changed since) is *pending*: ranking uses zeros for its dense similarity
and the pages say "beräknas" for it, never a silently different score.
"""

from __future__ import annotations

import hashlib

import numpy as np

from matching import adapters, runtime
from matching.engine.documents import NeedDoc, ProgrammeDoc
from matching.engine.embeddings import EMBEDDING_DIM
from matching.engine.model import Matcher
from matching.models import DocumentVector


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_vectors(kind: str, ids_and_texts: dict[int, str]) -> dict[int, np.ndarray]:
    """Stored vectors that are still valid (same text, same model), by object id."""
    rows = DocumentVector.objects.filter(kind=kind, object_id__in=list(ids_and_texts), model=runtime.model_name())
    return {
        row.object_id: np.frombuffer(bytes(row.vector), dtype=np.float32).reshape(EMBEDDING_DIM)
        for row in rows
        if row.text_hash == text_hash(ids_and_texts[row.object_id])
    }


def need_vectors(matcher: Matcher, needs, docs: list[NeedDoc]) -> tuple[np.ndarray, set[int]]:
    """Stored vectors of the needs, row-aligned (zeros where pending), and the pending need ids."""
    texts = matcher.encoded_texts(needs=docs)
    found = stored_vectors(DocumentVector.Kind.NEED, {n.pk: t for n, t in zip(needs, texts)})
    zeros = np.zeros(EMBEDDING_DIM, dtype=np.float32)
    dense = np.stack([found.get(n.pk, zeros) for n in needs]) if needs else np.zeros((0, EMBEDDING_DIM), np.float32)
    return dense, {n.pk for n in needs if n.pk not in found}


def programme_vectors(matcher: Matcher, docs: list[ProgrammeDoc]) -> tuple[np.ndarray, list[str]]:
    """Stored vectors for programme/validation documents (zeros where pending) and the index ids
    of the pending ones."""
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
    return dense, missing
