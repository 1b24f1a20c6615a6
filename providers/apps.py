from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "providers"
    label = "providers"
    verbose_name = _("Programmes and validation")
