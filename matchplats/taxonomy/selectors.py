from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup


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
