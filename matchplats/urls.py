from django.contrib import admin
from django.urls import include, path

from matchplats.core import views as core_views
from startpage import views as startpage_views

urlpatterns = [
    path("", startpage_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("tillganglighet/", core_views.accessibility, name="accessibility"),
    path("integritet/", core_views.privacy, name="privacy"),
    path("villkor/", core_views.terms_of_use, name="terms"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/mina-uppgifter/", include("matchplats.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("organisationer/", include("matchplats.organisations.urls")),
    path("organisationer/<int:pk>/api-nycklar/", include("matchplats.api.urls")),
    path("api/", include("matchplats.api_urls")),
    path("behov/", include("employers.urls")),
    path("utbildningar/", include("providers.urls")),
    path("matchningar/", include("matching.urls")),
    path("dimensionering/", include("matching.dimensioning_urls")),
    path("rapporter/", include("reports.urls")),
    path("arenor/", include("dialogues.urls")),
    path("oppna-data/", include("opendata.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "matchplats.core.views.server_error"
