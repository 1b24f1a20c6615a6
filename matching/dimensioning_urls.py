from django.urls import path

from matching import views

app_name = "dimensioning"
urlpatterns = [
    path("", views.dimensioning, name="page"),
    path("<str:table_name>.<str:file_format>", views.dimensioning_export, name="export"),
]
