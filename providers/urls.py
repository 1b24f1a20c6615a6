from django.urls import include, path

from providers import views

app_name = "providers"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("export.<str:file_format>", views.programme_export, name="export"),
    path("ny/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/andra/", views.programme_edit, name="edit"),
    path("<int:pk>/malyrken/", views.programme_occupations_confirm, name="occupations_confirm"),
    path("<int:pk>/stod/", views.programme_backing, name="backing"),
    path("<int:pk>/stod/dra-tillbaka/", views.programme_backing_withdraw, name="backing_withdraw"),
    path("valideringar/", views.validation_list, name="validation_list"),
    path("valideringar/ny/", views.validation_create, name="validation_create"),
    path("valideringar/<int:pk>/", views.validation_detail, name="validation_detail"),
    path("valideringar/<int:pk>/andra/", views.validation_edit, name="validation_edit"),
    path("import/", include("providers.import_urls")),
]
