"""Reads of matches: ranked live from the fresh index, filtered by who may see what."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from employers.models import Need
from employers.rules import needs_in_demand_q
from employers.selectors import NeedFigure, need_figures
from matching import adapters, runtime, vectors
from matching.engine.scoring import FLOOR, Scored
from matching.live import live_index, live_need_index
from matching.models import DigestedMatch, DigestSubscription, MatchFeedback, MatchLink
from matchplats import permissions
from matchplats.taxonomy.models import OccupationName, SsykGroup
from providers.models import Programme, ValidationPath

TOP_PROGRAMMES = 10
TOP_VALIDATION_PATHS = 5
RANKED_PROGRAMMES = 20
"""Programmes ranked per need: the best above the floor are listed (at most TOP_PROGRAMMES),
the rest of these are the "weaker" ones a person can reveal."""
NEEDS_PER_PAGE = 20


@dataclass(frozen=True)
class Match(Scored):
    target: Programme | ValidationPath | Need
    score: float
    reasons: list[dict]
    feedback: bool | None = None
    pending: bool = False
    """The score is provisional: a vector it needs is still being computed ("beräknas")."""

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def fit_label(self) -> str:
        """The fit level in the page's language: Mycket god / God / Möjlig / Svag."""
        return self.fit.label_en if (get_language() or "").startswith("en") else self.fit.label

    @property
    def anchor(self) -> str:
        """The card's id on the page, e.g. ``programme-12``: feedback returns to it."""
        return f"{self.target._meta.model_name}-{self.target.pk}"


@dataclass(frozen=True)
class MatchGroups:
    """Matches as a person reads them: the listed ones (above the floor, not judged irrelevant),
    the weaker ones (below the floor, revealed on request) and those the person judged not
    relevant (collapsed)."""

    listed: list[Match]
    weaker: list[Match]
    not_relevant: list[Match]

    def __bool__(self) -> bool:
        return bool(self.listed or self.weaker or self.not_relevant)

    @property
    def all(self) -> list[Match]:
        return self.listed + self.weaker + self.not_relevant

    @property
    def floor_percent(self) -> int:
        return round(100 * FLOOR)

    @classmethod
    def of(cls, matches: list[Match], *, limit: int | None = None) -> MatchGroups:
        judged_out = [m for m in matches if m.feedback is False]
        rest = [m for m in matches if m.feedback is not False]
        listed = [m for m in rest if m.above_floor]
        return cls(listed[:limit] if limit else listed, [m for m in rest if not m.above_floor], judged_out)


def _feedback_of(user, need_ids: list[int]) -> dict[tuple, bool]:
    if not user.is_authenticated:
        return {}
    rows = MatchFeedback.objects.filter(user=user, need_id__in=need_ids)
    return {(row.need_id, row.programme_id, row.validation_path_id): row.relevant for row in rows}


def matches_for_need(user, need: Need, *, kind: str) -> MatchGroups:
    """Programmes (``kind="programme"``) or validation paths (``"validation"``) for a need the
    caller has already checked the user may see."""
    live = live_index()
    need = adapters.needs_for_matching().get(pk=need.pk)
    doc = adapters.need_doc(need)
    dense, pending_needs = vectors.need_vectors(live.matcher, [need], [doc])
    ranked = live.index.rank(doc, top_k=RANKED_PROGRAMMES, today=timezone.localdate(), kind=kind, dense=dense[0])
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
        pending = bool(pending_needs) or result.programme.id in live.waiting_for_vectors
        matches.append(Match(objects[pk], result.score, result.reasons, feedback.get(key), pending))
    return MatchGroups.of(matches, limit=TOP_PROGRAMMES if kind == "programme" else TOP_VALIDATION_PATHS)


@dataclass(frozen=True)
class NeedMatchPage:
    """One page of the needs a viewer may read, ranked for a programme."""

    groups: MatchGroups
    page: int
    pages: int
    total: int
    """Needs the viewer may read that were ranked (active ones), whatever their score."""
    above_floor: int

    # the interface of Django's Page that templates/includes/pagination.html reads
    @property
    def number(self) -> int:
        return self.page

    @property
    def paginator(self) -> NeedMatchPage:
        return self

    @property
    def num_pages(self) -> int:
        return self.pages

    def has_other_pages(self) -> bool:
        return self.pages > 1

    def has_previous(self) -> bool:
        return self.page > 1

    def has_next(self) -> bool:
        return self.page < self.pages

    def previous_page_number(self) -> int:
        return self.page - 1

    def next_page_number(self) -> int:
        return self.page + 1


def needs_for_programme(user, programme: Programme, *, page: int = 1) -> NeedMatchPage:
    """Active needs ranked for a programme from the live need index, only those the user may
    list, a page at a time. Hidden needs leave no trace here: the ranking depends on the
    programme's free text, so counting hidden needs among its results would let anyone probe
    them (docs/permissions.md, the disclosure rule); ``hidden_demand_for_programme`` sums them
    by structured fields instead."""
    live = live_need_index()
    candidates = [str(pk) for pk in Need.objects.filter(permissions.needs_listable_q(user), status=Need.Status.ACTIVE)
                  .values_list("pk", flat=True)]
    programme_doc = adapters.programme_doc(adapters.programmes_with_relations().get(pk=programme.pk))
    programme_dense, programme_pending = vectors.programme_vectors(live.matcher, [programme_doc])
    page = max(1, page)
    ranked = live.index.rank(programme_doc, offset=(page - 1) * NEEDS_PER_PAGE, limit=NEEDS_PER_PAGE,
                             candidates=candidates, today=timezone.localdate(), dense=programme_dense[0])
    needs = Need.objects.select_related("organisation").in_bulk([int(r.need.id) for r in ranked.results])
    feedback = _feedback_of(user, list(needs))
    matches = [
        Match(needs[int(r.need.id)], r.score, r.reasons, feedback.get((int(r.need.id), programme.pk, None)),
              bool(programme_pending) or r.need.id in live.waiting_for_vectors)
        for r in ranked.results if int(r.need.id) in needs
    ]
    pages = max(1, -(-ranked.above_floor // NEEDS_PER_PAGE))
    return NeedMatchPage(MatchGroups.of(matches), page, pages, ranked.total, ranked.above_floor)


def hidden_demand_for_programme(user, programme: Programme, *, today) -> NeedFigure | None:
    """Needs that count as demand on ``today`` (active, not lapsed) in the programme's target
    occupations and in the län where it is given, as a figure under the disclosure rule (a
    structured filter: occupation and region). None when the programme names no target
    occupation or place."""
    occupations = [group.pk for group in programme.target_occupations.all()]
    lans = {kommun.lan_id for kommun in programme.kommuner.all()}
    if not occupations or not lans:
        return None
    needs = Need.objects.filter(needs_in_demand_q(today), ssyk4_id__in=occupations, lan_id__in=lans)
    return need_figures(user, needs, structured=True, today=today)[()]


# --- how the matching reads a programme without target occupations ------------------------------

READING_MIN_SCORE = 0.1
"""A coded group is shown as a reading of the programme from this score up. The coder's score is a
calibrated estimate of the probability that the group is right (``OccupationCoder.score``): below
one in ten the groups are mostly noise (*Cloud Security Operator* → SOS-operatör 0.07, *Production
Planner* → Produktionsplanerare, kultur 0.08), while from it up they are the right group or a
near one (*Tullspecialist* → Tullhandläggare 0.18, *Hotel Supervisor* → Hotellchef 0.16). On 300
YH programme names from MYH's lists the best group reaches it for about nine in ten, a second
group for about half (docs/matching.md, *Inside the platform*)."""


@dataclass(frozen=True)
class ReadOccupation:
    group: SsykGroup
    occupation: OccupationName | None
    score: float


@dataclass(frozen=True)
class ProgrammeReading:
    """What the matching takes a programme that names no target occupation to train for."""

    loaded: bool
    """False: this process has not loaded the matcher yet, so nothing could be read."""
    occupations: list[ReadOccupation]
    """At most ``CODED_OCCUPATIONS`` groups, best first, each scoring at least ``READING_MIN_SCORE``."""


def programme_reading(programme: Programme) -> ProgrammeReading:
    """The SSYK4 groups the matching reads ``programme`` as, the way the index codes it (its name
    and the opening of its description, with the vector of its name). Only reads: when the
    matcher is not loaded in this process it says so instead of loading it or waiting. A
    programme whose vector is not stored yet (just imported) has its name encoded now, one short
    text, and nothing is stored: the reading is what the index will use once the vector is in."""
    matcher = runtime.loaded_matcher()
    if matcher is None:
        return ProgrammeReading(loaded=False, occupations=[])
    doc = adapters.programme_doc(adapters.programmes_with_relations().get(pk=programme.pk))
    dense, pending = vectors.programme_vectors(matcher, [doc])
    candidates = [c for c in matcher.code_programme(doc, dense=None if pending else dense[0])
                  if c.score >= READING_MIN_SCORE]
    groups = SsykGroup.objects.filter(level=4).in_bulk([c.ssyk4 for c in candidates], field_name="code")
    names = OccupationName.objects.in_bulk([c.occupation_id for c in candidates if c.occupation_id],
                                           field_name="concept_id")
    return ProgrammeReading(
        loaded=True,
        occupations=[ReadOccupation(groups[c.ssyk4], names.get(c.occupation_id), c.score)
                     for c in candidates if c.ssyk4 in groups],
    )


# --- the weekly digest of new matches (docs/digest.md) ----------------------------------------

DIGEST_TOKEN_SALT = "matching.digest.unsubscribe"


@dataclass(frozen=True)
class DigestMatch(Scored):
    """A new match in a digest: the other side of the followed need or programme."""

    target: Programme | ValidationPath | Need
    score: float

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def fit_label(self) -> str:
        return self.fit.label_en if (get_language() or "").startswith("en") else self.fit.label


def digest_subscriptions_of(user) -> list[DigestSubscription]:
    return list(DigestSubscription.objects.filter(user=user).select_related("user", "need", "programme"))


def digest_following(user, *, need: Need | None = None, programme: Programme | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return DigestSubscription.objects.filter(user=user, need=need, programme=programme).exists()


def may_keep_subscription(subscription: DigestSubscription) -> bool:
    """Whether the subscriber may still follow what they follow (they may have left the organisation)."""
    if subscription.need_id:
        return permissions.may_follow_need(subscription.user, subscription.need)
    return permissions.may_follow_programme(subscription.user, subscription.programme)


def _key(link) -> tuple:
    return link.need_id, link.programme_id, link.validation_path_id


def digest_new_links(subscription: DigestSubscription) -> list[MatchLink]:
    """The stored matches of the followed need or programme that the subscriber has not been told
    about yet, best first, and only those the subscriber may read: for a programme, only active
    needs they may list (hidden needs leave no trace, not even in a count)."""
    user = subscription.user
    if subscription.need_id:
        if subscription.need.status != Need.Status.ACTIVE:
            return []
        links = MatchLink.objects.filter(need_id=subscription.need_id).select_related(
            "programme__provider", "validation_path__organiser")
    else:
        links = MatchLink.objects.filter(permissions.needs_listable_q(user, prefix="need__"),
                                         programme_id=subscription.programme_id,
                                         need__status=Need.Status.ACTIVE).select_related("need__organisation",
                                                                                         "need__kommun", "need__lan")
    seen = {_key(row) for row in DigestedMatch.objects.filter(subscription=subscription)}
    return sorted((link for link in links if _key(link) not in seen), key=lambda link: (-link.score, link.pk))


def digest_match(subscription: DigestSubscription, link: MatchLink) -> DigestMatch:
    return DigestMatch(link.need if subscription.programme_id else link.target, link.score)


def digest_token(*, user, need: Need | None = None, programme: Programme | None = None) -> str:
    """A signed token that stops following one need or programme (or everything, with neither),
    from a link in the e-mail without signing in. It names the user and the need or programme, not
    the subscription row, so it keeps its meaning if the person follows it again later."""
    payload = {"u": user.pk}
    if need is not None:
        payload["n"] = need.pk
    if programme is not None:
        payload["p"] = programme.pk
    return signing.dumps(payload, salt=DIGEST_TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class DigestUnsubscribe:
    """What an unsubscribe link stops: one need's or programme's digest, or all of a person's."""

    user: object
    everything: bool
    need: Need | None
    programme: Programme | None
    subscriptions: list[DigestSubscription]
    """The subscriptions the link stops now (none when they have been stopped already)."""


def digest_unsubscribe_of(token: str) -> DigestUnsubscribe:
    """Read an unsubscribe token; a forged or damaged one is a ValidationError."""
    error = ValidationError(_("This unsubscribe link is not valid. Copy the whole link from the e-mail, or sign in "
                              "and stop following on the match page."))
    try:
        payload = signing.loads(token, salt=DIGEST_TOKEN_SALT)
    except signing.BadSignature:
        raise error from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise error
    user = get_user_model().objects.filter(pk=payload["u"]).first()
    if user is None:
        raise error
    need = Need.objects.filter(pk=payload["n"]).first() if isinstance(payload.get("n"), int) else None
    programme = Programme.objects.filter(pk=payload["p"]).first() if isinstance(payload.get("p"), int) else None
    everything = "n" not in payload and "p" not in payload
    subscriptions = DigestSubscription.objects.filter(user=user).select_related("need", "programme")
    if not everything:
        subscriptions = subscriptions.filter(need=need, programme=programme) if need or programme else []
    return DigestUnsubscribe(user, everything, need, programme, list(subscriptions))
