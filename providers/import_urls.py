"""Programme import pages. Included as ``path("import/", include("providers.import_urls"))``
inside the ``providers`` namespace: ``providers:import``, ``providers:import_confirm``, …"""

from django.urls import path

from providers import import_views

urlpatterns = [
    path("", import_views.programme_import, name="import"),
    path("mall.csv", import_views.programme_import_template, name="import_template"),
    path("resultat/<int:pk>/", import_views.programme_import_result, name="import_result"),
    path("<str:token>/bekrafta/", import_views.programme_import_confirm, name="import_confirm"),
]
