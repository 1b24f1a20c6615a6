from django.urls import path

from dialogues import views

app_name = "dialogues"
urlpatterns = [
    path("", views.arena_list, name="list"),
    path("ny/", views.arena_create, name="create"),
    path("<int:pk>/", views.arena_detail, name="arena"),
    path("<int:pk>/andra/", views.arena_edit, name="edit"),
    path("<int:pk>/steg/", views.arena_stage, name="stage"),
    path("<int:pk>/medlemmar/", views.arena_members, name="members"),
    path("<int:pk>/vardar/", views.arena_host, name="host"),
    path("<int:pk>/moten/nytt/", views.session_create, name="session_create"),
    path("medlemmar/<int:pk>/ta-bort/", views.member_remove, name="member_remove"),
    path("moten/<int:pk>/", views.session_detail, name="session"),
    path("moten/<int:pk>/andra/", views.session_edit, name="session_edit"),
    path("moten/<int:pk>/status/", views.session_state, name="session_state"),
    path("moten/<int:pk>/inbjudan/", views.session_invite, name="session_invite"),
    path("moten/<int:pk>/kalender.ics", views.session_ics, name="session_ics"),
    path("moten/<int:pk>/dagordning/", views.agenda_add, name="agenda_add"),
    path("moten/<int:pk>/beslut/nytt/", views.decision_create, name="decision_create"),
    path("moten/<int:pk>/atgarder/ny/", views.action_create, name="action_create"),
    path("moten/<int:pk>/live/", views.session_live, name="live"),
    path("moten/<int:pk>/styr/", views.session_host_view, name="live_host"),
    path("moten/<int:pk>/projektor/", views.session_projector, name="projector"),
    path("moten/<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("moten/<int:pk>/protokoll.pdf", views.minutes_file, {"file_format": "pdf"}, name="minutes_pdf"),
    path("moten/<int:pk>/protokoll.docx", views.minutes_file, {"file_format": "docx"}, name="minutes_docx"),
    path("dagordning/<int:pk>/", views.agenda_edit, name="agenda_edit"),
    path("beslut/<int:pk>/andra/", views.decision_edit, name="decision_edit"),
    path("atgarder/<int:pk>/andra/", views.action_edit, name="action_edit"),
    path("behov/<int:need_pk>/beslut/", views.need_decisions, name="need_decisions"),
    path("delta/<str:invite_token>/", views.join, name="join"),
    path("kod/", views.join_code, name="join_code"),
]
