"""The competence needs API (docs/api.md): the same selectors, form and services as the pages.

Input is checked by ``employers.forms.NeedForm`` itself (lengths, control characters, choices,
place), after reference data given by code is looked up, so the API cannot store what the form
refuses; writes go through ``employers.services``; reads through ``needs_visible_to``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from employers import selectors, services
from employers.forms import NeedFilterForm, NeedForm
from employers.models import Need
from matchplats import permissions
from matchplats.api.mixins import ETagMixin, IdempotentCreateMixin
from matchplats.api.serializers import (
    CodeLabelSerializer,
    CodeRelatedField,
    ConceptSerializer,
    OrganisationRefSerializer,
    as_form_data,
    form_errors,
)
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, Skill, SsykGroup

OWNER_ONLY = ("external_id", "valid_until", "confirmed_at")
"""Shown only to those who may change the need, as on the need page."""


class NeedSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    ssyk4 = CodeLabelSerializer(read_only=True)
    occupation_name = ConceptSerializer(read_only=True, allow_null=True)
    skills = ConceptSerializer(many=True, read_only=True)
    kommun = CodeLabelSerializer(read_only=True, allow_null=True)
    lan = CodeLabelSerializer(read_only=True)

    class Meta:
        model = Need
        fields = [
            "id", "organisation", "ssyk4", "occupation_name", "title", "description", "skills", "headcount",
            "purpose", "horizon", "needed_by", "kommun", "lan", "seqf_level", "employment_form",
            "validation_accepted", "language_integrated_welcome", "broadened_recruitment", "may_name_in_evidence",
            "evidence_statement", "visibility", "status", "created_at", "updated_at", *OWNER_ONLY,
        ]
        read_only_fields = fields

    def to_representation(self, need):
        data = super().to_representation(need)
        user = self.context["request"].user
        if not permissions.may_edit_need(user, need):
            for name in OWNER_ONLY:
                data.pop(name, None)
            if not need.may_name_in_evidence:
                data["evidence_statement"] = ""
        return data


class NeedWriteSerializer(serializers.Serializer):
    """A need as the form takes it, with reference data by official code or concept id. These
    fields only parse types and look codes up; the values are judged by the form (blank text too),
    so the API reports what the page would."""

    organisation = serializers.IntegerField(required=False, help_text=_(
        "The employer's id; may be left out by a caller who belongs to one employer only."))
    ssyk4 = CodeRelatedField(slug_field="code", queryset=SsykGroup.objects.filter(level=4),
                                         help_text=_("SSYK 2012 code, four digits."))
    occupation_name = CodeRelatedField(slug_field="concept_id", queryset=OccupationName.objects.all(),
                                                   required=False, allow_null=True)
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    skills = CodeRelatedField(slug_field="concept_id", queryset=Skill.objects.all(), many=True,
                                          required=False)
    headcount = serializers.IntegerField()
    purpose = serializers.ChoiceField(choices=Need.Purpose.choices, required=False)
    horizon = serializers.ChoiceField(choices=Need.Horizon.choices)
    kommun = CodeRelatedField(slug_field="code", queryset=Kommun.objects.all(), required=False,
                                          allow_null=True, help_text=_("Municipality code, four digits."))
    lan = CodeRelatedField(slug_field="code", queryset=Lan.objects.all(), required=False,
                                       allow_null=True, help_text=_("County code, two digits: a need for the whole county."))
    seqf_level = serializers.IntegerField(required=False, allow_null=True)
    employment_form = serializers.ChoiceField(choices=Need.EmploymentForm.choices, required=False)
    validation_accepted = serializers.BooleanField(required=False)
    language_integrated_welcome = serializers.BooleanField(required=False)
    broadened_recruitment = serializers.BooleanField(required=False)
    may_name_in_evidence = serializers.BooleanField(required=False)
    evidence_statement = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Need._meta.get_field("visibility").choices, required=False)
    external_id = serializers.CharField(required=False, allow_blank=True)

    DEFAULTS = {"purpose": Need.Purpose.RECRUITMENT, "employment_form": Need.EmploymentForm.PERMANENT,
                "visibility": "public"}

    def validate(self, attrs):
        """Run the page's form over the values, so every rule of the form holds for the API too."""
        employers = self.context["employers"]
        values = {**self.DEFAULTS, **self.context.get("current", {}), **attrs}
        if values.get("organisation") is None and len(employers) == 1:
            values["organisation"] = employers[0].pk
        form = NeedForm(as_form_data(values), employers=employers)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return form.cleaned_data


def _current_values(need: Need) -> dict:
    """The need's values as the form's input, for a partial update (PATCH)."""
    values = {field: getattr(need, field) for field in services.TRACKED_FIELDS if field != "needed_by"}
    values.update(organisation=need.organisation_id, skills=list(need.skills.all()),
                  lan=None if need.kommun_id else need.lan)
    return values


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Need.Status.choices)


ORDERINGS = ("needed_by", "-needed_by", "title", "-title", "headcount", "-headcount", "created_at", "-created_at",
             "updated_at", "-updated_at")
FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Words in the need, an occupation, an SSYK code, a place or an employer."),
    OpenApiParameter("mina", bool, description="Only the needs of the caller's own employers."),
    OpenApiParameter("occupation_field", int, description="Occupation field id."),
    OpenApiParameter("ssyk", str, description="SSYK code; a shorter code means every group under it."),
    OpenApiParameter("lan", int, description="County id."),
    OpenApiParameter("kommun", int, description="Municipality id."),
    OpenApiParameter("horizon", str, enum=Need.Horizon.values, description="When, today."),
    OpenApiParameter("status", str, enum=["", *Need.Status.values], description="Status; active when left out."),
    OpenApiParameter("senast", str, enum=Need.Horizon.values, description="Needed by that horizon at the latest."),
    OpenApiParameter("purpose", str, enum=Need.Purpose.values),
    OpenApiParameter("oppen_for", str, enum=["validation_accepted", "language_integrated_welcome",
                                             "broadened_recruitment"]),
    OpenApiParameter("efterfragan", bool, description="Only needs counted as demand (active, not lapsed)."),
    OpenApiParameter("att_bekrafta", bool, description="Only the caller's employers' needs that need confirming."),
    OpenApiParameter("ordering", str, enum=list(ORDERINGS), description="Sort order; needed_by when left out."),
]


NEED_EXAMPLE = OpenApiExample("Undersköterskor", request_only=True, value={
    "ssyk4": "5321", "title": "Undersköterskor till hemtjänsten", "headcount": 4, "horizon": "1y", "kommun": "1780",
    "visibility": "public"})


@extend_schema_view(
    list=extend_schema(parameters=FILTER_PARAMETERS, summary="Competence needs the caller may read"),
    retrieve=extend_schema(summary="One competence need"),
    create=extend_schema(request=NeedWriteSerializer, responses={201: NeedSerializer}, parameters=[
        OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                         description="A retried request with the same key creates one need.")],
        summary="Register a competence need", examples=[NEED_EXAMPLE]),
    update=extend_schema(request=NeedWriteSerializer, responses={200: NeedSerializer}, summary="Replace a need",
                         examples=[NEED_EXAMPLE]),
    partial_update=extend_schema(request=NeedWriteSerializer, responses={200: NeedSerializer},
                                 summary="Change some of a need's fields", examples=[
                                     OpenApiExample("Fler", request_only=True, value={"headcount": 6})]),
)
class NeedViewSet(ETagMixin, IdempotentCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """Competence needs: everyone reads the needs they may list (as on the pages); members of the
    employer register and change them. Needs are never deleted: they are filled or withdrawn."""

    lookup_value_converter = "id"
    serializer_class = NeedSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.needs_visible_to(self.request.user).prefetch_related("skills")

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return []
        return [IsAuthenticated()]

    def list(self, request, *args, **kwargs):
        params = request.query_params.copy()
        ordering = params.pop("ordering", ["needed_by"])[-1]
        params.pop("page", None)
        params.pop("page_size", None)
        if ordering not in ORDERINGS:
            raise exceptions.ValidationError({"ordering": [_("Sort by one of: %(orderings)s.")
                                                           % {"orderings": ", ".join(ORDERINGS)}]})
        form = NeedFilterForm(params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        needs = selectors.needs_filtered(self.get_queryset(), form.filters(), today=timezone.localdate())
        page = self.paginate_queryset(needs.order_by(ordering, "title", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        need = selectors.need_visible_to(self.request.user, self.kwargs["pk"])
        if self.action not in ("list", "retrieve") and not permissions.may_edit_need(self.request.user, need):
            raise exceptions.PermissionDenied(_("Only the employer's members change its needs."))
        return need

    def _read(self, need: Need) -> dict:
        need = self.get_queryset().get(pk=need.pk)
        return NeedSerializer(need, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        def write():
            employers = organisations_of(request.user, kind=Organisation.Kind.EMPLOYER)
            if not employers:
                raise exceptions.PermissionDenied(_("Create or join an employer organisation to register needs."))
            serializer = NeedWriteSerializer(data=request.data, context={"employers": employers})
            serializer.is_valid(raise_exception=True)
            fields = dict(serializer.validated_data)
            need = services.need_create(actor=request.user, organisation=fields.pop("organisation"), **fields)
            return Response(self._read(need), status=status.HTTP_201_CREATED,
                            headers={"Location": request.build_absolute_uri(f"{request.path}{need.pk}/")})
        return self.idempotent(request, write)

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        current = _current_values(need) if kwargs.get("partial") else {"organisation": need.organisation_id}
        serializer = NeedWriteSerializer(data=request.data, partial=kwargs.get("partial", False),
                                         context={"employers": [need.organisation], "current": current})
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("organisation")
        skills = fields.pop("skills")
        services.need_update(need=need, actor=request.user, skills=skills, **fields)
        return Response(self._read(need))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=StatusSerializer, responses={200: NeedSerializer},
                   summary="Mark a need filled or withdrawn, or make it active again",
                   examples=[OpenApiExample("Tillsatt", request_only=True, value={"status": "filled"})])
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        need = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.need_set_status(need=need, actor=request.user, status=serializer.validated_data["status"])
        return Response(self._read(need))

    @extend_schema(request=None, responses={200: NeedSerializer}, summary="Confirm that a need still holds")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        need = services.need_confirm(need=self.get_object(), actor=request.user)
        return Response(self._read(need))
