"""Writes of the matcher: stored vectors, stored match links, users' feedback, refitted weights.

``documents_refresh`` embeds changed documents and refreshes their match links. The services of
employers and providers reach it through ``matchplats.core.changes`` and the listener
``matching.tasks.documents_changed``: a need or programme saved from a form is refreshed at once
(a single text takes milliseconds), an import (``bulk``) in the background worker. ``reindex``
does it for everything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Need
from matching import adapters, runtime, vectors
from matching.engine.model import Feedback
from matching.live import live_index
from matching.models import DocumentVector, MatchFeedback, MatchLink
from matchplats import permissions
from matchplats.core import changes
from providers.models import Programme, ValidationPath

LINKS_PER_NEED = 20


def link_threshold() -> float:
    """Matches scoring at least this (the ranker's probability that a match is relevant) are
    stored as links, so dashboards sum over them without re-ranking (MATCHER_LINK_THRESHOLD)."""
    return settings.MATCHER_LINK_THRESHOLD


@transaction.atomic
def match_feedback_set(*, user, need: Need, target: Programme | ValidationPath, relevant: bool) -> MatchFeedback:
    """Record (or change) the user's judgement of one match."""
    if not permissions.may_give_match_feedback(user, need, target):
        raise PermissionDenied(_("Only the employer, the provider and the region's coordinators judge this match."))
    if not isinstance(relevant, bool):
        raise ValidationError(_("Feedback is relevant or not relevant."))
    key = {"programme": target, "validation_path": None} if isinstance(target, Programme) \
        else {"programme": None, "validation_path": target}
    feedback, created = MatchFeedback.objects.select_for_update().get_or_create(
        user=user, need=need, **key, defaults={"relevant": relevant})
    if not created and feedback.relevant != relevant:
        feedback.relevant = relevant
        feedback.updated_at = timezone.now()
        feedback.save(update_fields=["relevant", "updated_at"])
    return feedback


def _documents(kind: str, ids: list[int]) -> dict[int, object]:
    if kind == DocumentVector.Kind.NEED:
        return {n.pk: adapters.need_doc(n) for n in adapters.needs_for_matching().filter(pk__in=ids)}
    if kind == DocumentVector.Kind.PROGRAMME:
        return {p.pk: adapters.programme_doc(p) for p in adapters.programmes_for_index().filter(pk__in=ids)}
    return {v.pk: adapters.validation_doc(v) for v in adapters.validation_paths_for_index().filter(pk__in=ids)}


def documents_encode(*, kind: str, ids: list[int], only_stale: bool = True) -> int:
    """Embed the documents and store their vectors; returns how many were (re)stored. With
    ``only_stale`` a document whose stored vector matches its current text is skipped, so
    encoding the same document twice costs one read."""
    docs = _documents(kind, ids)
    matcher = runtime.shipped_matcher()
    object_ids = list(docs)
    roles = "needs" if kind == DocumentVector.Kind.NEED else "programmes"
    texts = matcher.encoded_texts(**{roles: [docs[i] for i in object_ids]})
    if only_stale:
        current = vectors.stored_vectors(kind, dict(zip(object_ids, texts)))
        stale = [(i, t) for i, t in zip(object_ids, texts) if i not in current]
        object_ids, texts = [i for i, _ in stale], [t for _, t in stale]
    if not object_ids:
        return 0
    encode = matcher.encode_needs if kind == DocumentVector.Kind.NEED else matcher.encode_programmes
    encoded = encode([docs[i] for i in object_ids])
    now, model = timezone.now(), runtime.model_name()
    with transaction.atomic():
        for object_id, text, vector in zip(object_ids, texts, encoded):
            DocumentVector.objects.update_or_create(
                kind=kind, object_id=object_id,
                defaults={"text_hash": vectors.text_hash(text), "model": model,
                          "vector": vector.astype("float32").tobytes(), "updated_at": now},
            )
    return len(object_ids)


def _links_for(need: Need, doc, vector, *, index, threshold: float, now) -> list[MatchLink]:
    links = []
    for rank, result in enumerate(index.rank(doc, top_k=LINKS_PER_NEED, dense=vector, today=timezone.localdate()),
                                  start=1):
        if result.score < threshold:
            break
        kind, pk = adapters.parse_index_id(result.programme.id)
        links.append(MatchLink(need=need, programme_id=pk if kind == "programme" else None,
                               validation_path_id=pk if kind == "validation" else None,
                               score=result.score, rank=rank, reasons=result.reasons, computed_at=now))
    return links


def match_links_refresh(*, needs=None) -> int:
    """Re-rank the given needs (default: every active need) against every programme and
    validation path, and store their links above the threshold; an inactive need keeps none."""
    live = live_index()
    needs = list(needs if needs is not None else adapters.needs_for_matching().filter(status=Need.Status.ACTIVE))
    active = [n for n in needs if n.status == Need.Status.ACTIVE]
    docs = [adapters.need_doc(n) for n in active]
    dense, _pending = vectors.need_vectors(live.matcher, active, docs)
    now, links, threshold = timezone.now(), [], link_threshold()
    for need, doc, vector in zip(active, docs, dense):
        links += _links_for(need, doc, vector, index=live.index, threshold=threshold, now=now)
    with transaction.atomic():
        MatchLink.objects.filter(need__in=needs).delete()
        MatchLink.objects.bulk_create(links)
    return len(links)


def match_links_refresh_for_targets(*, kind: str, ids: list[int]) -> int:
    """After programmes or validation paths changed: re-rank the active needs whose links they
    may enter or leave (those linked to them now, and those in their target occupations)."""
    field = "programme_id__in" if kind == DocumentVector.Kind.PROGRAMME else "validation_path_id__in"
    linked = set(MatchLink.objects.filter(**{field: ids}).values_list("need_id", flat=True))
    model = Programme if kind == DocumentVector.Kind.PROGRAMME else ValidationPath
    relation = "target_occupations" if model is Programme else "occupations"
    groups = set(model.objects.filter(pk__in=ids).values_list(f"{relation}__pk", flat=True)) - {None}
    needs = adapters.needs_for_matching().filter(status=Need.Status.ACTIVE).filter(
        models.Q(pk__in=linked) | models.Q(ssyk4_id__in=groups))
    return match_links_refresh(needs=needs)


def documents_refresh(*, kind: str, ids: list[int]) -> None:
    documents_encode(kind=kind, ids=ids)
    if kind == changes.NEED:
        match_links_refresh(needs=adapters.needs_for_matching().filter(pk__in=ids))
    else:
        match_links_refresh_for_targets(kind=kind, ids=ids)


def matcher_refit_from_feedback() -> tuple[int, str]:
    """Refit the ranking weights with every stored judgement; returns (judgements, weights file)."""
    rows = list(MatchFeedback.objects.select_related("need"))
    needs = {n.pk: adapters.need_doc(n) for n in adapters.needs_for_matching().filter(pk__in={r.need_id for r in rows})}
    programmes = {p.pk: adapters.programme_doc(p) for p in adapters.programmes_with_relations().filter(
        pk__in={r.programme_id for r in rows if r.programme_id})}
    paths = {v.pk: adapters.validation_doc(v) for v in adapters.validation_paths_for_index().filter(
        pk__in={r.validation_path_id for r in rows if r.validation_path_id})}
    feedback = [
        Feedback(needs[r.need_id], programmes[r.programme_id] if r.programme_id else paths[r.validation_path_id],
                 r.relevant)
        for r in rows
    ]
    matcher = runtime.shipped_matcher().refit_from_feedback(feedback, today=timezone.localdate())
    path = runtime.save_feedback_weights(matcher)
    return len(feedback), str(path)
