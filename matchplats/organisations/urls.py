from django.urls import path

from matchplats.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("ny/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/andra/", views.organisation_edit, name="edit"),
    path("<int:pk>/granskningslogg/", views.organisation_audit, name="audit"),
    path("<int:pk>/villkor/", views.organisation_terms_accept, name="terms_accept"),
    path("<int:pk>/medlemmar/<int:membership_pk>/ta-bort/", views.membership_remove, name="membership_remove"),
    path("<int:pk>/medlemmar/<int:membership_pk>/roll/", views.membership_role, name="membership_role"),
    path("<int:pk>/inbjudningar/<int:invitation_pk>/aterkalla/", views.invitation_revoke, name="invitation_revoke"),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation"),
]
