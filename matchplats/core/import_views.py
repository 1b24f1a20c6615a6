"""One set of upload pages for every import: upload → preview (nothing written) → confirm → result.

Each app describes its import with an ``ImportKind`` (what it imports, for which kind of
organisation, which function reads the file, which events show the result) and routes its
URLs here (``employers/import_urls.py``, ``providers/import_urls.py``), so the URL names
``<app>:import``, ``<app>:import_confirm``, ``<app>:import_result`` and
``<app>:import_template`` stay the apps' own. The uploaded bytes stay on the server between
preview and confirmation (``upload_store``), bound to the uploader's session; the confirmation
checks the permission and the daily bounds again and reads and validates the file again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from matchplats import permissions
from matchplats.core.exports import CSV_DELIMITER, table_response
from matchplats.core.import_plans import ChangeLine, change_lines
from matchplats.core.importing import (
    ImportFileError,
    ImportResult,
    import_quota_check,
    import_upload_form_class,
    upload_discard,
    upload_load,
    upload_store,
)
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of

PREVIEW_ROWS = 300  # new and changed rows listed on the preview and result pages; the rest are counted
_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class ImportKind:
    """What one kind of import needs from the shared pages."""

    kind: str  # ImportRun.Kind
    namespace: str  # URL namespace: "employers", "providers"
    organisation_kind: str  # Organisation.Kind the import is for
    heading: str  # lazy strings from here on
    intro: str
    result_heading: str
    not_allowed: str
    choose_organisation: str
    template_file: Path
    export_url_name: str  # the export with the same columns, filtered with ?organisation=<id>
    columns: list[str]
    # run(actor=, organisation=, files=, dry_run=, item_limit=) → ImportResult; files: role → (name, bytes)
    run: Callable[..., ImportResult]
    event_model: type[models.Model]  # its rows carry data["import_run"]
    event_subject: str  # the event's foreign key to what was imported: "need", "programme"
    created_names: Callable[[ImportResult], list[str]]
    created_label: str
    change_headers: dict[str, str]  # column key or field → the header the export writes
    change_words: Callable[[], dict[str, Callable]]  # field → how its stored values are written
    form_class: type[forms.Form] = field(default_factory=import_upload_form_class)
    may_import_for_any: Callable[..., bool] = lambda user: False
    any_label: str = ""


def _target(spec: ImportKind, user, organisation_id: int | None) -> Organisation | None:
    """The organisation the import is for, checked with the permission helpers (403 otherwise)."""
    if organisation_id is None:
        if not spec.may_import_for_any(user):
            raise PermissionDenied(spec.choose_organisation)
        return None
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if organisation.kind != spec.organisation_kind or not permissions.may_act_for(user, organisation):
        raise PermissionDenied(spec.not_allowed)
    return organisation


def _form(spec: ImportKind, request, data=None, files=None):
    user = request.user
    return spec.form_class(data, files, organisations=organisations_of(user, kind=spec.organisation_kind),
                           allow_any=spec.may_import_for_any(user), any_label=spec.any_label,
                           initial={"organisation": request.GET.get("organisation", "")})


def _page(spec: ImportKind, request, form, *, errors=None, status=200):
    exports = [(organisation.name, *(
        f"{reverse(spec.export_url_name, args=[file_format])}?"
        f"{urlencode({'organisation': organisation.pk, 'status': ''})}" for file_format in ("csv", "xlsx")))
        for organisation in organisations_of(request.user, kind=spec.organisation_kind)]
    return render(request, "imports/upload.html", {
        "form": form, "errors": errors, "heading": spec.heading, "intro": spec.intro,
        "template_url": reverse(f"{spec.namespace}:import_template"),
        "template_xlsx_url": reverse(f"{spec.namespace}:import_template_xlsx"), "columns": spec.columns,
        "exports": exports,
        "has_organisations": bool(form.fields["organisation"].widget.choices),
        # each problem with its column named as in the export and the template (“Antal”, not “headcount”)
        "problems": [(problem, spec.change_headers.get(problem.column, problem.column))
                     for problem in (errors.errors if errors else [])],
    }, status=status)


@login_required
def import_upload(request, *, spec: ImportKind):
    if request.method != "POST":
        return _page(spec, request, _form(spec, request))
    form = _form(spec, request, request.POST, request.FILES)
    if not form.is_valid():
        return _page(spec, request, form, status=400)
    organisation = _target(spec, request.user, form.cleaned_data["organisation"])
    files = {role: (upload.name, upload.read()) for role, upload in form.cleaned_data.items()
             if role != "organisation" and upload}
    files["main"] = files.pop("file")
    try:
        import_quota_check(organisation=organisation)
        result = spec.run(actor=request.user, organisation=organisation, files=files, dry_run=True,
                          item_limit=PREVIEW_ROWS)
        import_quota_check(organisation=organisation, rows=result.rows)
    except ImportFileError as error:
        return _page(spec, request, form, errors=error, status=400)
    token = upload_store(request=request, kind=spec.kind, organisation_id=organisation.pk if organisation else None,
                         files=files, rows=result.rows)
    return render(request, "imports/preview.html", {
        "heading": _("Check the import"), "result": result, "organisation": organisation, "token": token,
        "confirm_url": reverse(f"{spec.namespace}:import_confirm", args=[token]),
        "back_url": reverse(f"{spec.namespace}:import"),
        "changed_items": _with_change_lines(spec, [(item, item.changes) for item in result.items]),
        "more_changed": result.created + result.updated - len(result.items), "kind": spec.kind,
        "extra_created": spec.created_names(result), "extra_created_label": spec.created_label,
    })


@login_required
@require_POST
def import_confirm(request, token: str, *, spec: ImportKind):
    upload = upload_load(request=request, token=token, kind=spec.kind)
    if upload is None:
        raise Http404(_("This preview has expired or is not yours. Upload the file again."))
    organisation = _target(spec, request.user, upload.organisation_id)
    try:
        import_quota_check(organisation=organisation, rows=upload.rows)
        result = spec.run(actor=request.user, organisation=organisation, files=upload.files, dry_run=False,
                          item_limit=0)
    except ImportFileError as error:
        upload_discard(request=request, token=token)
        messages.error(request, _("The file no longer imports cleanly (the data changed since the preview). "
                                  "Nothing was saved."))
        return _page(spec, request, _form(spec, request), errors=error, status=409)
    upload_discard(request=request, token=token)
    messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                     % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    return redirect(f"{spec.namespace}:import_result", pk=result.import_run.pk)


@login_required
@require_safe
def import_result(request, pk: int, *, spec: ImportKind):
    run = get_object_or_404(ImportRun.objects.select_related("organisation", "actor"), pk=pk, kind=spec.kind)
    if not permissions.may_view_import_run(request.user, run):
        raise PermissionDenied(_("Only the organisation's members see this import."))
    events = spec.event_model.objects.filter(data__import_run=run.pk).select_related(spec.event_subject)
    shown = list(events.order_by("data__row", "pk")[:PREVIEW_ROWS])  # in the order of the file
    return render(request, "imports/result.html", {
        "heading": spec.result_heading, "run": run,
        "events": _with_change_lines(spec, [(event, event.data.get("changes") or {}) for event in shown]),
        "more_events": max(0, events.count() - len(shown)) if len(shown) == PREVIEW_ROWS else 0,
        "again_url": reverse(f"{spec.namespace}:import"),
    })


def _with_change_lines(spec: ImportKind, rows: list[tuple[object, dict]]) -> list[tuple[object, list[ChangeLine]]]:
    """Each planned row or event with its changes in the words of the file."""
    words = spec.change_words()
    return [(row, change_lines(changes, headers=spec.change_headers, words=words)) for row, changes in rows]


@require_safe
def import_template(request, *, spec: ImportKind, file_format: str = "csv"):
    """The template as it is (semicolon CSV with a byte-order mark), or the same rows as a workbook."""
    if file_format == "csv":
        return FileResponse(spec.template_file.open("rb"), as_attachment=True, filename=spec.template_file.name,
                            content_type="text/csv; charset=utf-8")
    text = spec.template_file.read_text(encoding="utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=CSV_DELIMITER)
    return table_response(header=header, rows=([_template_cell(cell) for cell in row] for row in rows),
                          file_stem=spec.template_file.stem, file_format=file_format)


def _template_cell(text: str) -> str | int:
    """A whole number as a number, so a spreadsheet does not mark it as "number stored as text";
    codes with a leading zero (SSYK 0110, kommun 0180) stay text."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else text
