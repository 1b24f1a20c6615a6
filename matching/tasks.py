"""Background work of the matcher (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from matching import adapters, runtime
from matching.models import DocumentVector


def _documents(kind: str, ids: list[int]) -> dict[int, object]:
    if kind == DocumentVector.Kind.NEED:
        return {n.pk: adapters.need_doc(n) for n in adapters.needs_for_matching().filter(pk__in=ids)}
    if kind == DocumentVector.Kind.PROGRAMME:
        return {p.pk: adapters.programme_doc(p) for p in adapters.programmes_for_index().filter(pk__in=ids)}
    return {v.pk: adapters.validation_doc(v) for v in adapters.validation_paths_for_index().filter(pk__in=ids)}


def documents_encode(*, kind: str, ids: list[int]) -> int:
    """Embed the documents and store their vectors; returns how many were (re)stored."""
    docs = _documents(kind, ids)
    if not docs:
        return 0
    matcher = runtime.shipped_matcher()
    object_ids = list(docs)
    if kind == DocumentVector.Kind.NEED:
        texts = matcher.encoded_texts(needs=[docs[i] for i in object_ids])
        vectors = matcher.encode_needs([docs[i] for i in object_ids])
    else:
        texts = matcher.encoded_texts(programmes=[docs[i] for i in object_ids])
        vectors = matcher.encode_programmes([docs[i] for i in object_ids])
    now, model = timezone.now(), runtime.model_name()
    with transaction.atomic():
        for object_id, text, vector in zip(object_ids, texts, vectors):
            DocumentVector.objects.update_or_create(
                kind=kind, object_id=object_id,
                defaults={"text_hash": runtime.text_hash(text), "model": model,
                          "vector": vector.astype("float32").tobytes(), "updated_at": now},
            )
    return len(object_ids)


@task()
def encode_documents(kind: str, ids: list[int]) -> int:
    return documents_encode(kind=kind, ids=ids)
