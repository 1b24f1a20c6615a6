"""Small read-only shapes shared by every app's API: reference data by its official code."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from matchplats.core.validators import validate_single_line


class CodeLabelSerializer(serializers.Serializer):
    """SSYK groups, län and kommuner, SUN fields: by their official code."""

    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class ConceptSerializer(serializers.Serializer):
    """Occupation names and skills: by their JobTech taxonomy concept id."""

    concept_id = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's errors as the API's ``errors``, so the API says what the page would say."""
    return {("non_field_errors" if name == "__all__" else name): [str(message) for message in messages]
            for name, messages in form.errors.items()}


def as_form_data(values: dict) -> dict:
    """Validated API values as a Django form's data: objects by primary key, lists of objects as
    lists of keys, None left out (an empty field)."""
    data = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def organisation_to_act_for(organisations: list, chosen: int | None, *, field: str, refusal: str):
    """Which of the caller's organisations (of one kind) a new object is for: the one named, or the
    only one. None of that kind is a 403; an unnamed choice among several or a foreign one, a 400."""
    if not organisations:
        raise exceptions.PermissionDenied(refusal)
    if chosen is None and len(organisations) == 1:
        return organisations[0]
    for organisation in organisations:
        if organisation.pk == chosen:
            return organisation
    message = _("Choose one of your organisations.") if chosen is None else _(
        "Choose one of your organisations; %(id)s is not one of them.") % {"id": chosen}
    raise exceptions.ValidationError({field: [message]})


class CodeRelatedField(serializers.SlugRelatedField):
    """Reference data by code or concept id. A value with control characters (NUL among them,
    which PostgreSQL cannot even compare) is refused before any lookup, with the house message."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                validate_single_line(data)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return super().to_internal_value(data)
