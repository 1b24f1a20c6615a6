"""Small read-only shapes shared by every app's API: reference data by its official code."""

from rest_framework import serializers


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
