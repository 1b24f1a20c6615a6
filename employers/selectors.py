"""Reads of competence needs. Listing always goes through ``needs_visible_to``; every figure
(count, head count, number of employers) goes through ``need_figures``, which applies the
disclosure rule of docs/permissions.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from employers import rules
from employers.models import Need
from employers.services import needed_by_for
from matchplats import permissions
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
        return not self.text and self.organisation is None and self.to_confirm_of is None


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
    if filters.text:
        needs = needs.filter(Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
                             | Q(ssyk4__label__icontains=filters.text))
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


def _figure(row: dict, *, structured: bool) -> NeedFigure:
    listed = NeedFigure(needs=row["r_needs"], headcount=row["r_people"] or 0, employers=row["r_employers"],
                        listed_needs=row["r_needs"])
    if not row["h_needs"]:
        return listed
    if permissions.may_count_hidden_needs(structured=structured, hidden_employers=row["h_employers"]):
        hidden_people = row["h_people"] or 0
        return NeedFigure(needs=row["r_needs"] + row["h_needs"], headcount=listed.headcount + hidden_people,
                          employers=row["all_employers"], listed_needs=row["r_needs"], hidden_needs=row["h_needs"],
                          hidden_headcount=hidden_people)
    if permissions.may_mark_hidden_needs(structured=structured):
        return NeedFigure(needs=listed.needs, headcount=listed.headcount, employers=listed.employers,
                          listed_needs=listed.needs, suppressed=True)
    return listed


def need_figures(user, needs: QuerySet[Need], *, structured: bool,
                 group_by: Sequence[str] = ()) -> dict[tuple, NeedFigure]:
    """Figures over ``needs`` — a queryset of needs of every visibility, already filtered — as
    ``user`` may see them, one per value of ``group_by`` (the key ``()`` when not grouped).

    The only place that turns needs into counts: every figure shown anywhere calls it, so the
    disclosure rule of docs/permissions.md holds everywhere. ``structured`` is true only when the
    filter that produced ``needs`` uses structured fields alone (see ``NeedFilters.structured``).
    """
    listable = permissions.needs_listable_q(user)
    measures = {
        "r_needs": Count("id", filter=listable), "r_people": Sum("headcount", filter=listable),
        "r_employers": Count("organisation", filter=listable, distinct=True),
        "h_needs": Count("id", filter=~listable), "h_people": Sum("headcount", filter=~listable),
        "h_employers": Count("organisation", filter=~listable, distinct=True),
        "all_employers": Count("organisation", distinct=True),
    }
    needs = needs.order_by()
    if not group_by:
        return {(): _figure(needs.aggregate(**measures), structured=structured)}
    return {
        tuple(row[field] for field in group_by): _figure(row, structured=structured)
        for row in needs.values(*group_by).annotate(**measures)
    }


def need_figure(user, filters: NeedFilters, *, today: dt.date) -> NeedFigure:
    """The totals line of the needs list: one figure over every need matching the filters.

    Under the dimensioning's drill-down filters (``NeedFilters.counted_in_cells``) it counts only
    the needs the viewer may list and marks a hidden part (``in_cells``): dimensioning counts
    those in whole released cells, and a figure over the same filter computed need by need could
    be subtracted from it (docs/permissions.md)."""
    needs = needs_filtered(Need.objects.all(), filters, today=today)
    if filters.counted_in_cells:
        listable = permissions.needs_listable_q(user)
        figure = need_figures(user, needs.filter(listable), structured=filters.structured)[()]
        hidden = filters.structured and needs.exclude(listable).exists()
        return dataclasses.replace(figure, in_cells=hidden)
    return need_figures(user, needs, structured=filters.structured)[()]
