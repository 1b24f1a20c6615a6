"""Upload pages for programme imports: upload → preview (nothing written) → confirm → result.

The uploaded bytes stay on the server between preview and confirmation
(``matchplats.core.importing.upload_store``), bound to the uploading user's session; the
confirmation reads and validates them again and writes in one transaction. A preview sent
back by the browser is never trusted — only the token travels.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchplats import permissions
from matchplats.core.importing import (
    ImportFileError,
    check_size,
    import_upload_form_class,
    upload_discard,
    upload_load,
    upload_store,
)
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of
from providers.importing import GENERIC_COLUMNS, programme_import_file
from providers.models import ProgrammeEvent

KIND = ImportRun.Kind.PROGRAMMES
TEMPLATE_FILE = Path(settings.BASE_DIR) / "data" / "templates" / "programmes_template.csv"
PREVIEW_ROWS = 300


class ProgrammeUploadForm(import_upload_form_class()):
    municipalities = forms.FileField(
        label=gettext_lazy("Municipalities file (optional, MYH lists only)"), required=False,
        help_text=gettext_lazy("MYH's per-kommun list (application_municipalities): gives programmes run in "
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


def _target(user, organisation_id: int | None) -> Organisation | None:
    """The organisation the import is for, checked with the permission helpers (403 otherwise)."""
    if organisation_id is None:
        if not permissions.may_import_programmes_for_any_provider(user):
            raise PermissionDenied(_("Choose the provider you import for."))
        return None
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if organisation.kind != Organisation.Kind.PROVIDER or not permissions.may_act_for(user, organisation):
        raise PermissionDenied(_("You can only import programmes for organisations you belong to."))
    return organisation


def _page(request, form, *, errors=None, status=200):
    columns = GENERIC_COLUMNS
    return render(request, "imports/upload.html", {
        "form": form, "errors": errors, "heading": _("Import programmes"),
        "intro": _("Upload MYH's list of application decisions, or your own list in the programme template. "
                   "You see what will change before anything is saved."),
        "template_url": reverse("providers:import_template"), "columns": columns,
        "has_organisations": bool(form.fields["organisation"].widget.choices),
    }, status=status)


def _form(request, data=None, files=None):
    user = request.user
    return ProgrammeUploadForm(
        data, files, organisations=organisations_of(user, kind=Organisation.Kind.PROVIDER), allow_any=permissions.may_import_programmes_for_any_provider(user),
        any_label=_("Any providers named in the file (platform staff)"),
        initial={"organisation": request.GET.get("organisation", "")},
    )


@login_required
def programme_import(request):
    if request.method != "POST":
        return _page(request, _form(request))
    form = _form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    organisation = _target(request.user, form.cleaned_data["organisation"])
    upload = form.cleaned_data["file"]
    municipalities = form.cleaned_data.get("municipalities")
    files = {"main": (upload.name, upload.read())}
    if municipalities:
        files["municipalities"] = (municipalities.name, municipalities.read())
    try:
        result = _run(request.user, organisation, files, dry_run=True)
    except ImportFileError as error:
        return _page(request, form, errors=error, status=400)
    token = upload_store(request=request, kind=KIND, organisation_id=organisation.pk if organisation else None,
                         files=files)
    return render(request, "imports/preview.html", {
        "heading": _("Check the import"), "result": result, "organisation": organisation, "token": token,
        "confirm_url": reverse("providers:import_confirm", args=[token]), "back_url": reverse("providers:import"),
        "changed_items": [item for item in result.items if item.action != "unchanged"][:PREVIEW_ROWS],
        "preview_rows": PREVIEW_ROWS, "kind": KIND, "extra_created": result.providers_created,
        "extra_created_label": _("Providers that will be created"),
    })


def _run(user, organisation, files, *, dry_run: bool):
    name, data = files["main"]
    municipalities_name, municipalities = files.get("municipalities", ("", None))
    return programme_import_file(actor=user, data=data, file_name=name, organisation=organisation,
                                 municipalities=municipalities, municipalities_name=municipalities_name,
                                 dry_run=dry_run)


@login_required
@require_POST
def programme_import_confirm(request, token: str):
    upload = upload_load(request=request, token=token, kind=KIND)
    if upload is None:
        raise Http404(_("This preview has expired or is not yours. Upload the file again."))
    organisation = _target(request.user, upload.organisation_id)
    try:
        result = _run(request.user, organisation, upload.files, dry_run=False)
    except ImportFileError as error:
        upload_discard(request=request, token=token)
        messages.error(request, _("The file no longer imports cleanly (the data changed since the preview). "
                                  "Nothing was saved."))
        return _page(request, _form(request), errors=error, status=409)
    upload_discard(request=request, token=token)
    messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                     % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    return redirect("providers:import_result", pk=result.import_run.pk)


@login_required
def programme_import_result(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("organisation", "actor"), pk=pk, kind=KIND)
    if not permissions.may_view_import_run(request.user, run):
        raise PermissionDenied(_("Only the organisation's members see this import."))
    events = ProgrammeEvent.objects.filter(data__import_run=run.pk).select_related("programme").order_by("pk")
    return render(request, "imports/result.html", {
        "heading": _("Programme import"), "run": run, "events": events[:PREVIEW_ROWS],
        "more_events": max(0, events.count() - PREVIEW_ROWS), "again_url": reverse("providers:import"),
    })


def programme_import_template(request):
    return FileResponse(TEMPLATE_FILE.open("rb"), as_attachment=True, filename="programmes_template.csv",
                        content_type="text/csv; charset=utf-8")
