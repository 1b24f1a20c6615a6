from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.models import Need
from employers.selectors import need_visible_to
from matching import selectors, services
from matching.engine.text import MAX_TEXT_CHARS
from matching.interpret import interpret_need_text
from matchplats import permissions
from matchplats.core.params import id_param
from providers.models import Programme, ValidationPath


def need_matches(request, pk: int):
    need = need_visible_to(request.user, pk)
    programmes = selectors.matches_for_need(request.user, need, kind="programme")
    paths = selectors.matches_for_need(request.user, need, kind="validation")
    return render(request, "matching/need_matches.html", {
        "need": need, "programmes": programmes, "validation_paths": paths,
        "can_judge": {m.anchor: permissions.may_give_match_feedback(request.user, need, m.target)
                      for m in programmes.all + paths.all},
    })


def programme_matches(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("provider"), pk=pk)
    matches = selectors.needs_for_programme(request.user, programme, page=id_param(request.GET, "sida") or 1)
    return render(request, "matching/programme_matches.html", {
        "programme": programme, "matches": matches, "query": "",
        "hidden_demand": selectors.hidden_demand_for_programme(request.user, programme, today=timezone.localdate()),
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
