from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dialogues.demo import DEMO_PASSWORD, demo_seed
from matchplats.taxonomy.models import SsykGroup


class Command(BaseCommand):
    help = "Create the Region Värmland demo (idempotent) and print its logins."

    def handle(self, *args, **options):
        if not SsykGroup.objects.exists():
            raise CommandError("The taxonomy is empty: run `python manage.py load_taxonomy` first.")
        logins = demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Log in with any of these (password: {DEMO_PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.email:<42} {login.role}")
