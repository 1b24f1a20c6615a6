"""Reads of competence needs. Listing always goes through ``needs_visible_to``; figures count
every need (aggregated-only ones included) but never expose rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from employers.models import Need
from employers.services import needed_by_for
from matchplats import permissions


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


def needs_filtered(needs: QuerySet[Need], filters: NeedFilters, *, today: dt.date) -> QuerySet[Need]:
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
    if filters.text:
        needs = needs.filter(Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
                             | Q(ssyk4__label__icontains=filters.text))
    return needs


@dataclass(frozen=True)
class NeedTotals:
    needs: int
    headcount: int
    employers: int


def need_totals(filters: NeedFilters, *, today: dt.date) -> NeedTotals:
    """Totals over every need matching the filters, whatever its visibility (counts never name anyone)."""
    totals = needs_filtered(Need.objects.all(), filters, today=today).aggregate(
        needs=Count("id"), headcount=Sum("headcount"), employers=Count("organisation", distinct=True)
    )
    return NeedTotals(needs=totals["needs"], headcount=totals["headcount"] or 0, employers=totals["employers"])
