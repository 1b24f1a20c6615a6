from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from matching.tasks import documents_changed
        from matchplats.core import changes

        changes.listen(documents_changed)
