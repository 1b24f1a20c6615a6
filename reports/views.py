from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from matching.dimensioning import DEFAULT_HORIZON
from matchplats import permissions
from matchplats.core.reports import Chart, Table
from matchplats.taxonomy.models import Lan
from reports.documents import regional_report_document, regional_report_docx, regional_report_pdf
from reports.forms import ReportFilterForm
from reports.selectors import regional_report


def _require_viewer(request) -> None:
    if not permissions.may_view_regional_report(request.user):
        raise PermissionDenied(_("The status report is for regional coordinators and platform staff."))


def _report(request, lan_code: str):
    """The report for the län and the filter of the request, or the form with its errors."""
    if not Lan.objects.filter(code=lan_code).exists():
        raise Http404
    data = request.GET.copy()
    data.setdefault("horizon", DEFAULT_HORIZON)
    form = ReportFilterForm(data)
    if not form.is_valid():
        return form, None
    return form, regional_report(user=request.user, lan_code=lan_code, today=timezone.localdate(),
                                 horizon=form.cleaned_data["horizon"])


def _paired(blocks) -> list[tuple[object, object | None]]:
    """The blocks with each chart paired with the table that follows it, so the page shows them
    side by side; other blocks stand alone (second item None)."""
    items, index = [], 0
    while index < len(blocks):
        block, following = blocks[index], blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Chart) and isinstance(following, Table):
            items.append((block, following))
            index += 2
        else:
            items.append((block, None))
            index += 1
    return items


@login_required
@require_safe
def index(request):
    _require_viewer(request)
    mine = permissions.coordinator_lan_ids(request.user)
    lans = list(Lan.objects.order_by("label"))
    return render(request, "reports/index.html", {
        "my_lans": [lan for lan in lans if lan.pk in mine], "other_lans": [lan for lan in lans if lan.pk not in mine],
    })


@login_required
@require_safe
def lan_report(request, lan_code: str):
    _require_viewer(request)
    form, report = _report(request, lan_code)
    if report is None:
        return render(request, "reports/lan_report.html", {"form": form, "document": None}, status=400)
    document = regional_report_document(report)
    return render(request, "reports/lan_report.html", {
        "form": form, "report": report, "document": document, "items": _paired(document.blocks),
    })


FILE_FORMATS = {
    "pdf": (regional_report_pdf, "application/pdf"),
    "docx": (regional_report_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@login_required
@never_cache
@require_safe
def lan_report_file(request, lan_code: str, file_format: str):
    _require_viewer(request)
    form, report = _report(request, lan_code)
    if report is None:
        return HttpResponseBadRequest(" ".join(m for errors in form.errors.values() for m in errors))
    render, content_type = FILE_FORMATS[file_format]
    response = HttpResponse(render(report), content_type=content_type)
    name = f"lagesrapport-{report.lan.code}-{report.today}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
