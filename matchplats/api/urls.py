from django.urls import path

from matchplats.api import views

app_name = "api_keys"
urlpatterns = [
    path("", views.api_keys, name="list"),
    path("<int:key_pk>/aterkalla/", views.api_key_revoke, name="revoke"),
]
