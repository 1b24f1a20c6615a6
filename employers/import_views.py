"""The need import, described for the shared upload pages (``matchplats.core.import_views``).

An employer's members import into their own organisation only."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from employers.importing import NEED_CHANGE_HEADERS, NEED_HEADERS, need_change_words, need_import_file
from employers.models import NeedEvent
from matchplats.core.import_views import ImportKind
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation


def _run(*, actor, organisation, files, dry_run: bool, item_limit: int | None):
    name, data = files["main"]
    return need_import_file(actor=actor, data=data, file_name=name, organisation=organisation, dry_run=dry_run,
                            item_limit=item_limit)


NEEDS = ImportKind(
    kind=ImportRun.Kind.NEEDS, namespace="employers", organisation_kind=Organisation.Kind.EMPLOYER,
    heading=_("Import competence needs"),
    intro=_("Upload your needs in the needs template (CSV or XLSX). Rows with a reference update the need with the "
            "same reference; you see what will change before anything is saved."),
    result_heading=_("Need import"),
    not_allowed=_("You can only import needs for organisations you belong to."),
    choose_organisation=_("Choose the employer you import for."),
    template_file=Path(settings.BASE_DIR) / "data" / "templates" / "needs_template.csv",
    export_url_name="employers:export", columns=NEED_HEADERS, run=_run, event_model=NeedEvent,
    event_subject="need",
    created_names=lambda result: result.organisations_created, created_label=_("Employers that will be created"),
    change_headers=NEED_CHANGE_HEADERS, change_words=need_change_words,
)
