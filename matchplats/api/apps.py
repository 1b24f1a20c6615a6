from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "matchplats.api"
    label = "api"
    verbose_name = "API"
