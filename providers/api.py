"""The programmes (with their intakes) and validation paths API (docs/api.md): the same selectors,
forms and services as the pages. Everyone reads every programme and validation path, as on the
pages; members of the provider post and change them. Input is checked by ``ProgrammeForm``,
``IntakeForm`` and ``ValidationPathForm`` themselves, after reference data given by code is looked up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from matchplats import permissions
from matchplats.api.mixins import ETagMixin, IdempotentCreateMixin
from matchplats.api.serializers import (
    CodeLabelSerializer,
    CodeRelatedField,
    OrganisationRefSerializer,
    as_form_data,
    form_errors,
    organisation_to_act_for,
)
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of
from matchplats.taxonomy.models import Kommun, SsykGroup, SunField
from providers import selectors, services
from providers.forms import (
    INTAKES_MAX,
    IntakeForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ValidationFilterForm,
    ValidationPathForm,
)
from providers.models import Programme, ValidationPath

# --- reading -------------------------------------------------------------------------------------


class IntakeSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    places = serializers.IntegerField()
    application_deadline = serializers.DateField(required=False, allow_null=True)


class IntakeReadSerializer(IntakeSerializer):
    derived = serializers.BooleanField(read_only=True, help_text=_(
        "The start date was derived from the MYH application round."))


class ProgrammeSerializer(serializers.ModelSerializer):
    provider = OrganisationRefSerializer(read_only=True)
    sun_field = CodeLabelSerializer(read_only=True, allow_null=True)
    target_occupations = CodeLabelSerializer(many=True, read_only=True)
    kommuner = CodeLabelSerializer(many=True, read_only=True)
    intakes = IntakeReadSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "provider", *services.PROGRAMME_FIELDS, "target_occupations", "kommuner", "intakes",
                  "myh_diarienummer", "application_round", "created_at", "updated_at"]
        read_only_fields = fields


class ValidationPathSerializer(serializers.ModelSerializer):
    organiser = OrganisationRefSerializer(read_only=True)
    occupations = CodeLabelSerializer(many=True, read_only=True)
    kommuner = CodeLabelSerializer(many=True, read_only=True)

    class Meta:
        model = ValidationPath
        fields = ["id", "organiser", *services.VALIDATION_PATH_FIELDS, "occupations", "kommuner", "created_at",
                  "updated_at"]
        read_only_fields = fields


# --- writing -------------------------------------------------------------------------------------


def _kommuner_field():
    return CodeRelatedField(slug_field="code", queryset=Kommun.objects.all(), many=True, required=False,
                                        help_text=_("Municipality codes, four digits each."))


def _occupations_field(**kwargs):
    return CodeRelatedField(slug_field="code", queryset=SsykGroup.objects.filter(level=4), many=True,
                                        help_text=_("SSYK 2012 codes, four digits each."), **kwargs)


class ProgrammeWriteSerializer(serializers.Serializer):
    """A programme as the page's form takes it; intakes replace the programme's intakes."""

    provider = serializers.IntegerField(required=False, help_text=_(
        "The provider's id; may be left out by a caller who belongs to one provider only."))
    name = serializers.CharField(allow_blank=True)
    form = serializers.ChoiceField(choices=Programme.Form.choices)
    status = serializers.ChoiceField(choices=Programme.Status.choices, required=False)
    purpose = serializers.ChoiceField(choices=Programme.Purpose.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    education_area = serializers.CharField(required=False, allow_blank=True)
    sun_field = CodeRelatedField(slug_field="code", queryset=SunField.objects.filter(level__gte=4),
                                             required=False, allow_null=True)
    target_occupations = _occupations_field(required=False)
    seqf_level = serializers.IntegerField(required=False, allow_null=True)
    length_weeks = serializers.IntegerField(required=False, allow_null=True)
    yh_points = serializers.IntegerField(required=False, allow_null=True)
    pace_percent = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True)
    language_integrated = serializers.BooleanField(required=False)
    kommuner = _kommuner_field()
    distance = serializers.BooleanField(required=False)
    share_in_work_after_1y = serializers.IntegerField(required=False, allow_null=True)
    last_intake_women = serializers.IntegerField(required=False, allow_null=True)
    last_intake_men = serializers.IntegerField(required=False, allow_null=True)
    accessibility_notes = serializers.CharField(required=False, allow_blank=True)
    intakes = IntakeSerializer(many=True, required=False)

    DEFAULTS = {"status": Programme.Status.PLANNED, "language": "svenska"}

    def validate(self, attrs):
        values = {**self.DEFAULTS, **self.context.get("current", {}), **attrs}
        values.pop("provider", None)
        intakes = values.pop("intakes", [])
        form = ProgrammeForm(as_form_data(values), instance=self.context.get("instance"))
        errors = {} if form.is_valid() else form_errors(form)
        if len(intakes) > INTAKES_MAX:
            errors["intakes"] = [_("At most %(max)d intakes.") % {"max": INTAKES_MAX}]
        specs = []
        for index, intake in enumerate(intakes):
            intake_form = IntakeForm(as_form_data(intake))
            if intake_form.is_valid():
                specs.append(services.IntakeSpec(intake_form.cleaned_data["start_date"],
                                                 intake_form.cleaned_data["places"],
                                                 intake_form.cleaned_data.get("application_deadline")))
            else:
                for name, messages in form_errors(intake_form).items():
                    errors[f"intakes.{index}.{name}"] = messages
        if errors:
            raise serializers.ValidationError(errors)
        return {"fields": {name: form.cleaned_data[name] for name in services.PROGRAMME_FIELDS},
                "target_occupations": form.cleaned_data["target_occupations"],
                "kommuner": form.cleaned_data["kommuner"], "intakes": specs}


def _current_programme(programme: Programme) -> dict:
    values = {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS}
    values.update(target_occupations=list(programme.target_occupations.all()),
                  kommuner=list(programme.kommuner.all()),
                  intakes=[{"start_date": i.start_date, "places": i.places, "application_deadline": i.application_deadline}
                           for i in programme.intakes.all()])
    return values


class ValidationPathWriteSerializer(serializers.Serializer):
    organiser = serializers.IntegerField(required=False, help_text=_(
        "The organiser's id; may be left out by a caller who belongs to one provider only."))
    name = serializers.CharField(allow_blank=True)
    method = serializers.ChoiceField(choices=ValidationPath.Method.choices)
    occupations = _occupations_field()
    duration = serializers.CharField(required=False, allow_blank=True)
    cost = serializers.CharField(required=False, allow_blank=True)
    places = serializers.IntegerField(required=False, allow_null=True)
    kommuner = _kommuner_field()
    distance = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        values = {**self.context.get("current", {}), **attrs}
        values.pop("organiser", None)
        form = ValidationPathForm(as_form_data(values), instance=self.context.get("instance"))
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return dict(form.cleaned_data)


def _current_path(path: ValidationPath) -> dict:
    values = {name: getattr(path, name) for name in services.VALIDATION_PATH_FIELDS}
    values.update(occupations=list(path.occupations.all()), kommuner=list(path.kommuner.all()))
    return values


# --- endpoints -----------------------------------------------------------------------------------


def _filter_form_data(request, form_class, **form_kwargs):
    params = request.query_params.copy()
    for name in ("page", "page_size"):
        params.pop(name, None)
    form = form_class(params or None, **form_kwargs)
    if form.is_bound and not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


PROGRAMME_EXAMPLE = OpenApiExample("Yrkesvux", request_only=True, value={
    "name": "Undersköterska, yrkesvux", "form": "yrkesvux", "target_occupations": ["5321"], "kommuner": ["1780"],
    "intakes": [{"start_date": "2027-08-23", "places": 24, "application_deadline": "2027-05-15"}]})
PATH_EXAMPLE = OpenApiExample("Komvux", request_only=True, value={
    "name": "Validering till undersköterska", "method": "komvux", "occupations": ["5321"], "kommuner": ["1780"]})
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                               description="A retried request with the same key creates one object.")
PROGRAMME_FILTERS = [
    OpenApiParameter("q", str, description="Words in the programme, an occupation, an SSYK code, a place or a "
                                           "provider."),
    OpenApiParameter("mina", bool, description="Only the programmes of the caller's own providers."),
    OpenApiParameter("form", str, enum=Programme.Form.values),
    OpenApiParameter("status", str, enum=Programme.Status.values),
    OpenApiParameter("ssyk", str, description="Target occupation, SSYK code; a shorter code means every group "
                                              "under it."),
    OpenApiParameter("sun", str, description="SUN education field code, matched as a prefix."),
    OpenApiParameter("lan", int, description="County id."),
    OpenApiParameter("kommun", int, description="Municipality id."),
    OpenApiParameter("distance", bool, description="Include distance programmes."),
    OpenApiParameter("occupation_field", int, description="Occupation field id."),
    OpenApiParameter("planerat", bool, description="Only planned supply (granted, running or planned)."),
]
VALIDATION_FILTERS = [
    OpenApiParameter("q", str), OpenApiParameter("ssyk", str), OpenApiParameter("kommun", int),
    OpenApiParameter("method", str, enum=ValidationPath.Method.values),
]


class _OwnedViewSet(ETagMixin, IdempotentCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_permissions(self):
        return [] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    def _read(self, obj):
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data

    def _providers(self):
        return organisations_of(self.request.user, kind=Organisation.Kind.PROVIDER)


@extend_schema_view(
    list=extend_schema(parameters=PROGRAMME_FILTERS, summary="Programmes with their intakes"),
    retrieve=extend_schema(summary="One programme with its intakes"),
    create=extend_schema(request=ProgrammeWriteSerializer, responses={201: ProgrammeSerializer},
                         parameters=[IDEMPOTENCY], summary="Post a programme with its intakes",
                         examples=[PROGRAMME_EXAMPLE]),
    update=extend_schema(request=ProgrammeWriteSerializer, responses={200: ProgrammeSerializer},
                         summary="Replace a programme (and its intakes)", examples=[PROGRAMME_EXAMPLE]),
    partial_update=extend_schema(request=ProgrammeWriteSerializer, responses={200: ProgrammeSerializer},
                                 summary="Change some of a programme's fields; intakes, if given, replace all",
                                 examples=[OpenApiExample("Namn", request_only=True, value={"name": "Ny kull"})]),
)
class ProgrammeViewSet(_OwnedViewSet):
    """Programmes (utbildningar) with their intakes: public to everyone, as on the pages; members
    of the provider post and change them. Programmes are not deleted: their status says withdrawn
    or ended."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return selectors.programmes_listed()

    def list(self, request, *args, **kwargs):
        form = _filter_form_data(request, ProgrammeFilterForm, user=request.user)
        programmes = selectors.programmes_filtered(self.get_queryset(), form.filters()).order_by("name", "pk")
        page = self.paginate_queryset(programmes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        programme = selectors.programme_detail(self.kwargs["pk"])
        if self.action not in ("list", "retrieve") and not permissions.may_edit_programme(self.request.user, programme):
            raise exceptions.PermissionDenied(_("Only the provider's members change its programmes."))
        return programme

    def create(self, request, *args, **kwargs):
        def write():
            provider = organisation_to_act_for(
                self._providers(), request.data.get("provider") if isinstance(request.data, dict) else None,
                field="provider", refusal=_("Create or join an education provider to post programmes."))
            serializer = ProgrammeWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            fields = dict(data["fields"])
            programme = services.programme_create(
                actor=request.user, provider=provider, name=fields.pop("name"), intakes=data["intakes"],
                target_occupations=data["target_occupations"], kommuner=data["kommuner"], **fields)
            return Response(self._read(programme), status=status.HTTP_201_CREATED,
                            headers={"Location": request.build_absolute_uri(f"{request.path}{programme.pk}/")})
        return self.idempotent(request, write)

    def update(self, request, *args, **kwargs):
        programme = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = ProgrammeWriteSerializer(data=request.data, partial=partial, context={
            "instance": programme, "current": _current_programme(programme) if partial else {}})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.programme_update(programme=programme, actor=request.user, intakes=data["intakes"],
                                  target_occupations=data["target_occupations"], kommuner=data["kommuner"],
                                  **data["fields"])
        return Response(self._read(programme))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    list=extend_schema(parameters=VALIDATION_FILTERS, summary="Validation paths"),
    retrieve=extend_schema(summary="One validation path"),
    create=extend_schema(request=ValidationPathWriteSerializer, responses={201: ValidationPathSerializer},
                         parameters=[IDEMPOTENCY], summary="Post a validation path", examples=[PATH_EXAMPLE]),
    update=extend_schema(request=ValidationPathWriteSerializer, responses={200: ValidationPathSerializer},
                         summary="Replace a validation path", examples=[PATH_EXAMPLE]),
    partial_update=extend_schema(request=ValidationPathWriteSerializer, responses={200: ValidationPathSerializer},
                                 summary="Change some of a validation path's fields",
                                 examples=[OpenApiExample("Platser", request_only=True, value={"places": 40})]),
)
class ValidationPathViewSet(_OwnedViewSet):
    """Validation paths (valideringsvägar): public to everyone; members of the organiser post and
    change them."""

    serializer_class = ValidationPathSerializer

    def get_queryset(self):
        return selectors.validation_paths_listed()

    def list(self, request, *args, **kwargs):
        form = _filter_form_data(request, ValidationFilterForm)
        data = form.cleaned_data if form.is_bound else {}
        paths = selectors.validation_paths_listed(
            text=data.get("q", "").strip(), ssyk=data.get("ssyk", ""),
            kommun=data["kommun"].pk if data.get("kommun") else None, method=data.get("method", ""),
        ).order_by("name", "pk")
        page = self.paginate_queryset(paths)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        try:
            path = self.get_queryset().get(pk=self.kwargs["pk"])
        except ValidationPath.DoesNotExist:
            raise exceptions.NotFound() from None
        if self.action not in ("list", "retrieve") and not permissions.may_edit_validation_path(self.request.user, path):
            raise exceptions.PermissionDenied(_("Only the organiser's members change its validation paths."))
        return path

    def create(self, request, *args, **kwargs):
        def write():
            organiser = organisation_to_act_for(
                self._providers(), request.data.get("organiser") if isinstance(request.data, dict) else None,
                field="organiser", refusal=_("Create or join an education provider to post validation paths."))
            serializer = ValidationPathWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            path = services.validation_path_create(actor=request.user, organiser=organiser, **data)
            return Response(self._read(path), status=status.HTTP_201_CREATED,
                            headers={"Location": request.build_absolute_uri(f"{request.path}{path.pk}/")})
        return self.idempotent(request, write)

    def update(self, request, *args, **kwargs):
        path = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = ValidationPathWriteSerializer(data=request.data, partial=partial, context={
            "instance": path, "current": _current_path(path) if partial else {}})
        serializer.is_valid(raise_exception=True)
        services.validation_path_update(path=path, actor=request.user, **serializer.validated_data)
        return Response(self._read(path))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
