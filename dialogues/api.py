"""Read-only API for the branch arenas' decisions and action items (docs/api.md), through the
dialogues selectors: public decisions for everyone, members-only decisions and action items for
those who may see the arena; linked needs only as far as the reader may list them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from dialogues import selectors
from dialogues.models import ActionItem, Decision
from matchplats.api.mixins import ETagMixin
from matchplats.api.serializers import CodeLabelSerializer
from matchplats.core.params import is_plain_number


class _NeedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class _ArenaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class _SessionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)


class _LinkedSerializer(serializers.ModelSerializer):
    arena = _ArenaRefSerializer(read_only=True)
    session = _SessionRefSerializer(read_only=True)
    needs = _NeedRefSerializer(source="readable_needs", many=True, read_only=True, help_text=_(
        "Linked needs the caller may read; others are left out."))
    occupations = CodeLabelSerializer(many=True, read_only=True)
    gaps = CodeLabelSerializer(many=True, read_only=True)


class DecisionSerializer(_LinkedSerializer):
    class Meta:
        model = Decision
        fields = ["id", "arena", "session", "text", "visibility", "needs", "occupations", "gaps", "created_at"]
        read_only_fields = fields


class ActionItemSerializer(_LinkedSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "arena", "session", "text", "owner", "due_on", "status", "needs", "occupations", "gaps",
                  "created_at"]
        read_only_fields = fields

    def get_owner(self, item: ActionItem) -> str:
        """The owning organisation's name, or the person's address, as on the arena's page."""
        if item.owner_organisation_id:
            return item.owner_organisation.name
        return item.owner_user.email if item.owner_user_id else ""


def _arena_filter(request, queryset):
    arena = request.query_params.get("arena")
    if arena is None:
        return queryset
    if not is_plain_number(arena):
        raise exceptions.ValidationError({"arena": [_("Give the arena's id, a whole number.")]})
    return queryset.filter(arena_id=int(arena))


@extend_schema_view(
    list=extend_schema(summary="Decisions the caller may read", parameters=[OpenApiParameter("arena", int)]),
    retrieve=extend_schema(summary="One decision"),
)
class DecisionViewSet(ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Decisions of the branch arenas: public decisions for everyone, members-only decisions for
    members of the arena and the county's coordinators. Any other decision answers 404, like one
    that does not exist."""

    lookup_value_converter = "id"
    serializer_class = DecisionSerializer

    def get_queryset(self):
        decisions = selectors.decisions_with_links(self.request.user).order_by("-created_at", "-pk")
        return _arena_filter(self.request, decisions) if self.action == "list" else decisions


@extend_schema_view(
    list=extend_schema(summary="Action items of the arenas the caller may see", parameters=[
        OpenApiParameter("arena", int), OpenApiParameter("status", str, enum=ActionItem.Status.values)]),
    retrieve=extend_schema(summary="One action item"),
)
class ActionItemViewSet(ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Action items of the branch arenas the caller may see (members of the arena and the county's
    coordinators), soonest due first. Anyone else gets an empty list and 404 for each item."""

    lookup_value_converter = "id"
    serializer_class = ActionItemSerializer

    def get_queryset(self):
        items = selectors.action_items_visible_to(self.request.user).order_by("due_on", "pk")
        if self.action != "list":
            return items
        status = self.request.query_params.get("status")
        if status is not None:
            if status not in ActionItem.Status.values:
                raise exceptions.ValidationError({"status": [_("Use one of: %(values)s.")
                                                             % {"values": ", ".join(ActionItem.Status.values)}]})
            items = items.filter(status=status)
        return _arena_filter(self.request, items)
