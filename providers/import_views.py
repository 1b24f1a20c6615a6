"""The programme import, described for the shared upload pages (``matchplats.core.import_views``).

Providers' members import their own provider's rows; platform staff may import rows for any
providers (``may_import_programmes_for_any_provider``). MYH lists may come with MYH's
per-kommun file as a second upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from matchplats import permissions
from matchplats.core.import_views import ImportKind
from matchplats.core.importing import ImportFileError, check_size, import_upload_form_class
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from providers.importing import (
    PROGRAMME_CHANGE_HEADERS,
    PROGRAMME_HEADERS,
    programme_change_words,
    programme_import_file,
)
from providers.models import ProgrammeEvent


class ProgrammeUploadForm(import_upload_form_class()):
    municipalities = forms.FileField(
        label=_("Municipalities file (optional, MYH lists only)"), required=False,
        help_text=_("MYH's per-kommun list (application_municipalities): gives programmes run in "
                    "“Flera kommuner” their kommuner."),
    )

    def clean_municipalities(self):
        upload = self.cleaned_data.get("municipalities")
        if upload:
            try:
                check_size(upload.size)
            except ImportFileError as error:
                raise forms.ValidationError(error.messages) from None
        return upload


def _run(*, actor, organisation, files, dry_run: bool, item_limit: int | None):
    name, data = files["main"]
    municipalities_name, municipalities = files.get("municipalities", ("", None))
    return programme_import_file(actor=actor, data=data, file_name=name, organisation=organisation,
                                 municipalities=municipalities, municipalities_name=municipalities_name,
                                 dry_run=dry_run, item_limit=item_limit)


PROGRAMMES = ImportKind(
    kind=ImportRun.Kind.PROGRAMMES, namespace="providers", organisation_kind=Organisation.Kind.PROVIDER,
    heading=_("Import programmes"),
    intro=_("Upload MYH's list of application decisions, or your own list in the programme template. You see what "
            "will change before anything is saved."),
    result_heading=_("Programme import"),
    not_allowed=_("You can only import programmes for organisations you belong to."),
    choose_organisation=_("Choose the provider you import for."),
    template_file=Path(settings.BASE_DIR) / "data" / "templates" / "programmes_template.csv",
    export_url_name="providers:export", columns=PROGRAMME_HEADERS, run=_run, event_model=ProgrammeEvent,
    event_subject="programme",
    created_names=lambda result: result.providers_created, created_label=_("Providers that will be created"),
    change_headers=PROGRAMME_CHANGE_HEADERS, change_words=programme_change_words,
    form_class=ProgrammeUploadForm, may_import_for_any=permissions.may_import_programmes_for_any_provider,
    any_label=_("Any providers named in the file (platform staff)"),
)
