"""Dimensioning: registered demand next to planned supply, per occupation, for a län or some of
its kommuner and a horizon (docs/dimensioning.md). Selectors only; nothing here writes.

Demand is the head count of needs in demand (``employers.rules.needs_in_demand_q``) with a
needed-by date on or before the horizon date. What the viewer may list counts whole; what they
may not list counts only as whole *released cells* (``matchplats.permissions``:
``hidden_cell_period``, ``may_release_hidden_cell``), so no figure here, nor any difference of
two of them, holds part of a suppressed cell.

Supply is people completing a programme between today and the horizon date (``completion_date``),
from intakes of programmes given in the region, split over the programme's occupations
(``occupation_shares``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Count, DateTimeField, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from employers.models import Need, NeedEvent
from employers.rules import LAPSE_AFTER_DAYS, needs_in_demand_q
from matching.models import MatchLink
from matchplats import permissions
from matchplats.core.horizons import HORIZONS, needed_by_for_horizon
from matchplats.taxonomy.models import Kommun, Lan, OccupationField, SsykGroup
from matchplats.taxonomy.selectors import Outlook, labour_market_for
from providers.models import Intake, Programme
from providers.selectors import SUPPLY_STATUSES

DEFAULT_HORIZON = "1-3y"
APPLIED_STATUSES = (Programme.Status.APPLIED,)
"""Programmes applied for (not yet granted): shown in a column of their own, never in supply or gap."""
WEEKS_PER_YH_POINT = 40 / 200
"""200 YH points are 40 weeks of full-time study."""
FALLBACK_WEEKS = 40
"""Length assumed when a programme states neither its weeks nor its YH points: one school year."""
TREND_MONTHS = 12

FLAGS = ("validation_accepted", "language_integrated_welcome", "broadened_recruitment")


@dataclass(frozen=True)
class DimensioningFilters:
    """What the table is for: a län (code), optionally some of its kommuner (codes), an
    occupation field (id), a horizon (``now``, ``1y``, ``1-3y``, ``3-5y``) and a programme form."""

    lan: str
    kommuner: tuple[str, ...] = ()
    occupation_field: int | None = None
    horizon: str = DEFAULT_HORIZON
    form: str = ""

    def __post_init__(self):
        if self.horizon not in HORIZONS:
            raise ValueError(f"unknown horizon {self.horizon!r}; use one of {', '.join(HORIZONS)}")
        if self.form and self.form not in Programme.Form.values:
            raise ValueError(f"unknown programme form {self.form!r}")


@dataclass
class DimensioningRow:
    """One occupation (SSYK4) or, with ``is_field``, an occupation field (the sum of its rows).

    Head counts are what the viewer is shown under the released-cell rule; ``suppressed`` says
    that a hidden part was left out ("färre än 3 arbetsgivare"), ``flags_suppressed`` the same
    for the equality figures. ``supply`` is people completing by the horizon (may hold a fraction
    where a programme's places are split between occupations); ``supply_applied`` the same for
    programmes applied for."""

    key: str
    label: str
    ssyk4_code: str = ""
    occupation_field_id: int | None = None
    occupation_field_label: str = ""
    is_field: bool = False
    recruitment: int = 0
    upskilling: int = 0
    employers: int = 0
    suppressed: bool = False
    supply: float = 0.0
    supply_applied: float = 0.0
    programmes: int = 0
    validation_accepted: int = 0
    language_integrated_welcome: int = 0
    broadened_recruitment: int = 0
    flags_suppressed: bool = False
    outlooks: list[Outlook] = field(default_factory=list)
    ads: int | None = None

    @property
    def demand(self) -> int:
        return self.recruitment + self.upskilling

    @property
    def gap(self) -> float:
        """Demand minus supply: positive = more people needed than planned programmes bring."""
        return self.demand - self.supply

    @property
    def ratio(self) -> float | None:
        """Supply per person in demand (1.0 = covered); None without demand."""
        return self.supply / self.demand if self.demand else None

    @property
    def shortage(self) -> bool:
        return any(outlook.shortage for outlook in self.outlooks)


@dataclass(frozen=True)
class GenderRow:
    programme_id: int
    name: str
    form: str
    status: str
    women: int
    men: int

    @property
    def share_women(self) -> float | None:
        total = self.women + self.men
        return self.women / total if total else None


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    demand: int
    suppressed: bool


@dataclass(frozen=True)
class LanGap:
    lan_code: str
    lan_label: str
    demand: int
    supply: float
    suppressed: bool

    @property
    def gap(self) -> float:
        return self.demand - self.supply


@dataclass
class DimensioningTable:
    filters: DimensioningFilters
    today: dt.date
    horizon_date: dt.date
    lan: Lan
    kommuner: list[Kommun]
    occupation_field: OccupationField | None
    rows: list[DimensioningRow]
    """One per SSYK4 with demand or supply, ordered by field, then gap (largest first)."""
    fields: list[DimensioningRow]
    """One roll-up per occupation field, ordered by gap."""
    total: DimensioningRow
    gender: list[GenderRow]
    attribution: str

    @property
    def hidden_per_lan_only(self) -> bool:
        """Under a kommun filter only readable needs are counted: hidden demand is summed per län."""
        return bool(self.kommuner)


# --- supply ---------------------------------------------------------------------------------------


def programme_weeks(*, length_weeks: int | None, yh_points: int | None, pace_percent: int | None) -> float:
    """Calendar weeks from start to completion: the stated length in weeks, else the YH points
    (200 points = 40 weeks full time), else ``FALLBACK_WEEKS``; stretched by a pace below 100 %."""
    if length_weeks:
        weeks = float(length_weeks)
    elif yh_points:
        weeks = yh_points * WEEKS_PER_YH_POINT
    else:
        weeks = float(FALLBACK_WEEKS)
    return weeks * 100 / (pace_percent or 100)


def completion_date(start: dt.date, weeks: float) -> dt.date:
    return start + dt.timedelta(days=round(weeks * 7))


def occupation_shares(*, targets: Iterable[int], link_scores: Iterable[tuple[int, float]]) -> dict[int, float]:
    """How a programme's places are split between SSYK4 groups (ids); the shares sum to 1.

    Explicit target occupations split the places equally. A programme without them counts
    toward the occupations of the needs it is linked to (stored match links at or above
    ``MATCHER_LINK_THRESHOLD``, of needs the viewer may list), in proportion to the link scores.
    No targets and no links: the programme is not counted as supply for any occupation."""
    targets = sorted(set(targets))
    if targets:
        return {ssyk4: 1 / len(targets) for ssyk4 in targets}
    totals: dict[int, float] = defaultdict(float)
    for ssyk4, score in link_scores:
        totals[ssyk4] += score
    whole = sum(totals.values())
    return {ssyk4: score / whole for ssyk4, score in totals.items()} if whole else {}


@dataclass
class _Supply:
    people: dict
    applied: dict
    programmes: dict
    gender: list[GenderRow]
    contributing: dict = field(default_factory=dict)
    """With ``by_lan``: per county id, the programmes whose places count as supply there."""

    def county(self, lan_id: int) -> _Supply:
        """One county's part of a ``by_lan`` supply, keyed by SSYK4 as ``_supply`` for that county
        alone returns it (same programmes, intakes, shares and gender rows)."""
        def part(values: dict) -> dict:
            return {ssyk4: value for (lan, ssyk4), value in values.items() if lan == lan_id}

        return _Supply(part(self.people), part(self.applied), part(self.programmes),
                       _gender_rows(self.contributing.get(lan_id, set())))


def _gender_rows(programme_ids: set[int]) -> list[GenderRow]:
    return [GenderRow(*row) for row in Programme.objects.filter(
        pk__in=programme_ids, last_intake_women__isnull=False, last_intake_men__isnull=False)
        .order_by("name").values_list("pk", "name", "form", "status", "last_intake_women", "last_intake_men")]


def _programmes_in_region(*, lan_ids: list[int] | None, kommun_ids: list[int], form: str):
    """Programmes given in the region: with a kommun among ``kommun_ids`` or, without a kommun
    filter, in one of ``lan_ids`` (None = every län). A distance programme counts where it has a
    kommun; one without any kommun counts nowhere (it would otherwise count in every län)."""
    programmes = Programme.objects.filter(status__in=SUPPLY_STATUSES + APPLIED_STATUSES)
    if form:
        programmes = programmes.filter(form=form)
    if kommun_ids:
        place = Programme.kommuner.through.objects.filter(kommun_id__in=kommun_ids)
    elif lan_ids is not None:
        place = Programme.kommuner.through.objects.filter(kommun__lan_id__in=lan_ids)
    else:
        place = Programme.kommuner.through.objects.all()
    return programmes.filter(pk__in=place.values("programme_id"))


def _supply(*, user, lan_ids: list[int] | None, kommun_ids: list[int], form: str, today: dt.date,
            horizon_date: dt.date, by_lan: bool = False):
    region = _programmes_in_region(lan_ids=lan_ids, kommun_ids=kommun_ids, form=form)
    programmes = {row[0]: row for row in region.values_list("id", "status", "length_weeks", "yh_points",
                                                            "pace_percent")}
    weeks_of = {pk: programme_weeks(length_weeks=row[2], yh_points=row[3], pace_percent=row[4])
                for pk, row in programmes.items()}
    # Only intakes that can complete in [today, horizon]: started by the horizon date and not
    # longer ago than the longest programme lasts; related rows only for their programmes, read
    # through subqueries rather than lists of ids, so the database joins them.
    longest = max(weeks_of.values(), default=0.0)
    window = Intake.objects.filter(programme__in=region.values("pk"), start_date__lte=horizon_date,
                                   start_date__gte=today - dt.timedelta(days=math.ceil(longest * 7) + 1))
    intakes = list(window.values_list("programme_id", "start_date", "places"))
    # For one county, related rows of the programmes with intakes in the window; for every county
    # (the gap chart) whole tables are cheaper to read than to filter, and rows of programmes not
    # counted are simply never looked up.
    everywhere = lan_ids is None and not kommun_ids
    scope = Q(programme__status__in=SUPPLY_STATUSES + APPLIED_STATUSES) if everywhere else Q(
        programme_id__in=window.values("programme_id"))
    targets: dict[int, list[int]] = defaultdict(list)
    for programme_id, ssyk4_id in Programme.target_occupations.through.objects.filter(scope).values_list(
            "programme_id", "ssykgroup_id"):
        targets[programme_id].append(ssyk4_id)
    links: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for programme_id, ssyk4_id, score in (
            MatchLink.objects.filter(scope, programme__target_occupations__isnull=True,
                                     score__gte=settings.MATCHER_LINK_THRESHOLD)
            .filter(permissions.needs_listable_q(user, prefix="need__"))
            .values_list("programme_id", "need__ssyk4_id", "score")):
        links[programme_id].append((ssyk4_id, score))
    lans_of: dict[int, set[int]] = defaultdict(set)
    if by_lan:
        for programme_id, lan_id in Programme.kommuner.through.objects.filter(scope).values_list(
                "programme_id", "kommun__lan_id"):
            lans_of[programme_id].add(lan_id)
    people: dict = defaultdict(float)
    applied: dict = defaultdict(float)
    counted: dict = defaultdict(set)
    contributing: set[int] = set()
    contributing_by_lan: dict[int, set[int]] = defaultdict(set)
    # completion_date for each programme's length, as one timedelta per programme
    length_of = {pk: completion_date(today, weeks) - today for pk, weeks in weeks_of.items()}
    # Per programme, worked out at its first intake that completes in the window: where its
    # places go (keys with their shares) and into which bucket.
    plan_of: dict[int, tuple[dict, list[tuple[object, float]]]] = {}
    for programme_id, start, places in intakes:
        if not today <= start + length_of[programme_id] <= horizon_date:
            continue
        plan = plan_of.get(programme_id)
        if plan is None:
            shares = occupation_shares(targets=targets.get(programme_id, ()), link_scores=links.get(programme_id, ()))
            keys = [((lan, ssyk4), share) for ssyk4, share in shares.items() for lan in lans_of[programme_id]] \
                if by_lan else list(shares.items())
            is_applied = programmes[programme_id][1] in APPLIED_STATUSES
            plan = plan_of[programme_id] = (applied if is_applied else people, keys)
            if keys and not is_applied:
                contributing.add(programme_id)
                for lan in lans_of[programme_id] if by_lan else ():
                    contributing_by_lan[lan].add(programme_id)
                for key, _share in keys:
                    counted[key].add(programme_id)
        bucket, keys = plan
        for key, share in keys:
            bucket[key] += places * share
    gender = [] if by_lan else _gender_rows(contributing)
    return _Supply(people, applied, counted, gender, dict(contributing_by_lan))


# --- demand ---------------------------------------------------------------------------------------


@dataclass
class _Demand:
    """The county's demand under the released-cell rule: figures per SSYK4 id (head counts per
    purpose and flag, ``employers``, ``suppressed``, ``flags_suppressed``) and the distinct
    employers behind each occupation field and the whole."""

    figures: dict
    field_employers: dict
    total_employers: int


def _table_demand(*, user, today: dt.date, lan: Lan, occupation_field: int | None, horizon_date: dt.date,
                  kommun_ids: list[int]) -> _Demand:
    """Grouped in the database: the readable part per SSYK4, and the hidden part per cell, of
    which only released cells come back; employers are counted over exactly the needs shown."""
    needs = Need.objects.filter(needs_in_demand_q(today), lan=lan).order_by()
    if occupation_field:
        needs = needs.filter(ssyk4__occupation_field_id=occupation_field)
    listable = permissions.needs_listable_q(user)
    readable_q = listable & Q(needed_by__lte=horizon_date)
    if kommun_ids:
        readable_q &= Q(kommun_id__in=kommun_ids)
    figures: dict = defaultdict(lambda: {"suppressed": False, "flags_suppressed": False})
    by_purpose = {purpose: Sum("headcount", filter=Q(purpose=purpose)) for purpose in Need.Purpose.values}
    by_flag = {flag: Sum("headcount", filter=Q(**{flag: True})) for flag in FLAGS}
    for row in needs.filter(readable_q).values("ssyk4_id").annotate(**by_purpose, **by_flag):
        figures[row["ssyk4_id"]].update({key: row[key] or 0 for key in (*Need.Purpose.values, *FLAGS)})
    counted_q = readable_q
    if not kommun_ids:
        counted_q |= ~listable & _released_demand(
            needs.exclude(listable).filter(needed_by__lte=_period_end(horizon_date)), figures)
    # The distinct employers per occupation, per field and in all, from one read of the
    # (occupation, field, employer) triples of the counted needs: the filter of released cells
    # can be long, so it is evaluated once rather than once per level.
    by_ssyk4: dict = defaultdict(set)
    by_field: dict = defaultdict(set)
    everyone: set = set()
    for ssyk4, field_id, organisation in (needs.filter(counted_q).values_list(
            "ssyk4_id", "ssyk4__occupation_field_id", "organisation_id").distinct()):
        by_ssyk4[ssyk4].add(organisation)
        by_field[field_id].add(organisation)
        everyone.add(organisation)
    for ssyk4, organisations in by_ssyk4.items():
        figures[ssyk4]["employers"] = len(organisations)
    return _Demand(figures=figures, field_employers={f: len(o) for f, o in by_field.items()},
                   total_employers=len(everyone))


def _released_demand(hidden, figures: dict) -> Q:
    """Adds the released cells of ``hidden`` (needs the viewer may not list, in cells whose
    half-year starts by the horizon date) to ``figures``, marks what was left out, and returns
    the needs of the released cells as a filter. An equality cell lies inside its purpose cell
    and is released only when the rest of the purpose cell (needs without the flag) is empty or
    released too, so that purpose minus flag cannot isolate a small part either."""
    hidden_counts = {"n": Count("id"), **{f"n_{flag}": Count("id", filter=Q(**{flag: True})) for flag in FLAGS}}
    left: dict = {}
    for row in hidden.values("ssyk4_id").annotate(**hidden_counts):
        left[row["ssyk4_id"]] = {key: row[key] for key in hidden_counts}
    cell_measures = {"n": Count("id"), "people": Sum("headcount"), "employers": Count("organisation", distinct=True)}
    for flag in FLAGS:
        on, off = Q(**{flag: True}), Q(**{flag: False})
        cell_measures.update({
            f"people_{flag}": Sum("headcount", filter=on), f"n_{flag}": Count("id", filter=on),
            f"employers_{flag}": Count("organisation", distinct=True, filter=on),
            f"employers_not_{flag}": Count("organisation", distinct=True, filter=off),
        })
    cells = (hidden.annotate(period=period_expression(hidden)).values("ssyk4_id", "purpose", "period")
             .annotate(**cell_measures).filter(employers__gte=permissions.MIN_HIDDEN_EMPLOYERS))
    released = Q(pk__in=[])
    for cell in cells:
        if not permissions.may_release_hidden_cell(hidden_employers=cell["employers"]):
            continue
        ssyk4, figure = cell["ssyk4_id"], figures[cell["ssyk4_id"]]
        figure[cell["purpose"]] = figure.get(cell["purpose"], 0) + cell["people"]
        left[ssyk4]["n"] -= cell["n"]
        for flag in FLAGS:
            rest = cell["n"] - cell[f"n_{flag}"]
            if cell[f"n_{flag}"] and permissions.may_release_hidden_cell(
                    hidden_employers=cell[f"employers_{flag}"]) and (
                    not rest or permissions.may_release_hidden_cell(hidden_employers=cell[f"employers_not_{flag}"])):
                figure[flag] = figure.get(flag, 0) + cell[f"people_{flag}"]
                left[ssyk4][f"n_{flag}"] -= cell[f"n_{flag}"]
        year, half_index = divmod(cell["period"], 2)
        start = permissions.hidden_cell_period_start((year, half_index + 1))
        released |= Q(ssyk4_id=ssyk4, purpose=cell["purpose"], needed_by__gte=start,
                      needed_by__lte=_period_end(start))
    for ssyk4, counts in left.items():
        figures[ssyk4]["suppressed"] = counts["n"] > 0
        figures[ssyk4]["flags_suppressed"] = any(counts[f"n_{flag}"] > 0 for flag in FLAGS)
    return released


# --- the table ------------------------------------------------------------------------------------


def _lan_and_kommuner(filters: DimensioningFilters) -> tuple[Lan, list[Kommun]]:
    try:
        lan = Lan.objects.get(code=filters.lan)
    except Lan.DoesNotExist:
        raise ValueError(f"unknown län {filters.lan!r}") from None
    kommuner = list(Kommun.objects.filter(code__in=filters.kommuner).order_by("label"))
    if len(kommuner) != len(set(filters.kommuner)) or any(k.lan_id != lan.pk for k in kommuner):
        raise ValueError(f"every kommun must be a kommun of {lan.label}")
    return lan, kommuner


def _row_from(row: DimensioningRow, figure: dict | None) -> None:
    if not figure:
        return
    row.recruitment = figure.get(Need.Purpose.RECRUITMENT, 0)
    row.upskilling = figure.get(Need.Purpose.UPSKILLING, 0)
    row.employers = figure.get("employers", 0)
    row.suppressed = figure["suppressed"]
    row.flags_suppressed = figure["flags_suppressed"]
    for flag in FLAGS:
        setattr(row, flag, figure.get(flag, 0))


def _roll_up(row: DimensioningRow, parts: list[DimensioningRow], employers: int,
             programme_sets: list[set[int]]) -> DimensioningRow:
    for part in parts:
        row.recruitment += part.recruitment
        row.upskilling += part.upskilling
        row.supply += part.supply
        row.supply_applied += part.supply_applied
        row.suppressed |= part.suppressed
        row.flags_suppressed |= part.flags_suppressed
        for flag in FLAGS:
            setattr(row, flag, getattr(row, flag) + getattr(part, flag))
    row.employers = employers
    row.programmes = len(set().union(*programme_sets)) if programme_sets else 0
    return row


def dimensioning_table(*, user, filters: DimensioningFilters, today: dt.date) -> DimensioningTable:
    """Demand, supply, gap and labour-market context per SSYK4 group of the filtered region, as
    ``user`` may see it; with roll-ups per occupation field and a total (docs/dimensioning.md).

    Raises ValueError for a län, kommun, horizon or form that does not exist."""
    return _table(user=user, filters=filters, today=today, everywhere=None)


def _table(*, user, filters: DimensioningFilters, today: dt.date, everywhere: _Supply | None) -> DimensioningTable:
    """``dimensioning_table``, taking the county's supply from ``everywhere`` (every county's,
    computed once for the page's county chart) when the filter names no kommun."""
    lan, kommuner = _lan_and_kommuner(filters)
    kommun_ids = [k.pk for k in kommuner]
    horizon_date = needed_by_for_horizon(filters.horizon, today)
    occupation_field = (OccupationField.objects.filter(pk=filters.occupation_field).first()
                        if filters.occupation_field else None)
    if filters.occupation_field and occupation_field is None:
        raise ValueError(f"unknown occupation field {filters.occupation_field!r}")
    demand = _table_demand(user=user, today=today, lan=lan, occupation_field=filters.occupation_field,
                           horizon_date=horizon_date, kommun_ids=kommun_ids)
    if everywhere is not None and not kommun_ids:
        supply = everywhere.county(lan.pk)
    else:
        supply = _supply(user=user, lan_ids=[lan.pk], kommun_ids=kommun_ids, form=filters.form, today=today,
                         horizon_date=horizon_date)
    groups = SsykGroup.objects.filter(pk__in=set(demand.figures) | set(supply.people) | set(supply.applied))
    if filters.occupation_field:
        groups = groups.filter(occupation_field_id=filters.occupation_field)
    groups = list(groups.select_related("occupation_field"))
    context = labour_market_for(ssyk4_codes=[g.code for g in groups], lan=lan)
    rows = []
    for group in groups:
        row = DimensioningRow(
            key=group.code, label=group.label, ssyk4_code=group.code, occupation_field_id=group.occupation_field_id,
            occupation_field_label=group.occupation_field.label if group.occupation_field else "",
            supply=supply.people.get(group.pk, 0.0), supply_applied=supply.applied.get(group.pk, 0.0),
            programmes=len(supply.programmes.get(group.pk, ())),
        )
        _row_from(row, demand.figures.get(group.pk))
        if group.code in context.groups:
            row.outlooks = context.groups[group.code].outlooks
            row.ads = context.groups[group.code].ads
        if row.demand or row.supply or row.supply_applied or row.suppressed:
            rows.append(row)
    programmes_of = {g.code: supply.programmes.get(g.pk, set()) for g in groups}
    by_field: dict = defaultdict(list)
    for row in rows:
        by_field[(row.occupation_field_id, row.occupation_field_label)].append(row)
    fields = []
    for (field_id, field_label), parts in by_field.items():
        fields.append(_roll_up(
            DimensioningRow(key=f"field-{field_id or 0}", label=field_label, occupation_field_id=field_id,
                            occupation_field_label=field_label, is_field=True),
            parts, demand.field_employers.get(field_id, 0), [programmes_of[p.key] for p in parts]))
    fields.sort(key=lambda r: (-r.gap, r.label))
    gap_rank = {f.occupation_field_id: i for i, f in enumerate(fields)}
    rows.sort(key=lambda r: (gap_rank[r.occupation_field_id], -r.gap, r.ssyk4_code))
    total = _roll_up(DimensioningRow(key="total", label=""), rows, demand.total_employers,
                     [programmes_of[r.key] for r in rows])
    return DimensioningTable(filters=filters, today=today, horizon_date=horizon_date, lan=lan, kommuner=kommuner,
                             occupation_field=occupation_field, rows=rows, fields=fields, total=total,
                             gender=supply.gender, attribution=context.attribution)


def period_expression(needs=None, *, bounds: tuple[dt.date | None, dt.date | None] | None = None) -> Case:
    """The fixed period (``permissions.hidden_cell_period``) of each need's needed-by date as one
    integer, ``2 * year + half - 1``, in SQL: a CASE over the half-years the needs span, or
    ``bounds`` (first and last needed-by date) when known — plain date comparisons, which every
    database evaluates natively, unlike date functions in SQLite."""
    if bounds is None:
        found = needs.aggregate(first=Min("needed_by"), last=Max("needed_by"))
        bounds = (found["first"], found["last"])
    first, last = bounds
    whens = []
    if first is not None:
        year, half = permissions.hidden_cell_period(first)
        while permissions.hidden_cell_period_start((year, half)) <= last:
            end = _period_end(permissions.hidden_cell_period_start((year, half)))
            whens.append(When(needed_by__lte=end, then=Value(2 * year + half - 1)))
            year, half = (year, 2) if half == 1 else (year + 1, 1)
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _period_end(day: dt.date) -> dt.date:
    """The last day of the fixed period (half-year) ``day`` is in."""
    year, half = permissions.hidden_cell_period(day)
    return dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)


def gap_by_lan(*, user, filters: DimensioningFilters, today: dt.date) -> list[LanGap]:
    """Demand, supply and gap of every län for the filter's occupation field, horizon and form
    (the kommun and län of the filter do not apply), under the same released-cell rule."""
    return _gap_by_lan(user=user, filters=filters, today=today, everywhere=None)


def _every_county_supply(*, user, filters: DimensioningFilters, today: dt.date) -> _Supply:
    return _supply(user=user, lan_ids=None, kommun_ids=[], form=filters.form, today=today,
                   horizon_date=needed_by_for_horizon(filters.horizon, today), by_lan=True)


def _gap_by_lan(*, user, filters: DimensioningFilters, today: dt.date, everywhere: _Supply | None) -> list[LanGap]:
    horizon_date = needed_by_for_horizon(filters.horizon, today)
    needs = Need.objects.filter(needs_in_demand_q(today)).order_by()
    if filters.occupation_field:
        needs = needs.filter(ssyk4__occupation_field_id=filters.occupation_field)
    listable = permissions.needs_listable_q(user)
    totals: dict[int, list] = defaultdict(lambda: [0, 0.0, False])
    # The hidden part in whole cells whose period starts by the horizon date, as in the table;
    # the database returns only the cells with enough employers to be released.
    hidden_q = ~listable & Q(needed_by__lte=_period_end(horizon_date))
    hidden_needs, bounds = {}, []
    for row in needs.values("lan_id").annotate(
            people=Sum("headcount", filter=listable & Q(needed_by__lte=horizon_date)),
            hidden=Count("id", filter=hidden_q), first=Min("needed_by", filter=hidden_q),
            last=Max("needed_by", filter=hidden_q)):
        totals[row["lan_id"]][0] += row["people"] or 0
        hidden_needs[row["lan_id"]] = row["hidden"]
        bounds += [day for day in (row["first"], row["last"]) if day is not None]
    hidden = needs.filter(hidden_q)
    released_needs: dict[int, int] = defaultdict(int)
    cells = (hidden.annotate(period=period_expression(bounds=(min(bounds, default=None), max(bounds, default=None))))
             .values("lan_id", "ssyk4_id", "purpose", "period")
             .annotate(n=Count("id"), people=Sum("headcount"), employers=Count("organisation", distinct=True))
             .filter(employers__gte=permissions.MIN_HIDDEN_EMPLOYERS))
    for cell in cells:
        if permissions.may_release_hidden_cell(hidden_employers=cell["employers"]):
            totals[cell["lan_id"]][0] += cell["people"]
            released_needs[cell["lan_id"]] += cell["n"]
    for lan_id, count in hidden_needs.items():
        totals[lan_id][2] = count > released_needs[lan_id]
    supply = everywhere or _every_county_supply(user=user, filters=filters, today=today)
    in_field = None
    if filters.occupation_field:
        in_field = set(SsykGroup.objects.filter(occupation_field_id=filters.occupation_field)
                       .values_list("pk", flat=True))
    for (lan_id, ssyk4), people in supply.people.items():
        if in_field is None or ssyk4 in in_field:
            totals[lan_id][1] += people
    return [LanGap(lan.code, lan.label, *totals[lan.pk]) for lan in Lan.objects.order_by("code")]


def demand_trend(*, user, filters: DimensioningFilters, today: dt.date) -> list[TrendPoint]:
    """Demand (head count, every horizon) at the end of each of the last ``TREND_MONTHS`` months,
    the last point being today, for the filter's län (or kommuner) and occupation field.

    A need counts on a day when it was registered by then, was not yet filled or withdrawn (the
    time of its last status change, for a need that is no longer active) and had not lapsed under
    its current "gäller till" date. Each point applies the released-cell rule to the needs of
    that day, so the series is built from the same cells as the table."""
    lan, kommuner = _lan_and_kommuner(filters)
    kommun_ids = {k.pk for k in kommuner}
    needs = Need.objects.filter(lan=lan, created_at__lt=timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)))
    if filters.occupation_field:
        needs = needs.filter(ssyk4__occupation_field_id=filters.occupation_field)
    days = _month_ends(today)
    lapse = dt.timedelta(days=LAPSE_AFTER_DAYS)
    # needs that had lapsed before the first day never count; the time a need stopped being
    # active is only read for needs that are no longer active
    needs = needs.filter(valid_until__gte=days[0] - lapse).annotate(
        readable=Case(When(permissions.needs_listable_q(user), then=Value(True)), default=Value(False),
                      output_field=BooleanField()),
        closed_hint=Case(When(status=Need.Status.ACTIVE, then=Value(None)), default=F("updated_at"),
                         output_field=DateTimeField()))
    # the ends of the days (the first moment after each), to compare stored times with
    ends = [timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) for day in days]
    # Active needs the viewer may list (most of them) are summed per day in the database; only the
    # others — hidden, or no longer active with a closing time to look up — are read row by row.
    active_readable = needs.filter(permissions.needs_listable_q(user), status=Need.Status.ACTIVE)
    if kommun_ids:
        active_readable = active_readable.filter(kommun_id__in=kommun_ids)
    per_day = active_readable.aggregate(**{
        f"d{index}": Sum("headcount", filter=Q(created_at__lt=end, valid_until__gte=day - lapse))
        for index, (day, end) in enumerate(zip(days, ends))})
    rows = list(needs.exclude(permissions.needs_listable_q(user), status=Need.Status.ACTIVE)
                .values_list("id", "ssyk4_id", "purpose", "organisation_id", "needed_by", "created_at",
                             "status", "closed_hint", "valid_until", "readable", "kommun_id", "headcount"))
    closed_at = dict(NeedEvent.objects.filter(need__in=needs.exclude(status=Need.Status.ACTIVE).values("pk"),
                                              type=NeedEvent.Type.STATUS_CHANGED)
                     .values("need_id").annotate(last=Max("created_at")).values_list("need_id", "last"))
    readable_change = [0] * (len(days) + 1)
    hidden: dict[tuple, list[tuple[int, int, int, int]]] = defaultdict(list)
    for (pk, ssyk4, purpose, org, needed_by, created_at, status, closed_hint, valid_until, readable,
         kommun_id, headcount) in rows:
        # the month ends on which the need counted: a contiguous run of them
        first = bisect.bisect_right(ends, created_at)
        last = bisect.bisect_right(days, valid_until + lapse) - 1
        if status != Need.Status.ACTIVE:
            last = min(last, bisect.bisect_right(ends, closed_at.get(pk) or closed_hint) - 1)
        if first > last:
            continue
        if readable:
            if not kommun_ids or kommun_id in kommun_ids:
                readable_change[first] += headcount
                readable_change[last + 1] -= headcount
        elif not kommun_ids:
            hidden[(ssyk4, permissions.hidden_cell_period(needed_by), purpose)].append((first, last, org, headcount))
    released_people = [0] * len(days)
    suppressed = [False] * len(days)
    for needs_of_cell in hidden.values():
        if not permissions.may_release_hidden_cell(hidden_employers=len({n[2] for n in needs_of_cell})):
            # never released in any month: it only marks the months it was there
            for first, last, _org, _people in needs_of_cell:
                for index in range(first, last + 1):
                    suppressed[index] = True
            continue
        for index in range(len(days)):
            present = [n for n in needs_of_cell if n[0] <= index <= n[1]]
            if not present:
                continue
            if permissions.may_release_hidden_cell(hidden_employers=len({n[2] for n in present})):
                released_people[index] += sum(n[3] for n in present)
            else:
                suppressed[index] = True
    points, people = [], 0
    for index, day in enumerate(days):
        people += readable_change[index]
        points.append(TrendPoint(day=day, demand=people + (per_day[f"d{index}"] or 0) + released_people[index],
                                 suppressed=suppressed[index]))
    return points


def _month_ends(today: dt.date) -> list[dt.date]:
    days = [today]
    first = today.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        end = first - dt.timedelta(days=1)
        days.append(end)
        first = end.replace(day=1)
    return list(reversed(days))


# --- the same tables as records and rows (exports, the command) ------------------------------------

MARK = gettext_lazy("fewer than 3 employers")
"""The mark of a figure a suppressed cell would have contributed to (as SCB marks small cells);
in Swedish "färre än 3 arbetsgivare"."""


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def row_record(row: DimensioningRow, *, level: str) -> dict:
    """One row as a flat record with stable keys: the JSON of the command, the columns of exports."""
    return {
        "level": level, "ssyk4": row.ssyk4_code, "label": row.label, "occupation_field": row.occupation_field_label,
        "recruitment": row.recruitment, "upskilling": row.upskilling, "demand": row.demand,
        "employers": row.employers, "marked": str(MARK) if row.suppressed else "",
        "supply": _rounded(row.supply), "supply_applied": _rounded(row.supply_applied),
        "gap": _rounded(row.gap), "ratio": _rounded(row.ratio, 2), "programmes": row.programmes,
        "validation_accepted": row.validation_accepted,
        "language_integrated_welcome": row.language_integrated_welcome,
        "broadened_recruitment": row.broadened_recruitment,
        "equality_marked": str(MARK) if row.flags_suppressed else "",
        "outlook": "; ".join(f"{o.occupation}: {o.job_opportunities}, {o.forecast_5y}" for o in row.outlooks),
        "job_ads": row.ads,
    }


def table_records(table: DimensioningTable) -> list[dict]:
    """Every row of the table: occupations, then occupation fields, then the total."""
    return ([row_record(r, level="occupation") for r in table.rows]
            + [row_record(r, level="field") for r in table.fields]
            + [row_record(table.total, level="total")])


def _columns():
    from django.utils.translation import gettext as _

    return [
        ("level", _("Level")), ("ssyk4", _("SSYK")), ("label", _("Occupation")),
        ("occupation_field", _("Occupation field")), ("recruitment", _("Demand: new recruits")),
        ("upskilling", _("Demand: upskilling")), ("demand", _("Demand")), ("employers", _("Employers")),
        ("marked", _("Mark")), ("supply", _("Supply: completing by the horizon")),
        ("supply_applied", _("Applied for (not in supply)")), ("gap", _("Gap (demand − supply)")),
        ("ratio", _("Supply per person in demand")), ("programmes", _("Programmes")),
        ("validation_accepted", _("Open to validation")),
        ("language_integrated_welcome", _("Open to language-integrated training")),
        ("broadened_recruitment", _("Broadened recruitment")), ("equality_marked", _("Mark (equality)")),
        ("outlook", _("Yrkesbarometer outlook")), ("job_ads", _("Job ads")),
    ]


def export_tables(*, table: DimensioningTable, lan_gaps: list[LanGap] | None = None,
                  trend: list[TrendPoint] | None = None) -> dict[str, tuple[list[str], list[list]]]:
    """Every table of the dimensioning page as (header, rows), by the name its export uses:
    ``yrken`` (occupations, fields and total), ``lan`` (gap by county), ``trend`` and ``kon``
    (gender balance of the programmes counted). The occupation table ends with the source line
    of the labour-market figures."""
    from django.utils.translation import gettext as _

    columns = _columns()
    records = table_records(table)
    levels = {"occupation": _("occupation"), "field": _("occupation field"), "total": _("total")}
    occupations = [[levels[record["level"]], *(record[key] for key, _label in columns[1:])] for record in records]
    if table.attribution:
        occupations.append([table.attribution] + [""] * (len(columns) - 1))
    tables = {"yrken": ([label for _key, label in columns], occupations)}
    if lan_gaps is not None:
        tables["lan"] = ([_("County code"), _("County"), _("Demand"), _("Supply: completing by the horizon"),
                          _("Gap (demand − supply)"), _("Mark")],
                         [[g.lan_code, g.lan_label, g.demand, _rounded(g.supply), _rounded(g.gap),
                           str(MARK) if g.suppressed else ""] for g in lan_gaps])
    if trend is not None:
        tables["trend"] = ([_("Date"), _("Demand"), _("Mark")],
                           [[p.day, p.demand, str(MARK) if p.suppressed else ""] for p in trend])
    tables["kon"] = ([_("Programme"), _("Form"), _("Status"), _("Women in last intake"), _("Men in last intake"),
                      _("Share women")],
                     [[g.name, str(Programme.Form(g.form).label), str(Programme.Status(g.status).label), g.women, g.men,
                       _rounded(g.share_women, 2)] for g in table.gender])
    return tables


@dataclass(frozen=True)
class DimensioningPage:
    table: DimensioningTable
    lan_gaps: list[LanGap]
    trend: list[TrendPoint]


def dimensioning_page(*, user, filters: DimensioningFilters, today: dt.date) -> DimensioningPage:
    """Everything the dimensioning page and its exports show, for one viewer and filter."""
    # Every county's supply serves the county chart and, without a kommun filter, the table.
    everywhere = _every_county_supply(user=user, filters=filters, today=today)
    return DimensioningPage(table=_table(user=user, filters=filters, today=today, everywhere=everywhere),
                            lan_gaps=_gap_by_lan(user=user, filters=filters, today=today, everywhere=everywhere),
                            trend=demand_trend(user=user, filters=filters, today=today))
