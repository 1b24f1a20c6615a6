"""Reads of programmes and validation paths (public: everyone may see them)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchplats import permissions
from matchplats.core.history import HistoryEntry, describe_changes, lookup_formatter, plain_value
from matchplats.core.search import search_q
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers.models import Intake, Programme, ProgrammeBacking, ValidationPath

SUPPLY_STATUSES = (Programme.Status.GRANTED, Programme.Status.RUNNING, Programme.Status.PLANNED)
"""Programmes whose intakes count as planned supply (dimensioning; ``ProgrammeFilters.planned``)."""


@dataclass(frozen=True)
class ProgrammeFilters:
    text: str = ""
    form: str = ""
    status: str = ""
    ssyk: str = ""
    sun: str = ""
    lan: int | None = None
    kommun: int | None = None
    distance: bool = False
    provider: int | None = None
    mine_of: frozenset[int] | None = None
    """"Mina utbildningar": only the programmes of these organisations (the viewer's providers)."""
    occupation_field: int | None = None
    planned: bool = False
    without_occupations: bool = False
    """Only programmes that name no target occupation (e.g. imported from MYH's lists)."""


def programmes_listed() -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("provider", "sun_field")
        .prefetch_related("kommuner", "target_occupations", Prefetch("intakes", queryset=Intake.objects.order_by("start_date")))
        .annotate(total_places=_places_of_intakes())
    )


def _places_of_intakes():
    """The places of a programme's intakes, each intake once: a subquery, so joins added by
    filters (a programme in two kommuner of a county) cannot multiply the sum."""
    places = (Intake.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
              .annotate(total=Sum("places")).values("total"))
    return Coalesce(Subquery(places), 0)


def programmes_filtered(programmes: QuerySet[Programme], filters: ProgrammeFilters) -> QuerySet[Programme]:
    if filters.text:
        programmes = programmes.filter(search_q(filters.text, "search_text", "provider__search_text"))
    if filters.form:
        programmes = programmes.filter(form=filters.form)
    if filters.status:
        programmes = programmes.filter(status=filters.status)
    if filters.planned:
        programmes = programmes.filter(status__in=SUPPLY_STATUSES)
    if filters.ssyk:
        programmes = programmes.filter(target_occupations__code__startswith=filters.ssyk)
    if filters.occupation_field:
        programmes = programmes.filter(target_occupations__occupation_field_id=filters.occupation_field)
    if filters.sun:
        programmes = programmes.filter(sun_field__code__startswith=filters.sun)
    if filters.kommun:
        place = Q(kommuner__id=filters.kommun)
        programmes = programmes.filter(place | Q(distance=True) if filters.distance else place)
    elif filters.lan:
        place = Q(kommuner__lan_id=filters.lan)
        programmes = programmes.filter(place | Q(distance=True) if filters.distance else place)
    elif filters.distance:
        programmes = programmes.filter(distance=True)
    if filters.provider:
        programmes = programmes.filter(provider_id=filters.provider)
    if filters.mine_of is not None:
        programmes = programmes.filter(provider_id__in=filters.mine_of)
    if filters.without_occupations:
        programmes = programmes.filter(target_occupations__isnull=True)
    return programmes.distinct()


def programmes_without_occupations_count(provider_ids: Iterable[int]) -> int:
    """How many programmes of these providers name no target occupation, for the list page's
    reminder to a provider (after an MYH import every programme is such)."""
    return Programme.objects.filter(provider_id__in=list(provider_ids), target_occupations__isnull=True).count()


def programme_detail(pk: int) -> Programme:
    try:
        return programmes_listed().get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None


def validation_paths_listed(*, text: str = "", ssyk: str = "", kommun: int | None = None,
                            method: str = "") -> QuerySet[ValidationPath]:
    paths = ValidationPath.objects.select_related("organiser").prefetch_related("occupations", "kommuner")
    if text:
        paths = paths.filter(search_q(text, "search_text", "organiser__search_text"))
    if ssyk:
        paths = paths.filter(occupations__code__startswith=ssyk)
    if kommun:
        paths = paths.filter(Q(kommuner__id=kommun) | Q(distance=True))
    if method:
        paths = paths.filter(method=method)
    return paths.distinct()


# --- employers backing programmes ----------------------------------------------------------------


def programme_backings(programme: Programme) -> QuerySet[ProgrammeBacking]:
    """The active backings of a programme, employer by employer. Callers check
    ``permissions.may_view_programme_backers`` first."""
    return (ProgrammeBacking.objects.filter(programme=programme, withdrawn_at__isnull=True)
            .select_related("employer", "employer__kommun").order_by("employer__name", "pk"))


@dataclass(frozen=True)
class OwnBacking:
    """One of the viewer's employer organisations and its backing of a programme (None: none yet)."""

    employer: Organisation
    backing: ProgrammeBacking | None

    @property
    def active(self) -> bool:
        return self.backing is not None and self.backing.active


def own_backings(user, programme: Programme) -> list[OwnBacking]:
    """For each employer organisation the user may back programmes for, its backing of ``programme``."""
    if not user.is_authenticated:
        return []
    employers = [org for org in Organisation.objects.filter(
        pk__in=permissions.organisation_ids(user, kind=Organisation.Kind.EMPLOYER)).order_by("name")
        if permissions.may_back_programme(user, org)]
    backings = {b.employer_id: b for b in ProgrammeBacking.objects.filter(programme=programme,
                                                                            employer__in=employers)}
    return [OwnBacking(employer, backings.get(employer.pk)) for employer in employers]


def backer_counts(user, programmes) -> dict[int, int]:
    """Active backers per programme, only for the programmes whose backers ``user`` may see."""
    allowed = [p.pk for p in programmes if permissions.may_view_programme_backers(user, p)]
    if not allowed:
        return {}
    rows = (ProgrammeBacking.objects.filter(programme_id__in=allowed, withdrawn_at__isnull=True)
            .values("programme_id").annotate(n=Count("id")))
    counts = dict.fromkeys(allowed, 0)
    counts.update({row["programme_id"]: row["n"] for row in rows})
    return counts


_IMPORTED_INTAKE = re.compile(r"(\d{4}-\d{2}-\d{2}): (\d+)(?: \((\d{4}-\d{2}-\d{2})\))?")


def _intake_words(intake: object) -> str:
    """An intake as an event stored it — ``[start, places, deadline]`` from the form,
    ``"start: places (deadline)"`` from an import — in words."""
    if isinstance(intake, str):
        match = _IMPORTED_INTAKE.fullmatch(intake)
        parts = match.groups() if match else None
    else:
        parts = tuple(intake) if isinstance(intake, (list, tuple)) and len(intake) == 3 else None
    if parts is None:
        return str(intake)
    start, places, deadline = parts
    words = ngettext("start %(start)s, %(places)s place", "start %(start)s, %(places)s places", int(places)) % {
        "start": plain_value(start), "places": places}
    if deadline:
        words += ", " + _("apply by %(deadline)s") % {"deadline": plain_value(deadline)}
    return words


def programme_history(*, programme: Programme, limit: int = 100) -> list[HistoryEntry]:
    """The programme's events, newest first, with their changes in words."""
    formatters = {
        "kommuner": lookup_formatter(lambda: dict(Kommun.objects.values_list("code", "label"))),
        "target_occupations": lookup_formatter(lambda: dict(SsykGroup.objects.values_list("code", "label"))),
        "intakes": _intake_words,
        "derived_intakes": _intake_words,
    }
    labels = {"intakes": _("Intakes"), "derived_intakes": _("Intakes (derived from the MYH round)")}
    entries = []
    for event in programme.events.select_related("actor")[:limit]:
        note = ""
        if event.data.get("file"):
            note = _("file %(file)s, row %(row)s") % {"file": event.data["file"], "row": event.data.get("row", "?")}
        entries.append(HistoryEntry(
            at=event.created_at, title=event.get_type_display(), actor=event.actor, note=note,
            changes=describe_changes(Programme, event.data.get("changes") or {}, labels=labels, formatters=formatters,
                                     set_like=["kommuner", "target_occupations", "intakes", "derived_intakes"])))
    return entries
