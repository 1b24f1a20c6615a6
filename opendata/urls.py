from django.urls import path

from opendata import views
from opendata.models import OpenDataSnapshot

Kind = OpenDataSnapshot.Kind

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("dataordlista/", views.dictionary, name="dictionary"),
    path("<str:lan_code>/", views.lan_page, name="lan"),
    path("<str:lan_code>/<str:month>/efterfragan-och-utbud.csv", views.snapshot_file,
         {"kind": Kind.DEMAND_SUPPLY, "file_format": "csv"}, name="demand_supply_csv"),
    path("<str:lan_code>/<str:month>/efterfragan-och-utbud.json", views.snapshot_file,
         {"kind": Kind.DEMAND_SUPPLY, "file_format": "json"}, name="demand_supply_json"),
    path("<str:lan_code>/<str:month>/beslut.csv", views.snapshot_file,
         {"kind": Kind.DECISIONS, "file_format": "csv"}, name="decisions_csv"),
    path("<str:lan_code>/<str:month>/beslut.json", views.snapshot_file,
         {"kind": Kind.DECISIONS, "file_format": "json"}, name="decisions_json"),
]
