from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("lan/<str:lan_code>/", views.lan_report, name="lan"),
    path("lan/<str:lan_code>/lagesrapport.pdf", views.lan_report_file, {"file_format": "pdf"}, name="lan_pdf"),
    path("lan/<str:lan_code>/lagesrapport.docx", views.lan_report_file, {"file_format": "docx"}, name="lan_docx"),
]
