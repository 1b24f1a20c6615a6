from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("behov/<int:pk>/", views.need_matches, name="need"),
    path("utbildningar/<int:pk>/", views.programme_matches, name="programme"),
    path("utbildningar/<int:pk>/tolkning/", views.programme_reading, name="programme_reading"),
    path("utbildningar/<int:pk>/underlag/", views.programme_evidence, name="evidence"),
    path("utbildningar/<int:pk>/underlag.<str:file_format>", views.programme_evidence_file, name="evidence_file"),
    path("omdome/", views.match_feedback, name="feedback"),
    path("tolka/", views.interpret, name="interpret"),
    path("bevaka/", views.digest_follow, name="follow"),
    path("avsluta/<str:token>/", views.digest_unsubscribe, name="unsubscribe"),
]
