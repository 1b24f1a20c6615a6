"""Need import pages. Included as ``path("import/", include("employers.import_urls"))``
inside the ``employers`` namespace: ``employers:import``, ``employers:import_confirm``, …"""

from django.urls import path

from employers import import_views

urlpatterns = [
    path("", import_views.need_import, name="import"),
    path("mall.csv", import_views.need_import_template, name="import_template"),
    path("resultat/<int:pk>/", import_views.need_import_result, name="import_result"),
    path("<str:token>/bekrafta/", import_views.need_import_confirm, name="import_confirm"),
]
