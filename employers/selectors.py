"""Reads of competence needs. Listing always goes through ``needs_visible_to``; every figure
(count, head count, number of employers) goes through ``need_figures``, which applies the
disclosure rule of docs/permissions.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from employers import rules
from employers.models import Need, NeedEvent
from employers.services import needed_by_for
from matchplats import permissions
from matchplats.core.history import HistoryEntry, describe_changes
from matchplats.core.search import search_q
from matchplats.organisations.models import Organisation


def needs_visible_to(user) -> QuerySet[Need]:
    """The needs this user may see row by row (lists, detail pages, exports)."""
    return (
        Need.objects.filter(permissions.needs_listable_q(user))
        .select_related("organisation", "ssyk4", "ssyk4__occupation_field", "occupation_name", "kommun", "lan")
    )


def need_visible_to(user, pk: int) -> Need:
    try:
        return needs_visible_to(user).get(pk=pk)
    except Need.DoesNotExist:
        raise Http404("No such need.") from None


def remaining_horizon(*, needed_by: dt.date, today: dt.date) -> str:
    """The horizon a need is in *today*, computed from its needed-by date."""
    for horizon in (Need.Horizon.NOW, Need.Horizon.WITHIN_1Y, Need.Horizon.Y1_3):
        if needed_by <= needed_by_for(horizon=horizon, today=today):
            return horizon
    return Need.Horizon.Y3_5


def _horizon_q(horizon: str, today: dt.date) -> Q:
    order = [Need.Horizon.NOW, Need.Horizon.WITHIN_1Y, Need.Horizon.Y1_3, Need.Horizon.Y3_5]
    index = order.index(horizon)
    q = Q()
    if index > 0:
        q &= Q(needed_by__gt=needed_by_for(horizon=order[index - 1], today=today))
    if index < len(order) - 1:
        q &= Q(needed_by__lte=needed_by_for(horizon=horizon, today=today))
    return q


def needs_to_confirm_count(user, *, today: dt.date) -> int:
    """How many active needs of the user's employers are past their "gäller till" date."""
    if not user.is_authenticated:
        return 0
    employer_ids = permissions.organisation_ids(user, kind=Organisation.Kind.EMPLOYER)
    if not employer_ids:
        return 0
    return Need.objects.filter(rules.needs_to_confirm_q(today), organisation_id__in=employer_ids).count()


@dataclass(frozen=True)
class NeedFilters:
    occupation_field: int | None = None
    ssyk: str = ""
    lan: int | None = None
    kommun: int | None = None
    horizon: str = ""
    status: str = Need.Status.ACTIVE
    organisation: int | None = None
    text: str = ""
    to_confirm_of: frozenset[int] | None = None
    mine_of: frozenset[int] | None = None
    """"Mina behov": only the needs of these organisations (the viewer's employers)."""
    needed_by_horizon: str = ""
    """Needed by the date of this horizon at the latest (cumulative, as dimensioning counts demand)."""
    purpose: str = ""
    in_demand: bool = False
    """Only the needs that count as demand today (``rules.needs_in_demand_q``: active, not lapsed)."""
    open_to: str = ""
    """One of ``OPEN_TO``: only needs open to validation, language-integrated training or broadened
    recruitment."""

    @property
    def counted_in_cells(self) -> bool:
        """The filters dimensioning links to (needed by a horizon's date at the latest, counted as
        demand, purpose, open to): figures under them leave hidden needs to dimensioning's cells."""
        return bool(self.needed_by_horizon or self.in_demand or self.purpose or self.open_to)

    @property
    def structured(self) -> bool:
        """Whether the filter uses structured fields alone (no free text, no organisation), the
        condition under which hidden needs may enter figures (docs/permissions.md)."""
        return not self.text and self.organisation is None and self.to_confirm_of is None and self.mine_of is None


OPEN_TO = ("validation_accepted", "language_integrated_welcome", "broadened_recruitment")


def needs_filtered(needs: QuerySet[Need], filters: NeedFilters, *, today: dt.date) -> QuerySet[Need]:
    if filters.needed_by_horizon:
        needs = needs.filter(needed_by__lte=needed_by_for(horizon=filters.needed_by_horizon, today=today))
    if filters.purpose:
        needs = needs.filter(purpose=filters.purpose)
    if filters.in_demand:
        needs = needs.filter(rules.needs_in_demand_q(today))
    if filters.open_to in OPEN_TO:
        needs = needs.filter(**{filters.open_to: True})
    if filters.occupation_field:
        needs = needs.filter(ssyk4__occupation_field_id=filters.occupation_field)
    if filters.ssyk:
        needs = needs.filter(ssyk4__code__startswith=filters.ssyk)
    if filters.lan:
        needs = needs.filter(lan_id=filters.lan)
    if filters.kommun:
        needs = needs.filter(kommun_id=filters.kommun)
    if filters.horizon:
        needs = needs.filter(_horizon_q(filters.horizon, today))
    if filters.status:
        needs = needs.filter(status=filters.status)
    if filters.organisation:
        needs = needs.filter(organisation_id=filters.organisation)
    if filters.to_confirm_of is not None:
        needs = needs.filter(rules.needs_to_confirm_q(today), organisation_id__in=filters.to_confirm_of)
    if filters.mine_of is not None:
        needs = needs.filter(organisation_id__in=filters.mine_of)
    if filters.text:
        needs = needs.filter(search_q(filters.text, "search_text", "organisation__search_text"))
    return needs


@dataclass(frozen=True)
class NeedFigure:
    """A figure built from needs under the disclosure rule (``permissions.may_count_hidden_needs``).

    ``needs``, ``headcount`` and ``employers`` are what the viewer is shown: the needs they may
    list plus, where the rule allows, those they may not (``hidden_needs``, ``hidden_headcount``).
    ``suppressed`` says that a hidden part exists but was left out because it comes from fewer
    than three employers; it is only ever true under a structured filter.
    """

    needs: int = 0
    headcount: int = 0
    employers: int = 0
    listed_needs: int = 0
    hidden_needs: int = 0
    hidden_headcount: int = 0
    suppressed: bool = False
    in_cells: bool = False
    """Hidden needs match too; they are counted only on the dimensioning page, in whole cells."""


CELL_FIELDS = ("ssyk4_id", "lan_id", "purpose", "cell_year", "cell_half")
"""What makes a released cell (``permissions.hidden_cell_period``): SSYK4 group, län, purpose
and the calendar half-year of the needed-by date."""


def _with_cell(needs: QuerySet[Need]) -> QuerySet[Need]:
    return needs.annotate(cell_year=ExtractYear("needed_by"),
                          cell_half=Case(When(needed_by__month__lte=6, then=Value(1)), default=Value(2)))


def _hidden_cell_totals(user, keys: set[tuple], *, today: dt.date) -> dict[tuple, tuple[int, int]]:
    """For each cell key: how many needs in demand the viewer may not list it holds, and from
    how many employers — over the whole cell, whatever filter selected part of it."""
    if not keys:
        return {}
    cells = (_with_cell(Need.objects.filter(rules.needs_in_demand_q(today))
                        .exclude(permissions.needs_listable_q(user))
                        .filter(ssyk4_id__in={k[0] for k in keys}, lan_id__in={k[1] for k in keys}))
             .order_by().values(*CELL_FIELDS)
             .annotate(n=Count("id"), employers=Count("organisation", distinct=True)))
    return {tuple(c[f] for f in CELL_FIELDS): (c["n"], c["employers"]) for c in cells}


def need_figures(user, needs: QuerySet[Need], *, structured: bool, today: dt.date,
                 group_by: Sequence[str] = ()) -> dict[tuple, NeedFigure]:
    """Figures over ``needs`` — a queryset of needs of every visibility, already filtered — as
    ``user`` may see them, one per value of ``group_by`` (the key ``()`` when not grouped).

    The only place outside dimensioning that turns needs into counts, under the released-cell
    rule of docs/permissions.md, as dimensioning applies it: the needs the viewer may list count
    whole; those they may not count only as whole *released cells* — needs in demand of one
    SSYK4 group, län, purpose and half-year of the needed-by date, from at least
    ``MIN_HIDDEN_EMPLOYERS`` employers — that the filter covers entirely. A figure is therefore
    the readable part plus a sum of released cells, on this page as on the dimensioning page, so
    no difference of two figures isolates a suppressed need. A hidden need left out (its cell is
    suppressed or only partly selected, or it is not demand) marks the figure ``suppressed``
    under a structured filter; under free text or an organisation filter it leaves no trace.
    ``structured`` is true only when the filter that produced ``needs`` uses structured fields
    alone (see ``NeedFilters.structured``).
    """
    listable = permissions.needs_listable_q(user)
    needs = needs.order_by()
    group_by = tuple(group_by)
    figures: dict[tuple, dict] = defaultdict(lambda: {"needs": 0, "people": 0, "orgs": set(), "hidden_needs": 0,
                                                      "hidden_people": 0, "left_out": False})
    for row in (needs.filter(listable).values(*group_by, "organisation_id")
                .annotate(n=Count("id"), people=Sum("headcount"))):
        figure = figures[tuple(row[f] for f in group_by)]
        figure["needs"] += row["n"]
        figure["people"] += row["people"] or 0
        figure["orgs"].add(row["organisation_id"])
    hidden = needs.exclude(listable)
    in_demand = rules.needs_in_demand_q(today)
    if structured:
        for key in hidden.exclude(in_demand).values_list(*group_by).distinct() if group_by else (
                [()] if hidden.exclude(in_demand).exists() else []):
            figures[tuple(key)]["left_out"] = True
        parts = list(_with_cell(hidden.filter(in_demand)).values(*group_by, *CELL_FIELDS, "organisation_id")
                     .annotate(n=Count("id"), people=Sum("headcount")))
        totals = _hidden_cell_totals(user, {tuple(p[f] for f in CELL_FIELDS) for p in parts}, today=today)
        selected: dict[tuple, int] = defaultdict(int)  # (group, cell) → needs of the cell in the group
        for part in parts:
            selected[tuple(part[f] for f in group_by), tuple(part[f] for f in CELL_FIELDS)] += part["n"]
        for part in parts:
            key, cell = tuple(part[f] for f in group_by), tuple(part[f] for f in CELL_FIELDS)
            figure = figures[key]
            cell_needs, cell_employers = totals[cell]
            if selected[key, cell] == cell_needs and permissions.may_release_hidden_cell(hidden_employers=cell_employers):
                figure["hidden_needs"] += part["n"]
                figure["hidden_people"] += part["people"] or 0
                figure["orgs"].add(part["organisation_id"])
            else:
                figure["left_out"] = True

    def figure(f: dict) -> NeedFigure:
        return NeedFigure(
            needs=f["needs"] + f["hidden_needs"], headcount=f["people"] + f["hidden_people"], employers=len(f["orgs"]),
            listed_needs=f["needs"], hidden_needs=f["hidden_needs"], hidden_headcount=f["hidden_people"],
            suppressed=f["left_out"] and permissions.may_mark_hidden_needs(structured=structured))

    if not group_by:
        return {(): figure(figures[()])}
    return {key: figure(f) for key, f in figures.items()}


def need_figure(user, filters: NeedFilters, *, today: dt.date) -> NeedFigure:
    """The totals line of the needs list: one figure over every need matching the filters.

    Under the dimensioning's drill-down filters (``NeedFilters.counted_in_cells``) it counts only
    the needs the viewer may list and marks a hidden part (``in_cells``): dimensioning counts
    those in whole released cells, and a figure over the same filter computed need by need could
    be subtracted from it (docs/permissions.md)."""
    needs = needs_filtered(Need.objects.all(), filters, today=today)
    if filters.counted_in_cells:
        listable = permissions.needs_listable_q(user)
        figure = need_figures(user, needs.filter(listable), structured=filters.structured, today=today)[()]
        hidden = filters.structured and needs.exclude(listable).exists()
        return dataclasses.replace(figure, in_cells=hidden)
    return need_figures(user, needs, structured=filters.structured, today=today)[()]


def need_history(*, need: Need, limit: int = 100) -> list[HistoryEntry]:
    """The need's events, newest first, with their changes in words (``matchplats.core.history``)."""
    entries = []
    for event in need.events.select_related("actor")[:limit]:
        changes = event.data.get("changes") or {}
        if event.type == NeedEvent.Type.STATUS_CHANGED and "new" in event.data:
            changes = {"status": [event.data.get("old"), event.data["new"]]}
        note = ""
        if event.data.get("file"):
            note = _("file %(file)s, row %(row)s") % {"file": event.data["file"], "row": event.data.get("row", "?")}
        elif event.type == NeedEvent.Type.REMINDED:
            note = ngettext("%(count)s recipient", "%(count)s recipients", event.data.get("recipients", 0)) % {
                "count": event.data.get("recipients", 0)}
        entries.append(HistoryEntry(
            at=event.created_at, title=event.get_type_display(), actor=event.actor, note=note,
            changes=describe_changes(Need, changes, set_like=["skills"])))
    return entries
