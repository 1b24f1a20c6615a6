from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from employers.models import Need
from employers.selectors import need_visible_to
from matching import evidence, selectors, services
from matching.dimensioning import (
    DEFAULT_HORIZON,
    DimensioningRow,
    DimensioningTable,
    dimensioning_page,
    export_tables,
)
from matching.dimensioning_charts import lan_chart, occupation_chart, trend_chart
from matching.engine.text import MAX_TEXT_CHARS
from matching.forms import DimensioningFilterForm
from matching.interpret import interpret_need_text
from matchplats import permissions
from matchplats.core import reports
from matchplats.core.exports import FORMATS, table_response
from matchplats.core.params import id_param
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import memberships_of
from providers.models import Programme, ValidationPath
from providers.services import BACKABLE_STATUSES


@require_safe
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
        "may_follow": permissions.may_follow_need(request.user, need),
        "following": selectors.digest_following(request.user, need=need),
    })


@require_safe
def programme_matches(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("provider"), pk=pk)
    matches = selectors.needs_for_programme(request.user, programme, page=id_param(request.GET, "sida") or 1)
    return render(request, "matching/programme_matches.html", {
        "programme": programme, "matches": matches, "query": "",
        "hidden_demand": selectors.hidden_demand_for_programme(request.user, programme, today=timezone.localdate()),
        "can_judge": {m.anchor: permissions.may_give_match_feedback(request.user, m.target, programme)
                      for m in matches.groups.all},
        "may_follow": permissions.may_follow_programme(request.user, programme),
        "following": selectors.digest_following(request.user, programme=programme),
    })


@require_safe
def programme_reading(request, pk: int):
    """How the matching reads a programme that names no target occupation, for the programme's
    page: loaded there by URL name, so providers never imports matching. Everyone who sees the
    programme sees the reading; those who may edit it also get the form to confirm it."""
    programme = get_object_or_404(Programme.objects.select_related("provider"), pk=pk)
    occupations = list(programme.target_occupations.all())
    template = ("matching/partials/programme_reading.html" if request.headers.get("HX-Request")
                else "matching/programme_reading.html")
    return render(request, template, {
        "programme": programme, "occupations": occupations,
        "reading": None if occupations else selectors.programme_reading(programme),
        "can_confirm": permissions.may_edit_programme(request.user, programme),
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
    return redirect(_next_url(request))


def _next_url(request) -> str:
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return next_url


@login_required
@require_POST
def digest_follow(request):
    """Follow (``follow=yes``) or stop following (``no``) the new matches of a need or programme."""
    programme_id = id_param(request.POST, "programme")
    if programme_id is not None:
        subject = {"programme": get_object_or_404(Programme, pk=programme_id)}
    else:
        subject = {"need": need_visible_to(request.user, id_param(request.POST, "need") or 0)}
    choice = request.POST.get("follow")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest(_("Choose to follow or to stop following."))
    if choice == "yes":
        services.digest_subscribe(user=request.user, **subject)
        messages.success(request, _("You now follow its new matches."))
    else:
        services.digest_stop_following(user=request.user, **subject)
        messages.success(request, _("You no longer get e-mail about its new matches."))
    return redirect(_next_url(request))


def digest_unsubscribe(request, token: str):
    """The unsubscribe link of the digest e-mail: works without signing in (the token is signed).
    A GET only shows what will stop; the button posts."""
    try:
        unsubscribe = selectors.digest_unsubscribe_of(token)
    except ValidationError as error:
        return render(request, "matching/unsubscribe.html", {"error": error.messages[0]}, status=400)
    stopped = None
    if request.method == "POST":
        stopped = services.digest_unsubscribe(subscriptions=unsubscribe.subscriptions)
    return render(request, "matching/unsubscribe.html", {"unsubscribe": unsubscribe, "stopped": stopped})


@require_safe
def interpret(request):
    """HTMX: what the free-text description of a need suggests (occupation, place, number, when)."""
    return render(request, "matching/partials/interpretation.html",
                  {"interpretation": interpret_need_text(request.GET.get("beskrivning", "")[:MAX_TEXT_CHARS]),
                   "horizons": Need.Horizon.choices})


# --- dimensioning -------------------------------------------------------------------------------


def _default_lan_code(user) -> str:
    """The county the page opens on: the one the user coordinates, else that of their first
    organisation, else the first county."""
    from matchplats.taxonomy.models import Lan

    lan_ids = sorted(permissions.coordinator_lan_ids(user))
    if not lan_ids:
        for membership in memberships_of(user):
            organisation = membership.organisation
            lan_id = organisation.lan_id or (organisation.kommun.lan_id if organisation.kommun_id else None)
            if lan_id:
                lan_ids = [lan_id]
                break
    lan = Lan.objects.filter(pk__in=lan_ids).first() if lan_ids else Lan.objects.order_by("code").first()
    return lan.code if lan else ""


def _dimensioning_form(request) -> DimensioningFilterForm:
    if not permissions.may_view_dimensioning(request.user):
        raise PermissionDenied(_("The dimensioning page is for members of an organisation on the platform."))
    params = request.GET.copy()
    if not params.get("lan"):
        params["lan"] = _default_lan_code(request.user)
    params.setdefault("horizon", DEFAULT_HORIZON)
    return DimensioningFilterForm(params)


@login_required
@require_safe
def dimensioning(request):
    form = _dimensioning_form(request)
    if not form.is_valid():
        return render(request, "matching/dimensioning.html", {"form": form, "page": None}, status=400)
    page = dimensioning_page(user=request.user, filters=form.filters(), today=timezone.localdate())
    table = page.table
    urls = {"employers:list": reverse("employers:list"), "providers:list": reverse("providers:list")}
    return render(request, "matching/dimensioning.html", {
        "form": form, "page": page, "table": table, "query": form_query(form),
        "rows": [(row, drill_down_links(table, row, urls=urls)) for row in table.rows],
        "fields": [(row, drill_down_links(table, row, urls=urls)) for row in table.fields],
        "total_links": drill_down_links(table, table.total, urls=urls),
        "charts": {"occupations": mark_safe(occupation_chart(page.table).to_svg()),
                   "lan": mark_safe(lan_chart(page.lan_gaps, current=page.table.lan.code).to_svg()),
                   "trend": mark_safe(trend_chart(page.trend).to_svg())},
    })


@login_required
@require_safe
def dimensioning_export(request, table_name: str, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    form = _dimensioning_form(request)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(m for errors in form.errors.values() for m in errors))
    page = dimensioning_page(user=request.user, filters=form.filters(), today=timezone.localdate())
    tables = export_tables(table=page.table, lan_gaps=page.lan_gaps, trend=page.trend)
    if table_name not in tables:
        raise Http404
    header, rows = tables[table_name]
    return table_response(header=header, rows=rows, file_stem=f"dimensionering-{table_name}-{page.table.lan.code}",
                          file_format=file_format)


def form_query(form: DimensioningFilterForm) -> str:
    """The page's filter as a query string (with the defaults filled in), for export links."""
    data = form.cleaned_data
    return urlencode({key: value for key, value in {
        "lan": data["lan"].code, "kommun": data["kommun"].pk if data["kommun"] else "",
        "occupation_field": data["occupation_field"].pk if data["occupation_field"] else "",
        "horizon": data["horizon"], "form": data["form"]}.items() if value})


def drill_down_links(table: DimensioningTable, row: DimensioningRow, *, urls: dict[str, str] | None = None
                     ) -> dict[str, str]:
    """Links from a row's figures to the needs and programmes behind them: the existing list
    pages with their GET filters (the lists show only what the viewer may read). ``urls``: the
    two list pages' paths, reversed once per page rather than once per link."""
    urls = urls or {name: reverse(name) for name in ("employers:list", "providers:list")}
    place = {"lan": table.lan.pk}
    if len(table.kommuner) == 1:
        place["kommun"] = table.kommuner[0].pk
    occupation = {}
    if row.ssyk4_code:
        occupation["ssyk"] = row.ssyk4_code
    elif row.occupation_field_id:
        occupation["occupation_field"] = row.occupation_field_id
    elif table.occupation_field:
        occupation["occupation_field"] = table.occupation_field.pk
    needs = {**place, **occupation, "senast": table.filters.horizon, "efterfragan": "on", "status": "active"}
    programmes = {**place, **occupation}
    if table.filters.form:
        programmes["form"] = table.filters.form

    # Two query strings per row; the variants only append a fixed parameter (hundreds of rows
    # with eight links each made urlencode a tenth of the page's time).
    need_list = f"{urls['employers:list']}?{urlencode(needs)}"
    programme_list = f"{urls['providers:list']}?{urlencode(programmes)}"
    return {
        "demand": need_list,
        "recruitment": f"{need_list}&purpose=recruitment",
        "upskilling": f"{need_list}&purpose=upskilling",
        "validation_accepted": f"{need_list}&oppen_for=validation_accepted",
        "language_integrated_welcome": f"{need_list}&oppen_for=language_integrated_welcome",
        "broadened_recruitment": f"{need_list}&oppen_for=broadened_recruitment",
        "supply": f"{programme_list}&planerat=on",
        "applied": f"{programme_list}&status=applied",
    }


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


@require_safe
def programme_evidence(request, pk: int):
    """The evidence pack for a YH application, previewed as HTML with PDF and DOCX downloads."""
    programme = _evidence_programme(request, pk)
    report = evidence.evidence_report(evidence.evidence_pack(request.user, programme, today=timezone.localdate()))
    return render(request, "matching/programme_evidence.html", {"programme": programme, "report": report})


@require_safe
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
