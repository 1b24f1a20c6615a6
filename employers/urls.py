from django.urls import include, path

from employers import views

app_name = "employers"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("export.<str:file_format>", views.need_export, name="export"),
    path("nytt/", views.need_create, name="create"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/andra/", views.need_edit, name="edit"),
    path("<int:pk>/status/", views.need_status, name="status"),
    path("<int:pk>/bekrafta/", views.need_confirm, name="confirm"),
    path("yrken/", views.occupation_search, name="occupation_search"),
    path("yrken/valt/", views.occupation_pick, name="occupation_pick"),
    path("kompetenser/", views.skill_search, name="skill_search"),
    path("kompetenser/vald/", views.skill_chosen, name="skill_chosen"),
    path("import/", include("employers.import_urls")),
]
