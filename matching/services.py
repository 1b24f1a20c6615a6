"""Writes of the matcher: stored vectors, stored match links, users' feedback, refitted weights.

``documents_refresh`` embeds changed documents and refreshes their match links. The services of
employers and providers reach it through ``matchplats.core.changes`` and the listener
``matching.tasks.documents_changed``: a need or programme saved from a form is refreshed at once
(a single text takes milliseconds), an import (``bulk``) in the background worker. ``reindex``
does it for everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from employers.models import Need
from matching import adapters, runtime, selectors, vectors
from matching.engine.model import Feedback
from matching.live import live_index
from matching.models import (
    DigestDelivery,
    DigestedMatch,
    DigestSubscription,
    DocumentVector,
    MatchFeedback,
    MatchLink,
)
from matchplats import permissions
from matchplats.core import changes
from matchplats.core.validators import single_line
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


# --- the weekly digest of new matches (docs/digest.md) ----------------------------------------

DIGEST_MATCHES_SHOWN = 10
"""New matches listed per need or programme in one digest; the rest are counted with a link."""


def _digested(subscription: DigestSubscription, links) -> list[DigestedMatch]:
    return [DigestedMatch(subscription=subscription, need_id=link.need_id, programme_id=link.programme_id,
                          validation_path_id=link.validation_path_id) for link in links]


@transaction.atomic
def digest_subscribe(*, user, need: Need | None = None, programme: Programme | None = None) -> DigestSubscription:
    """Follow the new matches of a need (members of its employer) or a programme (members of its
    provider). The matches there are now count as seen: the first digest lists only newer ones.
    Following again what one follows already changes nothing."""
    if (need is None) == (programme is None):
        raise ValidationError(_("Follow either a need or a programme."))
    allowed = (permissions.may_follow_need(user, need) if need is not None
               else permissions.may_follow_programme(user, programme))
    if not allowed:
        raise PermissionDenied(_("Only members of the organisation that owns it follow its new matches."))
    subscription, created = DigestSubscription.objects.get_or_create(user=user, need=need, programme=programme)
    if created:
        DigestedMatch.objects.bulk_create(_digested(subscription, selectors.digest_new_links(subscription)),
                                          ignore_conflicts=True)
    return subscription


def digest_unsubscribe(*, subscriptions: list[DigestSubscription]) -> int:
    """Stop the given subscriptions (the caller has checked whose they are); returns how many."""
    return DigestSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).delete()[1].get(
        DigestSubscription._meta.label, 0)


def digest_stop_following(*, user, need: Need | None = None, programme: Programme | None = None) -> int:
    return digest_unsubscribe(subscriptions=list(DigestSubscription.objects.filter(user=user, need=need,
                                                                                   programme=programme)))


def digest_week(day: dt.date) -> dt.date:
    """The Monday of the calendar week of ``day``: a person gets at most one digest per such week."""
    return day - dt.timedelta(days=day.weekday())


def _digest_sections(subscriptions: list[DigestSubscription]) -> tuple[list[dict], list[DigestedMatch]]:
    sections, digested = [], []
    for subscription in subscriptions:
        links = selectors.digest_new_links(subscription)
        if not links:
            continue
        digested += _digested(subscription, links)
        sections.append({"subscription": subscription, "subject": subscription.subject,
                         "matches": [selectors.digest_match(subscription, link)
                                     for link in links[:DIGEST_MATCHES_SHOWN]],
                         "more": max(0, len(links) - DIGEST_MATCHES_SHOWN)})
    return sections, digested


def _digest_send_to(user, *, now: dt.datetime, week: dt.date, link_for: Callable[[object], str],
                    unsubscribe_link_for: Callable[..., str]) -> int:
    """One person's digest: their followed needs and programmes with new matches. Returns the
    number of new matches sent (0: nothing new, nothing sent, nothing recorded)."""
    subscriptions = []
    for subscription in selectors.digest_subscriptions_of(user):
        if selectors.may_keep_subscription(subscription):
            subscriptions.append(subscription)
        else:
            subscription.delete()
    sections, digested = _digest_sections(subscriptions)
    if not sections:
        return 0
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(user=user, week=week, sent_at=now, matches=len(digested))
            DigestedMatch.objects.bulk_create(digested, ignore_conflicts=True)
            for section in sections:
                subject = section["subject"]
                section["link"] = link_for(subject)
                kind = "need" if isinstance(subject, Need) else "programme"
                section["unsubscribe_link"] = unsubscribe_link_for(
                    selectors.digest_token(user=user, **{kind: subject}))
            with translation.override("sv"):
                context = {"sections": sections, "total": len(digested),
                           "unsubscribe_all_link": unsubscribe_link_for(selectors.digest_token(user=user))}
                message = EmailMessage(
                    subject=single_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("New matches this week")),
                    body=render_to_string("matching/email/digest.txt", context), to=[user.email],
                    headers={"List-Unsubscribe": f"<{context['unsubscribe_all_link']}>"})
                message.send()
    except IntegrityError:
        return 0  # another run sent this person's digest for the week a moment ago
    return len(digested)


def digests_send(*, now: dt.datetime, link_for: Callable[[object], str],
                 unsubscribe_link_for: Callable[[str], str]) -> dict[str, int]:
    """Send the weekly digest to everyone who follows a need or programme with matches that are
    new to them and who has had no digest this calendar week. ``link_for`` gives the match page
    of a need or programme, ``unsubscribe_link_for`` the unsubscribe page of a token."""
    week = digest_week(timezone.localdate(now))
    users = get_user_model().objects.filter(
        is_active=True, pk__in=DigestSubscription.objects.values("user_id"),
    ).exclude(pk__in=DigestDelivery.objects.filter(week=week).values("user_id")).order_by("pk")
    emails = matches = 0
    for user in users:
        sent = _digest_send_to(user, now=now, week=week, link_for=link_for, unsubscribe_link_for=unsubscribe_link_for)
        emails += bool(sent)
        matches += sent
    return {"emails": emails, "matches": matches}
