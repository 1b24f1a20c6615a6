"""The REST API's routes (docs/api.md): version 1 under /api/v1/, its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from dialogues.api import ActionItemViewSet, DecisionViewSet
from employers.api import NeedViewSet
from matching.api import DimensioningView, NeedMatchesView, ProgrammeMatchesView
from matchplats.api.views import ApiDocsView
from providers.api import ProgrammeViewSet, ValidationPathViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("needs", NeedViewSet, basename="need")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("validation-paths", ValidationPathViewSet, basename="validation-path")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("action-items", ActionItemViewSet, basename="action-item")

urlpatterns = [
    path("v1/needs/<int:pk>/matches/", NeedMatchesView.as_view(), name="need-matches"),
    path("v1/programmes/<int:pk>/matches/", ProgrammeMatchesView.as_view(), name="programme-matches"),
    path("v1/dimensioning/", DimensioningView.as_view(), name="dimensioning"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(), name="api-docs"),
]
