"""``manage.py regional_report --lan 17 --output lagesrapport.pdf [--horizon 1-3y] [--as EMAIL]``:
the regional status report of a county as the PDF the page offers (docs/reports.md), in Swedish;
an output name ending in ``.docx`` gives the Word file instead.

It reads as the dimensioning command does: by default as someone who may list only public needs,
so every other need enters the figures only through released cells; ``--as EMAIL`` takes that
person's view instead (a coordinator's, say). Nothing is written to the database."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from matching.dimensioning import DEFAULT_HORIZON
from matchplats.core.horizons import HORIZONS
from reports.documents import regional_report_docx, regional_report_pdf
from reports.selectors import regional_report

RENDERERS = {".pdf": regional_report_pdf, ".docx": regional_report_docx}


class Command(BaseCommand):
    help = "Write the regional status report (lägesrapport) of a county as a PDF or Word (DOCX) file."

    def add_arguments(self, parser):
        parser.add_argument("--lan", required=True, help="county code, e.g. 17 (Värmland)")
        parser.add_argument("--output", required=True, type=Path, help="the file to write: .pdf or .docx")
        parser.add_argument("--horizon", choices=HORIZONS, default=DEFAULT_HORIZON)
        parser.add_argument("--as", dest="viewer", metavar="EMAIL", help="take this person's view")

    def handle(self, *args, **options):
        render = RENDERERS.get(options["output"].suffix.lower())
        if render is None:
            raise CommandError(f"--output must end in .pdf or .docx, not {options['output'].name!r}.")
        viewer = AnonymousUser()
        if options["viewer"]:
            viewer = get_user_model().objects.filter(email__iexact=options["viewer"]).first()
            if viewer is None:
                raise CommandError(f"No user with the e-mail address {options['viewer']!r}.")
        with translation.override("sv"):
            try:
                report = regional_report(user=viewer, lan_code=options["lan"], today=timezone.localdate(),
                                         horizon=options["horizon"])
            except ValueError as error:
                raise CommandError(str(error)) from error
            content = render(report)
        options["output"].write_bytes(content)
        arenas = report.arenas
        self.stdout.write(f"{options['output']}: {report.lan.label}, {len(arenas.arenas)} active arenas shown, "
                          f"{len(arenas.public_decisions)} public decisions of other arenas, {len(content)} bytes")
