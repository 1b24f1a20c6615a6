from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.models import Need
from employers.selectors import need_visible_to
from matching import evidence, selectors, services
from matching.engine.text import MAX_TEXT_CHARS
from matching.interpret import interpret_need_text
from matchplats import permissions
from matchplats.core import reports
from matchplats.core.params import id_param
from matchplats.organisations.models import Organisation
from providers.models import Programme, ValidationPath
from providers.services import BACKABLE_STATUSES


def need_matches(request, pk: int):
    need = need_visible_to(request.user, pk)
    programmes = selectors.matches_for_need(request.user, need, kind="programme")
    paths = selectors.matches_for_need(request.user, need, kind="validation")
    return render(request, "matching/need_matches.html", {
        "need": need, "programmes": programmes, "validation_paths": paths,
        "can_judge": {m.anchor: permissions.may_give_match_feedback(request.user, need, m.target)
                      for m in programmes.all + paths.all},
        "can_back": bool(permissions.organisation_ids(request.user, kind=Organisation.Kind.EMPLOYER))
        if request.user.is_authenticated else False,
        "backable_statuses": BACKABLE_STATUSES,
    })


def programme_matches(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("provider"), pk=pk)
    matches = selectors.needs_for_programme(request.user, programme, page=id_param(request.GET, "sida") or 1)
    return render(request, "matching/programme_matches.html", {
        "programme": programme, "matches": matches, "query": "",
        "hidden_demand": selectors.hidden_demand_for_programme(request.user, programme),
        "can_judge": {m.anchor: permissions.may_give_match_feedback(request.user, m.target, programme)
                      for m in matches.groups.all},
    })


@login_required
@require_POST
def match_feedback(request):
    # A need the user may not see answers exactly like a need that does not exist (404), so
    # feedback cannot tell whether a hidden need is there.
    need = need_visible_to(request.user, id_param(request.POST, "need") or 0)
    programme_id = id_param(request.POST, "programme")
    if programme_id is not None:
        target = get_object_or_404(Programme, pk=programme_id)
    else:
        target = get_object_or_404(ValidationPath, pk=id_param(request.POST, "validation_path") or 0)
    verdict = request.POST.get("relevant")
    if verdict not in ("yes", "no"):
        return HttpResponseBadRequest(_("Feedback is relevant or not relevant."))
    services.match_feedback_set(user=request.user, need=need, target=target, relevant=verdict == "yes")
    messages.success(request, _("Thank you. The matcher learns from your judgement at its next refit."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


def interpret(request):
    """HTMX: what the free-text description of a need suggests (occupation, place, number, when)."""
    return render(request, "matching/partials/interpretation.html",
                  {"interpretation": interpret_need_text(request.GET.get("beskrivning", "")[:MAX_TEXT_CHARS]),
                   "horizons": Need.Horizon.choices})


EVIDENCE_FORMATS = {
    "pdf": ("application/pdf", reports.render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", reports.render_docx),
}


def _evidence_programme(request, pk: int) -> Programme:
    """A programme whose evidence pack the user may read; anyone else gets 404, as if it had none."""
    programme = get_object_or_404(Programme.objects.select_related("provider").prefetch_related("kommuner"), pk=pk)
    if not permissions.may_download_evidence(request.user, programme):
        raise Http404("No evidence pack.")
    return programme


def programme_evidence(request, pk: int):
    """The evidence pack for a YH application, previewed as HTML with PDF and DOCX downloads."""
    programme = _evidence_programme(request, pk)
    report = evidence.evidence_report(evidence.evidence_pack(request.user, programme, today=timezone.localdate()))
    return render(request, "matching/programme_evidence.html", {"programme": programme, "report": report})


def programme_evidence_file(request, pk: int, file_format: str):
    if file_format not in EVIDENCE_FORMATS:
        raise Http404
    programme = _evidence_programme(request, pk)
    report = evidence.evidence_report(evidence.evidence_pack(request.user, programme, today=timezone.localdate()))
    content_type, render_file = EVIDENCE_FORMATS[file_format]
    response = HttpResponse(render_file(report), content_type=content_type)
    name = f"underlag-{slugify(programme.name)[:60] or programme.pk}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
