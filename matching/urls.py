from django.urls import path

from matching import views

app_name = "matching"
urlpatterns = [
    path("behov/<int:pk>/", views.need_matches, name="need"),
    path("utbildningar/<int:pk>/", views.programme_matches, name="programme"),
    path("omdome/", views.match_feedback, name="feedback"),
    path("tolka/", views.interpret, name="interpret"),
]
