from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from matchplats.taxonomy.models import (
    AdVolume,
    BarometerOutlook,
    BarometerSsyk,
    Kommun,
    Lan,
    OccupationName,
    Skill,
    SsykGroup,
)


@dataclass(frozen=True)
class OccupationHit:
    ssyk4: SsykGroup
    occupation: OccupationName | None

    @property
    def label(self) -> str:
        if self.occupation:
            return f"{self.occupation.label} ({self.ssyk4.code} {self.ssyk4.label})"
        return f"{self.ssyk4.code} {self.ssyk4.label}"


def occupations_search(query: str, *, limit: int = 15) -> list[OccupationHit]:
    """Occupation names and SSYK4 groups whose label or code matches, names that start with the
    query first. Used by the occupation picker as the user types."""
    query = query.strip()
    if len(query) < 2:
        return []
    groups = SsykGroup.objects.filter(level=4).filter(Q(label__icontains=query) | Q(code__startswith=query))
    names = OccupationName.objects.select_related("ssyk4").filter(label__icontains=query)
    starts = query.lower()
    ranked_names = sorted(names[:200], key=lambda n: (not n.label.lower().startswith(starts), len(n.label), n.label))
    hits = [OccupationHit(n.ssyk4, n) for n in ranked_names[:limit]]
    hits += [OccupationHit(group, None) for group in groups.order_by("code")[: max(0, limit - len(hits)) or 5]]
    return hits


def skills_for_ssyk4(ssyk4: SsykGroup) -> QuerySet[Skill]:
    return ssyk4.skills.order_by("label")


def skills_search(query: str, *, limit: int = 20) -> QuerySet[Skill]:
    query = query.strip()
    if len(query) < 2:
        return Skill.objects.none()
    return Skill.objects.filter(label__icontains=query).order_by("label")[:limit]


def kommuner_by_lan() -> list[tuple[Lan, list[Kommun]]]:
    grouped: dict[int, list[Kommun]] = {}
    for kommun in Kommun.objects.select_related("lan").order_by("lan__code", "label"):
        grouped.setdefault(kommun.lan_id, []).append(kommun)
    return [(lan, grouped.get(lan.pk, [])) for lan in Lan.objects.order_by("label")]


# --- labour-market context ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outlook:
    """One Yrkesbarometer judgement; ``job_opportunities`` and ``forecast_5y`` are the source's
    Swedish words (stora/medelstora/små, öka/vara oförändrad/minska)."""

    occupation: str
    job_opportunities: str
    forecast_5y: str

    @property
    def shortage(self) -> bool:
        """Large job opportunities: the Yrkesbarometer's sign of a shortage of workers."""
        return self.job_opportunities == BarometerOutlook.JobOpportunities.LARGE

    @property
    def job_opportunities_label(self) -> str:
        return BarometerOutlook.JobOpportunities(self.job_opportunities).label

    @property
    def forecast_label(self) -> str:
        return BarometerOutlook.Forecast(self.forecast_5y).label


@dataclass
class GroupContext:
    ssyk4: SsykGroup
    outlooks: list[Outlook] = field(default_factory=list)
    ads: int | None = None
    ads_sweden: int | None = None


@dataclass(frozen=True)
class LabourMarket:
    lan: Lan | None
    groups: dict[str, GroupContext]
    attribution: str

    @property
    def has_figures(self) -> bool:
        return any(group.outlooks or group.ads is not None for group in self.groups.values())


def labour_market_attribution() -> str:
    """"Källa: Arbetsförmedlingen, Yrkesbarometern maj 2025; platsannonser 2024" (from the data loaded)."""
    published = BarometerOutlook.objects.aggregate(latest=Max("published"))["latest"]
    year = AdVolume.objects.aggregate(latest=Max("year"))["latest"]
    if published is None and year is None:
        return ""
    parts = []
    if published is not None:
        parts.append(_("Yrkesbarometern %(period)s") % {"period": format_date(published, "F Y")})
    if year is not None:
        parts.append(_("job ads %(year)s") % {"year": year})
    return _("Source: Arbetsförmedlingen, %(parts)s") % {"parts": "; ".join(parts)}


def labour_market_for(*, ssyk4_codes: Iterable[str], lan: Lan | None) -> LabourMarket:
    """Per SSYK4 group: the Yrkesbarometer outlook of each barometer occupation mapped to it in
    ``lan`` (None = Sverige) and the number of job ads in the latest year, in ``lan`` and in
    Sverige; with the attribution that must be shown beside them."""
    groups = {group.code: GroupContext(ssyk4=group)
              for group in SsykGroup.objects.filter(code__in=list(ssyk4_codes), level=4)}
    links = (BarometerSsyk.objects.filter(ssyk4__code__in=list(groups))
             .values_list("ssyk4__code", "occupation_id"))
    codes_of: dict[int, list[str]] = {}
    for code, occupation_id in links:
        codes_of.setdefault(occupation_id, []).append(code)
    lan_filter = Q(lan=lan) if lan is not None else Q(lan__isnull=True)
    outlooks = (BarometerOutlook.objects.filter(lan_filter, occupation_id__in=codes_of)
                .select_related("occupation").order_by("occupation__label"))
    for outlook in outlooks:
        for code in codes_of[outlook.occupation_id]:
            groups[code].outlooks.append(Outlook(occupation=str(outlook.occupation),
                                                 job_opportunities=outlook.job_opportunities,
                                                 forecast_5y=outlook.forecast_5y))
    year = AdVolume.objects.aggregate(latest=Max("year"))["latest"]
    ads = AdVolume.objects.filter(Q(lan__isnull=True) | lan_filter, ssyk4__code__in=list(groups), year=year)
    for code, lan_id, count in ads.values_list("ssyk4__code", "lan_id", "ads"):
        if lan_id is None:
            groups[code].ads_sweden = count
        if lan_id == (lan.pk if lan is not None else None):
            groups[code].ads = count
    return LabourMarket(lan=lan, groups=groups, attribution=labour_market_attribution())


@dataclass(frozen=True)
class Shortage:
    ssyk4: SsykGroup
    occupations: list[str]


def shortage_occupations(*, lan: Lan | None) -> list[Shortage]:
    """The SSYK4 groups that the Yrkesbarometer judges short of workers in ``lan`` (None =
    Sverige): at least one barometer occupation mapped to the group has large job opportunities
    ("stora jobbmöjligheter"). Ordered by SSYK code, with the barometer occupations named."""
    lan_filter = Q(occupation__outlooks__lan=lan) if lan is not None else Q(occupation__outlooks__lan__isnull=True)
    links = (BarometerSsyk.objects.filter(lan_filter,
                                          occupation__outlooks__job_opportunities=BarometerOutlook.JobOpportunities.LARGE)
             .select_related("ssyk4", "occupation").order_by("ssyk4__code", "occupation__label"))
    found: dict[str, Shortage] = {}
    for link in links:
        found.setdefault(link.ssyk4.code, Shortage(ssyk4=link.ssyk4, occupations=[])).occupations.append(
            str(link.occupation))
    return list(found.values())
