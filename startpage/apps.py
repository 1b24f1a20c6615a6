from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartpageConfig(AppConfig):
    """"Mitt Matchplats": the signed-in person's start page. It reads from every app, so it sits on
    top beside ``reports`` (docs/start.md)."""

    name = "startpage"
    label = "startpage"
    verbose_name = _("Start page")
