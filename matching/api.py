"""Read-only API for matches and dimensioning (docs/api.md): the match pages' selectors and the
dimensioning page's table, with the same permission and disclosure rules (no second set)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from employers.selectors import need_visible_to
from matching import selectors
from matching.dimensioning import DEFAULT_HORIZON, dimensioning_table, table_records
from matching.forms import DimensioningFilterForm
from matchplats import permissions
from matchplats.api.mixins import ETagMixin
from matchplats.api.serializers import form_errors
from matchplats.core.params import is_plain_number
from matchplats.core.templatetags.matchplats import in_language
from providers.models import Programme

GROUPS = ("listed", "weaker", "not_relevant")


def _organisation(target) -> dict:
    organisation = getattr(target, "provider", None) or getattr(target, "organiser", None) or target.organisation
    return {"id": organisation.pk, "name": organisation.name}


def match_record(match, *, group: str) -> dict:
    target = match.target
    return {
        "kind": target._meta.model_name, "id": target.pk,
        "name": getattr(target, "name", None) or getattr(target, "title", ""),
        "organisation": _organisation(target), "group": group, "score": round(match.score, 4),
        "percent": match.percent, "fit": match.fit_label, "pending": match.pending, "feedback": match.feedback,
        "reasons": [in_language(reason) for reason in match.reasons],
    }


def groups_records(groups) -> list[dict]:
    return [match_record(m, group=name) for name in GROUPS for m in getattr(groups, name)]


MATCH = inline_serializer("Match", {
    "kind": serializers.ChoiceField(choices=["programme", "validationpath", "need"]),
    "id": serializers.IntegerField(), "name": serializers.CharField(),
    "organisation": inline_serializer("MatchOrganisation", {"id": serializers.IntegerField(),
                                                            "name": serializers.CharField()}),
    "group": serializers.ChoiceField(choices=GROUPS), "score": serializers.FloatField(),
    "percent": serializers.IntegerField(), "fit": serializers.CharField(), "pending": serializers.BooleanField(),
    "feedback": serializers.BooleanField(allow_null=True), "reasons": serializers.ListField(child=serializers.CharField()),
})
FIGURE = inline_serializer("HiddenDemand", {
    "needs": serializers.IntegerField(), "headcount": serializers.IntegerField(),
    "employers": serializers.IntegerField(), "suppressed": serializers.BooleanField(),
})


class NeedMatchesView(ETagMixin, APIView):
    """Programmes and validation paths that match a need the caller may read, ranked, with the
    reasons for each score (the need's match page). A need the caller may not read is 404."""

    @extend_schema(summary="Matches of a need", responses={200: inline_serializer("NeedMatches", {
        "need": serializers.IntegerField(), "programmes": MATCH.__class__(many=True),
        "validation_paths": MATCH.__class__(many=True)})})
    def get(self, request, pk: int):
        need = need_visible_to(request.user, pk)
        return Response({
            "need": need.pk,
            "programmes": groups_records(selectors.matches_for_need(request.user, need, kind="programme")),
            "validation_paths": groups_records(selectors.matches_for_need(request.user, need, kind="validation")),
        })


class ProgrammeMatchesView(ETagMixin, APIView):
    """Needs that match a programme, only those the caller may read (the ranking follows the
    programme's free text, so hidden needs leave no trace here), a page of 20 at a time; needs the
    caller may not read enter only ``hidden_demand``, a figure over the programme's target
    occupations and counties under the disclosure rule (docs/permissions.md)."""

    @extend_schema(summary="Matching needs of a programme", parameters=[OpenApiParameter("page", int)],
                   responses={200: inline_serializer("ProgrammeMatches", {
                       "programme": serializers.IntegerField(), "page": serializers.IntegerField(),
                       "pages": serializers.IntegerField(), "total": serializers.IntegerField(),
                       "above_floor": serializers.IntegerField(), "needs": MATCH.__class__(many=True),
                       "hidden_demand": FIGURE.__class__(allow_null=True)})})
    def get(self, request, pk: int):
        programme = get_object_or_404(Programme.objects.select_related("provider"), pk=pk)
        page_param = request.query_params.get("page", "1")
        if not is_plain_number(page_param) or int(page_param) < 1:
            raise exceptions.ValidationError({"page": [_("Give a page number from 1.")]})
        matches = selectors.needs_for_programme(request.user, programme, page=int(page_param))
        hidden = selectors.hidden_demand_for_programme(request.user, programme, today=timezone.localdate())
        return Response({
            "programme": programme.pk, "page": matches.page, "pages": matches.pages, "total": matches.total,
            "above_floor": matches.above_floor, "needs": groups_records(matches.groups),
            "hidden_demand": None if hidden is None else {
                "needs": hidden.needs, "headcount": hidden.headcount, "employers": hidden.employers,
                "suppressed": hidden.suppressed},
        })


class DimensioningView(ETagMixin, APIView):
    """Demand next to supply per occupation in a county (the dimensioning page's table, the same
    rows as its CSV export): needs the caller may not read enter only as released cells, and a
    figure a suppressed cell would have changed is marked (docs/permissions.md). For members of an
    organisation and staff, as the page."""

    @extend_schema(summary="Dimensioning table of a county", parameters=[
        OpenApiParameter("lan", str, required=True, description="County code, two digits."),
        OpenApiParameter("kommun", int, description="Municipality id (only readable needs are then counted)."),
        OpenApiParameter("occupation_field", int), OpenApiParameter("horizon", str, enum=["now", "1y", "1-3y", "3-5y"]),
        OpenApiParameter("form", str, enum=Programme.Form.values)],
        responses={200: inline_serializer("Dimensioning", {
            "lan": serializers.DictField(), "horizon": serializers.CharField(), "horizon_date": serializers.DateField(),
            "hidden_per_lan_only": serializers.BooleanField(), "attribution": serializers.CharField(),
            "rows": serializers.ListField(child=serializers.DictField())})})
    def get(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not permissions.may_view_dimensioning(request.user):
            raise exceptions.PermissionDenied(_("The dimensioning page is for members of an organisation on the "
                                                "platform."))
        params = request.query_params.copy()
        params.setdefault("horizon", DEFAULT_HORIZON)
        form = DimensioningFilterForm(params)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        table = dimensioning_table(user=request.user, filters=form.filters(), today=timezone.localdate())
        return Response({
            "lan": {"code": table.lan.code, "label": table.lan.label}, "horizon": table.filters.horizon,
            "horizon_date": table.horizon_date, "hidden_per_lan_only": table.hidden_per_lan_only,
            "attribution": table.attribution, "rows": table_records(table),
        })
