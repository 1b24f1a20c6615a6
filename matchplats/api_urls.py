"""The REST API's routes (docs/api.md): version 1 under /api/v1/, its OpenAPI schema and docs."""

from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from dialogues.api import ActionItemViewSet, DecisionViewSet
from employers.api import NeedViewSet
from matching.api import DimensioningView, NeedMatchesView, ProgrammeMatchesView
from matchplats.api.views import ApiDocsView
from providers.api import ProgrammeViewSet, ValidationPathViewSet


class IdConverter:
    """A row id: at most 18 digits, so an id too large for the database's integers is a 404 like
    any missing row, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

router = SimpleRouter(use_regex_path=False)
router.register("needs", NeedViewSet, basename="need")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("validation-paths", ValidationPathViewSet, basename="validation-path")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("action-items", ActionItemViewSet, basename="action-item")

urlpatterns = [
    path("v1/needs/<id:pk>/matches/", NeedMatchesView.as_view(), name="need-matches"),
    path("v1/programmes/<id:pk>/matches/", ProgrammeMatchesView.as_view(), name="programme-matches"),
    path("v1/dimensioning/", DimensioningView.as_view(), name="dimensioning"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(), name="api-docs"),
]
