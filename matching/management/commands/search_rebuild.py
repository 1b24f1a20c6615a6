from django.core.management.base import BaseCommand
from django.db import transaction

from employers.services import needs_search_refresh
from matchplats.organisations.services import organisations_search_refresh
from providers.services import programmes_search_refresh, validation_paths_search_refresh


class Command(BaseCommand):
    help = ("Rewrite the search documents of every organisation, need, programme and validation path (run after the taxonomy's "
            "occupation names or labels changed; the services keep them current otherwise).")

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = {"organisations": organisations_search_refresh(), "needs": needs_search_refresh(),
                      "programmes": programmes_search_refresh(),
                      "validation paths": validation_paths_search_refresh()}
        self.stdout.write(", ".join(f"{name}: {count} changed" for name, count in counts.items()))
