"""Writes of the matcher: users' feedback, stored match links, refitted weights."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Need
from matching import adapters, runtime
from matching.engine.model import Feedback
from matching.models import MatchFeedback, MatchLink
from matchplats import permissions
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


def match_links_refresh(*, needs=None) -> int:
    """Re-rank the given active needs (default: all) and store their links above the threshold."""
    live = runtime.live_index()
    needs = list(needs if needs is not None else adapters.needs_for_matching().filter(status=Need.Status.ACTIVE))
    docs = [adapters.need_doc(n) for n in needs]
    vectors = runtime.need_vectors(needs, docs)
    now, links, threshold = timezone.now(), [], link_threshold()
    for need, doc, vector in zip(needs, docs, vectors):
        for rank, result in enumerate(live.index.rank(doc, top_k=LINKS_PER_NEED, dense=vector,
                                                      today=timezone.localdate()), start=1):
            if result.score < threshold:
                break
            kind, pk = adapters.parse_index_id(result.programme.id)
            links.append(MatchLink(need=need, programme_id=pk if kind == "programme" else None,
                                   validation_path_id=pk if kind == "validation" else None,
                                   score=result.score, rank=rank, reasons=result.reasons, computed_at=now))
    with transaction.atomic():
        MatchLink.objects.filter(need__in=needs).delete()
        MatchLink.objects.bulk_create(links)
    return len(links)


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
