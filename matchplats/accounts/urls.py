from django.urls import path

from matchplats.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.personal_data, name="personal_data"),
    path("ladda-ner/", views.personal_data_download, name="personal_data_download"),
    path("radera/", views.account_delete, name="delete"),
]
