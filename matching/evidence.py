"""The evidence pack for a YH application ("underlag om arbetslivets behov", docs/evidence.md).

``evidence_pack`` reads what a provider puts in front of Myndigheten för yrkeshögskolan for one
planned programme: the competence needs it answers, the employers who back it, the labour-market
context and the other programmes in the region for the same occupations. ``evidence_report``
turns it into a ``matchplats.core.reports.Report`` that is previewed as HTML and downloaded as
PDF or DOCX. It lives in ``matching`` because it reads needs, match links and programmes alike
(matching may import employers and providers, never the other way round).

What may be named: a need is named (employer, occupation, head count, statement) only when the
viewer may read it and its employer agreed (``Need.may_name_in_evidence``). Every other need
enters one aggregate, and only when it comes from at least three employers
(``permissions.may_show_unnamed_needs``); needs the viewer may not read enter it only through
the disclosure rule (``employers.selectors.need_figures``) and only through the structured filter
(target occupation and län), never through a match link, because match links follow the
programme's free text, which its provider controls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q, Sum
from django.utils.translation import gettext as _

from employers import rules
from employers.models import Need
from employers.selectors import NeedFigure, need_figures, remaining_horizon
from matching.models import MatchLink
from matchplats import permissions
from matchplats.core import reports
from matchplats.taxonomy.models import Lan, SsykGroup
from matchplats.taxonomy.selectors import LabourMarket, labour_market_for
from providers.models import Intake, Programme, ProgrammeBacking
from providers.selectors import programme_backings

OTHER_PROGRAMME_STATUSES = (Programme.Status.PLANNED, Programme.Status.APPLIED, Programme.Status.GRANTED)


@dataclass(frozen=True)
class UnnamedNeeds:
    """The needs that are not named, as the pack may show them: ``shown`` false means "färre än
    3 arbetsgivare" (or none at all when ``figure.needs`` is 0 and nothing was suppressed)."""

    figure: NeedFigure
    shown: bool

    @property
    def any(self) -> bool:
        return bool(self.figure.needs or self.figure.suppressed)


@dataclass(frozen=True)
class OtherProgramme:
    programme: Programme
    places: int | None
    first_start: dt.date | None


@dataclass(frozen=True)
class EvidencePack:
    programme: Programme
    today: dt.date
    occupations: list[SsykGroup]
    lans: list[Lan]
    named_needs: list[Need]
    unnamed: UnnamedNeeds
    backings: list[ProgrammeBacking]
    labour_markets: list[LabourMarket]
    other_programmes: list[OtherProgramme]
    threshold: float

    @property
    def named_headcount(self) -> int:
        return sum(need.headcount for need in self.named_needs)

    @property
    def total_headcount(self) -> int:
        return self.named_headcount + (self.unnamed.figure.headcount if self.unnamed.shown else 0)

    @property
    def lia_places(self) -> int:
        return sum(backing.lia_places for backing in self.backings)

    @property
    def letters(self) -> list[ProgrammeBacking]:
        return [backing for backing in self.backings if backing.letter_of_intent]

    @property
    def intake_places(self) -> int:
        return sum(intake.places for intake in self.programme.intakes.all())


def _other_programmes(user, programme: Programme, occupations: list[SsykGroup], lans: list[Lan], *,
                      threshold: float) -> list[OtherProgramme]:
    """Programmes planned, applied for or granted in the län that aim at the same occupations:
    explicitly (target occupations) or through a stored match link to a need in one of them —
    MYH's own programme lists name no occupation, so most granted YH programmes are found by
    their links. Only links from needs the viewer may read count, so the list says nothing about
    needs they may not see."""
    if not occupations or not lans:
        return []
    linked = MatchLink.objects.filter(score__gte=threshold, need__ssyk4__in=occupations,
                                      need__in=Need.objects.filter(permissions.needs_listable_q(user)),
                                      programme__isnull=False).values("programme_id")
    ids = list(Programme.objects.filter(Q(target_occupations__in=occupations) | Q(pk__in=linked),
                                        status__in=OTHER_PROGRAMME_STATUSES, kommuner__lan__in=lans)
               .exclude(pk=programme.pk).values_list("pk", flat=True).distinct())
    intakes = {row["programme_id"]: row for row in Intake.objects.filter(programme_id__in=ids)
               .values("programme_id").annotate(places=Sum("places"), first=Min("start_date"))}
    programmes = (Programme.objects.filter(pk__in=ids).select_related("provider")
                  .prefetch_related("kommuner", "target_occupations").order_by("name", "pk"))
    return [OtherProgramme(p, intakes.get(p.pk, {}).get("places"), intakes.get(p.pk, {}).get("first"))
            for p in programmes]


def evidence_pack(user, programme: Programme, *, today: dt.date) -> EvidencePack:
    """The evidence pack of ``programme`` as ``user`` may see it. The caller has checked
    ``permissions.may_download_evidence``."""
    programme = (Programme.objects.select_related("provider").prefetch_related("kommuner__lan", "target_occupations",
                                                                              "intakes").get(pk=programme.pk))
    occupations = sorted(programme.target_occupations.all(), key=lambda group: group.code)
    lans = sorted({kommun.lan for kommun in programme.kommuner.all()}, key=lambda lan: lan.code)
    threshold = settings.MATCHER_LINK_THRESHOLD
    listable = permissions.needs_listable_q(user)
    structured = Q(ssyk4__in=occupations, lan__in=lans) if occupations and lans else Q(pk__in=[])
    linked = MatchLink.objects.filter(programme=programme, score__gte=threshold).values("need_id")
    matched = Need.objects.filter(rules.needs_in_demand_q(today)).filter(structured | (Q(pk__in=linked) & listable))
    named = list(matched.filter(listable, may_name_in_evidence=True)
                 .select_related("organisation", "ssyk4", "kommun", "lan").order_by("organisation__name", "needed_by"))
    for need in named:
        need.horizon_now = Need.Horizon(remaining_horizon(needed_by=need.needed_by, today=today)).label
    rest = matched.exclude(pk__in=[need.pk for need in named])
    figure = need_figures(user, rest, structured=True, today=today)[()]
    unnamed = UnnamedNeeds(figure=figure, shown=permissions.may_show_unnamed_needs(employers=figure.employers))
    codes = [group.code for group in occupations]
    markets = [labour_market_for(ssyk4_codes=codes, lan=lan) for lan in lans] or [
        labour_market_for(ssyk4_codes=codes, lan=None)]
    return EvidencePack(
        programme=programme, today=today, occupations=occupations, lans=lans, named_needs=named, unnamed=unnamed,
        backings=list(programme_backings(programme).exclude(lia_places=0, letter_of_intent=False)),
        labour_markets=markets, threshold=threshold,
        other_programmes=_other_programmes(user, programme, occupations, lans, threshold=threshold),
    )


# --- the document --------------------------------------------------------------------------------


def _place(need: Need) -> str:
    return need.kommun.label if need.kommun else need.lan.label


def _unnamed_text(pack: EvidencePack) -> str:
    unnamed = pack.unnamed
    if not unnamed.any:
        return _("No other needs match the programme.")
    if not unnamed.shown:
        return _("Other employers' needs match the programme too, but they come from fewer than 3 employers and are "
                 "not shown, so no single employer can be recognised.")
    text = _("A further %(needs)s needs for %(people)s people from %(employers)s employers who are not named "
             "match the programme.") % {"needs": unnamed.figure.needs, "people": unnamed.figure.headcount,
                                         "employers": unnamed.figure.employers}
    if unnamed.figure.suppressed:
        text += " " + _("Needs from fewer than 3 employers that you may not read are left out of this figure.")
    return text


def _labour_market_blocks(pack: EvidencePack) -> list:
    blocks = [reports.Heading(_("Labour-market context"), 1)]
    attribution = ""
    for market in pack.labour_markets:
        region = market.lan.label if market.lan else _("Sweden")
        rows = []
        for group in market.groups.values():
            for outlook in group.outlooks or [None]:
                rows.append([f"{group.ssyk4.code} {group.ssyk4.label}",
                             outlook.occupation if outlook else "–",
                             outlook.job_opportunities_label if outlook else "–",
                             outlook.forecast_label if outlook else "–",
                             group.ads if group.ads is not None else "–",
                             group.ads_sweden if group.ads_sweden is not None else "–"])
        blocks.append(reports.Table(
            columns=[_("Occupation (SSYK)"), _("Yrkesbarometer occupation"), _("Job opportunities"),
                     _("Outlook, 5 years"), _("Job ads in %(region)s") % {"region": region}, _("Job ads in Sweden")],
            rows=rows, caption=_("Yrkesbarometer and job ads, %(region)s") % {"region": region},
            numeric_columns=frozenset({4, 5})))
        attribution = market.attribution or attribution
    if attribution:
        blocks.append(reports.Paragraph(attribution))
    return blocks


def evidence_report(pack: EvidencePack) -> reports.Report:
    """The pack as a document, in the active language."""
    programme = pack.programme
    places = ", ".join(kommun.label for kommun in programme.kommuner.all())
    if programme.distance:
        places = ", ".join(filter(None, [places, _("distance")]))
    intakes = "; ".join(f"{intake.start_date:%Y-%m-%d}: {intake.places}" for intake in programme.intakes.all())
    meta = [
        (_("Provider"), programme.provider.name),
        (_("Form and status"), f"{programme.get_form_display()} · {programme.get_status_display()}"),
        (_("Target occupations"), "; ".join(f"{g.code} {g.label}" for g in pack.occupations) or "–"),
        (_("Place"), places or "–"),
        (_("Intakes (start: places)"), intakes or "–"),
    ]
    if programme.myh_diarienummer:
        meta.append((_("MYH case number"), programme.myh_diarienummer))
    meta.append((_("Figures as of"), pack.today.isoformat()))

    blocks: list = [
        reports.Heading(_("Summary"), 1),
        reports.Bullets([
            _("Competence needs in the programme's occupations and region: %(people)s people.")
            % {"people": pack.total_headcount},
            _("Employers named with their consent: %(count)s.") % {"count": len({n.organisation_id
                                                                                   for n in pack.named_needs})},
            _("Employers backing the programme: %(count)s; letters of intent: %(letters)s; LIA places offered: "
              "%(lia)s.") % {"count": len(pack.backings), "letters": len(pack.letters), "lia": pack.lia_places},
            _("Places in the programme's intakes: %(places)s.") % {"places": pack.intake_places},
        ]),
        reports.Heading(_("Competence needs the programme answers"), 1),
        reports.Paragraph(_(
            "Active needs registered on Matchplats by employers and confirmed within the last six months (with 30 "
            "days' grace), in the programme's target occupations and län, or matched to the programme by the "
            "matcher (at least "
            "%(percent)s %% likely to be judged relevant). Employers are named only where they agreed to it "
            "when registering the need.") % {"percent": round(100 * pack.threshold)}),
    ]
    if pack.named_needs:
        blocks.append(reports.Table(
            columns=[_("Employer"), _("Occupation (SSYK)"), _("People"), _("When"), _("Place")],
            rows=[[need.organisation.name, f"{need.ssyk4.code} {need.ssyk4.label}", need.headcount,
                   need.horizon_now, _place(need)] for need in pack.named_needs],
            caption=_("Needs of named employers"), numeric_columns=frozenset({2})))
        statements = [f"{need.organisation.name}: {need.evidence_statement}"
                      for need in pack.named_needs if need.evidence_statement.strip()]
        if statements:
            blocks += [reports.Heading(_("Employers' statements"), 2), reports.Bullets(statements)]
    else:
        blocks.append(reports.Paragraph(_("No employer who agreed to be named has a matching need.")))
    blocks += [reports.Heading(_("Needs of employers not named"), 2), reports.Paragraph(_unnamed_text(pack))]

    blocks.append(reports.Heading(_("Employers backing the programme"), 1))
    if pack.backings:
        blocks.append(reports.Table(
            columns=[_("Employer"), _("LIA places"), _("Letter of intent")],
            rows=[[backing.employer.name, backing.lia_places,
                   _("Signed by %(name)s (%(role)s), %(date)s") % {
                       "name": backing.letter_signatory, "role": backing.letter_role,
                       "date": backing.letter_signed_on.isoformat()} if backing.letter_of_intent else "–"]
                  for backing in pack.backings] + [[_("Total"), pack.lia_places, ""]],
            caption=_("LIA places and letters of intent"), numeric_columns=frozenset({1})))
        for backing in pack.letters:
            blocks += [reports.Heading(_("Letter of intent: %(employer)s") % {"employer": backing.employer.name}, 2),
                       reports.Paragraph(backing.letter_text),
                       reports.Paragraph(_("Signed by %(name)s (%(role)s), %(date)s") % {
                           "name": backing.letter_signatory, "role": backing.letter_role,
                           "date": backing.letter_signed_on.isoformat()})]
    else:
        blocks.append(reports.Paragraph(_("No employer has offered LIA places or signed a letter of intent yet.")))

    blocks += _labour_market_blocks(pack)

    blocks.append(reports.Heading(_("Other programmes in the region for the same occupations"), 1))
    if pack.other_programmes:
        blocks.append(reports.Table(
            columns=[_("Programme"), _("Provider"), _("Status"), _("Place"), _("Places"), _("First intake")],
            rows=[[other.programme.name, other.programme.provider.name, other.programme.get_status_display(),
                   ", ".join(k.label for k in other.programme.kommuner.all()) or "–",
                   other.places if other.places is not None else "–",
                   other.first_start.isoformat() if other.first_start else "–"] for other in pack.other_programmes],
            caption=_("Planned, applied-for and granted programmes"), numeric_columns=frozenset({4})))
    else:
        blocks.append(reports.Paragraph(_("No other programme is planned, applied for or granted in the region "
                                          "for these occupations.")))

    blocks += [reports.Heading(_("About this evidence"), 1), reports.Paragraph(_(
        "Generated by Matchplats from live data. Needs of employers who did not agree to be named, and needs "
        "the reader of the platform may not see, appear only as an aggregate of at least three employers."))]
    return reports.Report(title=_("Evidence of labour-market demand: %(programme)s") % {"programme": programme.name},
                          subtitle=programme.provider.name, meta=meta, blocks=blocks)
