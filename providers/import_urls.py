"""Programme import pages. Included as ``path("import/", include("providers.import_urls"))``
inside the ``providers`` namespace: ``providers:import``, ``providers:import_confirm``, …"""

from django.urls import path

from matchplats.core import import_views
from providers.import_views import PROGRAMMES

urlpatterns = [
    path("", import_views.import_upload, {"spec": PROGRAMMES}, name="import"),
    path("mall.csv", import_views.import_template, {"spec": PROGRAMMES}, name="import_template"),
    path("mall.xlsx", import_views.import_template, {"spec": PROGRAMMES, "file_format": "xlsx"},
         name="import_template_xlsx"),
    path("resultat/<int:pk>/", import_views.import_result, {"spec": PROGRAMMES}, name="import_result"),
    path("<str:token>/bekrafta/", import_views.import_confirm, {"spec": PROGRAMMES}, name="import_confirm"),
]
