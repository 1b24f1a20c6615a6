"""Reads of matches: ranked live from the fresh index, filtered by who may see what."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from employers.models import Need
from employers.selectors import NeedFigure, need_figures
from matching import adapters, runtime, vectors
from matching.live import live_index
from matching.models import MatchFeedback
from matchplats import permissions
from providers.models import Programme, ValidationPath

TOP_PROGRAMMES = 10
TOP_VALIDATION_PATHS = 5
TOP_NEEDS = 30


@dataclass(frozen=True)
class Match:
    target: Programme | ValidationPath | Need
    score: float
    reasons: list[dict]
    feedback: bool | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.score)


def _feedback_of(user, need_ids: list[int]) -> dict[tuple, bool]:
    if not user.is_authenticated:
        return {}
    rows = MatchFeedback.objects.filter(user=user, need_id__in=need_ids)
    return {(row.need_id, row.programme_id, row.validation_path_id): row.relevant for row in rows}


def matches_for_need(user, need: Need, *, kind: str) -> list[Match]:
    """Programmes (``kind="programme"``) or validation paths (``"validation"``) for a need the
    caller has already checked the user may see."""
    live = live_index()
    need = adapters.needs_for_matching().get(pk=need.pk)
    doc = adapters.need_doc(need)
    dense, _pending = vectors.need_vectors(live.matcher, [need], [doc])
    ranked = live.index.rank(doc, top_k=TOP_PROGRAMMES if kind == "programme" else TOP_VALIDATION_PATHS,
                             today=timezone.localdate(), kind=kind, dense=dense[0])
    ids = [adapters.parse_index_id(r.programme.id)[1] for r in ranked]
    model = Programme if kind == "programme" else ValidationPath
    related = ["provider"] if kind == "programme" else ["organiser"]
    objects = model.objects.select_related(*related).in_bulk(ids)
    feedback = _feedback_of(user, [need.pk])
    matches = []
    for result, pk in zip(ranked, ids):
        if pk not in objects:
            continue
        key = (need.pk, pk, None) if kind == "programme" else (need.pk, None, pk)
        matches.append(Match(objects[pk], result.score, result.reasons, feedback.get(key)))
    return matches


def needs_for_programme(user, programme: Programme) -> list[Match]:
    """Active needs ranked for a programme, only those the user may list. Hidden needs leave no
    trace here: the ranking depends on the programme's free text, so counting hidden needs among
    its results would let anyone probe them (docs/permissions.md, the disclosure rule); they are
    summed in ``hidden_demand_for_programme`` instead, by structured fields."""
    matcher = runtime.platform_matcher()
    needs = list(adapters.needs_for_matching().filter(permissions.needs_listable_q(user), status=Need.Status.ACTIVE))
    docs = [adapters.need_doc(n) for n in needs]
    programme_doc = adapters.programme_doc(adapters.programmes_with_relations().get(pk=programme.pk))
    programme_dense, _ = vectors.programme_vectors(matcher, [programme_doc])
    needs_dense, _pending = vectors.need_vectors(matcher, needs, docs)
    ranked = matcher.rank_needs(programme_doc, docs, top_k=TOP_NEEDS, today=timezone.localdate(),
                                programme_dense=programme_dense[0], needs_dense=needs_dense)
    by_pk = {n.pk: n for n in needs}
    feedback = _feedback_of(user, [int(doc.id) for doc, _, _ in ranked])
    return [Match(by_pk[int(doc.id)], score, reasons, feedback.get((int(doc.id), programme.pk, None)))
            for doc, score, reasons in ranked]


def hidden_demand_for_programme(user, programme: Programme) -> NeedFigure | None:
    """Active needs in the programme's target occupations and in the län where it is given, as a
    figure under the disclosure rule (a structured filter: occupation and region). None when the
    programme names no target occupation or place."""
    occupations = [group.pk for group in programme.target_occupations.all()]
    lans = {kommun.lan_id for kommun in programme.kommuner.all()}
    if not occupations or not lans:
        return None
    needs = Need.objects.filter(status=Need.Status.ACTIVE, ssyk4_id__in=occupations, lan_id__in=lans)
    return need_figures(user, needs, structured=True)[()]
