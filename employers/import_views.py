"""Upload pages for need imports: upload → preview (nothing written) → confirm → result.

An employer's members import into their own organisation only. The uploaded bytes stay on
the server between preview and confirmation (``matchplats.core.importing.upload_store``),
bound to the uploading user's session, and are validated again when the import is confirmed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.importing import NEED_COLUMNS, need_import_file
from employers.models import NeedEvent
from matchplats import permissions
from matchplats.core.importing import (
    ImportFileError,
    import_upload_form_class,
    upload_discard,
    upload_load,
    upload_store,
)
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of

KIND = ImportRun.Kind.NEEDS
TEMPLATE_FILE = Path(settings.BASE_DIR) / "data" / "templates" / "needs_template.csv"
PREVIEW_ROWS = 300
NeedUploadForm = import_upload_form_class()


def _target(user, organisation_id: int | None) -> Organisation:
    if organisation_id is None:
        raise PermissionDenied(_("Choose the employer you import for."))
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if organisation.kind != Organisation.Kind.EMPLOYER or not permissions.may_act_for(user, organisation):
        raise PermissionDenied(_("You can only import needs for organisations you belong to."))
    return organisation


def _form(request, data=None, files=None):
    return NeedUploadForm(data, files, organisations=organisations_of(request.user, kind=Organisation.Kind.EMPLOYER),
                          initial={"organisation": request.GET.get("organisation", "")})


def _page(request, form, *, errors=None, status=200):
    return render(request, "imports/upload.html", {
        "form": form, "errors": errors, "heading": _("Import competence needs"),
        "intro": _("Upload your needs in the needs template (CSV or XLSX). Rows with a reference update the need "
                   "with the same reference; you see what will change before anything is saved."),
        "template_url": reverse("employers:import_template"), "columns": NEED_COLUMNS,
        "has_organisations": bool(form.fields["organisation"].widget.choices),
    }, status=status)


@login_required
def need_import(request):
    if request.method != "POST":
        return _page(request, _form(request))
    form = _form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    organisation = _target(request.user, form.cleaned_data["organisation"])
    upload = form.cleaned_data["file"]
    files = {"main": (upload.name, upload.read())}
    try:
        result = need_import_file(actor=request.user, data=files["main"][1], file_name=upload.name,
                                  organisation=organisation, dry_run=True)
    except ImportFileError as error:
        return _page(request, form, errors=error, status=400)
    token = upload_store(request=request, kind=KIND, organisation_id=organisation.pk, files=files)
    return render(request, "imports/preview.html", {
        "heading": _("Check the import"), "result": result, "organisation": organisation, "token": token,
        "confirm_url": reverse("employers:import_confirm", args=[token]), "back_url": reverse("employers:import"),
        "changed_items": [item for item in result.items if item.action != "unchanged"][:PREVIEW_ROWS],
        "preview_rows": PREVIEW_ROWS, "kind": KIND, "extra_created": result.organisations_created,
        "extra_created_label": _("Employers that will be created"),
    })


@login_required
@require_POST
def need_import_confirm(request, token: str):
    upload = upload_load(request=request, token=token, kind=KIND)
    if upload is None:
        raise Http404(_("This preview has expired or is not yours. Upload the file again."))
    organisation = _target(request.user, upload.organisation_id)
    name, data = upload.files["main"]
    try:
        result = need_import_file(actor=request.user, data=data, file_name=name, organisation=organisation)
    except ImportFileError as error:
        upload_discard(request=request, token=token)
        messages.error(request, _("The file no longer imports cleanly (the data changed since the preview). "
                                  "Nothing was saved."))
        return _page(request, _form(request), errors=error, status=409)
    upload_discard(request=request, token=token)
    messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                     % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    return redirect("employers:import_result", pk=result.import_run.pk)


@login_required
def need_import_result(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("organisation", "actor"), pk=pk, kind=KIND)
    if not permissions.may_view_import_run(request.user, run):
        raise PermissionDenied(_("Only the organisation's members see this import."))
    events = NeedEvent.objects.filter(data__import_run=run.pk).select_related("need").order_by("pk")
    return render(request, "imports/result.html", {
        "heading": _("Need import"), "run": run, "events": events[:PREVIEW_ROWS],
        "more_events": max(0, events.count() - PREVIEW_ROWS), "again_url": reverse("employers:import"),
    })


def need_import_template(request):
    return FileResponse(TEMPLATE_FILE.open("rb"), as_attachment=True, filename="needs_template.csv",
                        content_type="text/csv; charset=utf-8")
