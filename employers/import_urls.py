"""Need import pages. Included as ``path("import/", include("employers.import_urls"))``
inside the ``employers`` namespace: ``employers:import``, ``employers:import_confirm``, …"""

from django.urls import path

from employers.import_views import NEEDS
from matchplats.core import import_views

urlpatterns = [
    path("", import_views.import_upload, {"spec": NEEDS}, name="import"),
    path("mall.csv", import_views.import_template, {"spec": NEEDS}, name="import_template"),
    path("mall.xlsx", import_views.import_template, {"spec": NEEDS, "file_format": "xlsx"},
         name="import_template_xlsx"),
    path("resultat/<int:pk>/", import_views.import_result, {"spec": NEEDS}, name="import_result"),
    path("<str:token>/bekrafta/", import_views.import_confirm, {"spec": NEEDS}, name="import_confirm"),
]
