"""What "Mitt Matchplats" shows a signed-in person, by the roles their memberships give them:
an employer's needs with their best matches, a provider's programmes with the demand in their
fields and region, a coordinator's county at a glance with arenas and open action items, and
first-run guidance for a person without an organisation or an organisation without content.

Every figure goes through ``employers.selectors.need_figures`` (the disclosure rule), every list
of needs through ``permissions.needs_listable_q``, and arenas through
``dialogues.selectors.arenas_visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from dialogues.models import ActionItem, Arena
from dialogues.selectors import arena_list, open_action_items_of
from employers.models import Need
from employers.rules import needs_in_demand_q
from employers.selectors import NeedFigure, need_figures
from matching.models import MatchLink
from matching.selectors import DigestMatch
from matchplats import permissions
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.selectors import memberships_of
from matchplats.taxonomy.models import Lan, SsykGroup
from providers.models import Programme

NEEDS_SHOWN = 5
"""Needs per employer on the start page, the most recently changed first; the list has the rest."""
MATCHES_PER_NEED = 3
PROGRAMMES_SHOWN = 5
DEMAND_ROWS = 5
"""Occupations in a provider's demand table, the largest demand first."""
NEW_DAYS = 14
"""A match is marked new when its programme or validation path came to the platform this recently."""
ACTION_ITEMS_SHOWN = 8


@dataclass(frozen=True)
class StartMatch(DigestMatch):
    new: bool = False


@dataclass(frozen=True)
class NeedCard:
    need: Need
    matches: list[StartMatch]


@dataclass(frozen=True)
class EmployerPanel:
    organisation: Organisation
    needs: list[NeedCard]
    active_needs: int


@dataclass(frozen=True)
class ProgrammeCard:
    programme: Programme
    matching_needs: int
    """Active needs the viewer may read among the programme's stored matches."""


@dataclass(frozen=True)
class DemandRow:
    occupation: SsykGroup
    figure: NeedFigure


@dataclass(frozen=True)
class ProviderPanel:
    organisation: Organisation
    programmes: list[ProgrammeCard]
    total_programmes: int
    lans: list[Lan]
    demand: list[DemandRow]
    demand_total: NeedFigure | None
    """None when the provider's programmes name no target occupation or no place."""


@dataclass(frozen=True)
class CountyPanel:
    lan: Lan
    demand: NeedFigure
    programmes: int


@dataclass(frozen=True)
class StartPage:
    employers: list[EmployerPanel] = field(default_factory=list)
    providers: list[ProviderPanel] = field(default_factory=list)
    counties: list[CountyPanel] = field(default_factory=list)
    arenas: list[Arena] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    open_action_items: int = 0
    regions: list[Organisation] = field(default_factory=list)
    terms_to_accept: list[Organisation] = field(default_factory=list)
    """Organisations the person administers that have not accepted the terms of use in force."""

    @property
    def has_organisation(self) -> bool:
        return bool(self.employers or self.providers or self.regions)


def _best_matches(needs: list[Need], *, today: dt.date) -> dict[int, list[StartMatch]]:
    since = today - dt.timedelta(days=NEW_DAYS)
    links = (MatchLink.objects.filter(need__in=needs, rank__lte=MATCHES_PER_NEED)
             .select_related("programme__provider", "validation_path__organiser").order_by("need_id", "rank"))
    best: dict[int, list[StartMatch]] = {need.pk: [] for need in needs}
    for link in links:
        target = link.target
        best[link.need_id].append(StartMatch(target, link.score, new=target.created_at.date() >= since))
    return best


def employer_panel(user, organisation: Organisation, *, today: dt.date) -> EmployerPanel:
    """The organisation's active needs (its own: a member reads them all) with their best stored matches."""
    active = Need.objects.filter(organisation=organisation, status=Need.Status.ACTIVE)
    needs = list(active.select_related("ssyk4", "kommun", "lan").order_by("-updated_at", "-pk")[:NEEDS_SHOWN])
    best = _best_matches(needs, today=today)
    return EmployerPanel(organisation, [NeedCard(need, best[need.pk]) for need in needs], active.count())


def provider_panel(user, organisation: Organisation, *, today: dt.date) -> ProviderPanel:
    """The provider's programmes with how many readable needs match each, and the demand in the
    target occupations of its programmes in the counties where it gives them (a structured
    filter: occupation and region, so hidden needs count only as released cells)."""
    programmes = Programme.objects.filter(provider=organisation).exclude(status=Programme.Status.REJECTED)
    shown = list(programmes.order_by("-updated_at", "-pk")[:PROGRAMMES_SHOWN])
    readable = Q(permissions.needs_listable_q(user, prefix="need__"), need__status=Need.Status.ACTIVE)
    counts = dict(MatchLink.objects.filter(readable, programme__in=shown).order_by().values("programme_id")
                  .annotate(n=Count("id")).values_list("programme_id", "n"))
    occupations = set(programmes.values_list("target_occupations", flat=True)) - {None}
    lan_ids = set(programmes.values_list("kommuner__lan_id", flat=True)) - {None}
    lans = list(Lan.objects.filter(pk__in=lan_ids).order_by("label"))
    demand, total = [], None
    if occupations and lan_ids:
        needs = Need.objects.filter(needs_in_demand_q(today), ssyk4_id__in=occupations, lan_id__in=lan_ids)
        total = need_figures(user, needs, structured=True, today=today)[()]
        by_group = need_figures(user, needs, structured=True, today=today, group_by=("ssyk4_id",))
        groups = SsykGroup.objects.in_bulk([key[0] for key in by_group])
        rows = [DemandRow(groups[key[0]], figure) for key, figure in by_group.items() if figure.needs]
        demand = sorted(rows, key=lambda row: (-row.figure.headcount, row.occupation.code))[:DEMAND_ROWS]
    return ProviderPanel(organisation, [ProgrammeCard(p, counts.get(p.pk, 0)) for p in shown], programmes.count(),
                         lans, demand, total)


def county_panel(user, lan: Lan, *, today: dt.date) -> CountyPanel:
    """A county at a glance: demand (needs in demand in the län, a structured filter) and the
    programmes given there."""
    demand = need_figures(user, Need.objects.filter(needs_in_demand_q(today), lan=lan), structured=True,
                          today=today)[()]
    programmes = (Programme.objects.filter(kommuner__lan=lan).exclude(status=Programme.Status.REJECTED)
                  .distinct().count())
    return CountyPanel(lan, demand, programmes)


def start_page(user, *, today: dt.date) -> StartPage:
    memberships = memberships_of(user)
    by_kind = {kind: [m.organisation for m in memberships if m.organisation.kind == kind]
               for kind in Organisation.Kind.values}
    lans = Lan.objects.filter(pk__in=permissions.coordinator_lan_ids(user)).order_by("label")
    items, open_items = open_action_items_of(user, limit=ACTION_ITEMS_SHOWN)
    return StartPage(
        employers=[employer_panel(user, o, today=today) for o in by_kind[Organisation.Kind.EMPLOYER]],
        providers=[provider_panel(user, o, today=today) for o in by_kind[Organisation.Kind.PROVIDER]],
        counties=[county_panel(user, lan, today=today) for lan in lans],
        arenas=arena_list(user),
        action_items=items,
        open_action_items=open_items,
        regions=by_kind[Organisation.Kind.REGION],
        terms_to_accept=[m.organisation for m in memberships
                         if m.role == Membership.Role.ADMIN and m.organisation.needs_to_accept_terms],
    )
