import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from employers import selectors, services
from employers.forms import NeedFilterForm, NeedForm
from employers.importing import NEED_HEADERS, need_table_row
from employers.models import Need
from matchplats import permissions
from matchplats.core.exports import FORMATS, table_response
from matchplats.core.forms import apply_validation_error, more_filters_open, query_without_page
from matchplats.core.params import id_param, is_plain_number, search_param
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of
from matchplats.taxonomy.forms import picker_texts
from matchplats.taxonomy.models import OccupationName, Skill, SsykGroup
from matchplats.taxonomy.selectors import labour_market_for, occupations_search, skills_for_ssyk4, skills_search


@require_safe
def need_list(request):
    form = NeedFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "employers/need_list.html", {"form": form, "page": None, "figure": None,
                                                             "query": "", "can_create": False,
                                                             "more_filters_open": True}, status=400)
    filters = form.filters()
    today = timezone.localdate()
    needs = selectors.needs_filtered(selectors.needs_visible_to(request.user), filters, today=today)
    page = Paginator(needs.order_by("needed_by", "title"), 25).get_page(request.GET.get("sida"))
    return render(request, "employers/need_list.html", {
        "form": form,
        "page": page,
        "figure": selectors.need_figure(request.user, filters, today=today),
        "structured": filters.structured,
        "more_filters_open": more_filters_open(form, defaults={"status": Need.Status.ACTIVE}),
        "min_employers": permissions.MIN_HIDDEN_EMPLOYERS,
        "query": query_without_page(request),
        "can_create": bool(permissions.organisation_ids(request.user, kind=Organisation.Kind.EMPLOYER)),
        "to_confirm": selectors.needs_to_confirm_count(request.user, today=today),
    })


def _int_or_none(value: str | None) -> int | None:
    return int(value) if is_plain_number(value) else None


@require_safe
def need_export(request, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    form = NeedFilterForm(request.GET or None, user=request.user)
    # ?organisation=<id>: one employer's needs, e.g. one's own to edit and import again.
    filters = dataclasses.replace(form.filters(), organisation=_int_or_none(request.GET.get("organisation")))
    needs = selectors.needs_filtered(selectors.needs_visible_to(request.user), filters,
                                     today=timezone.localdate()).order_by("needed_by", "title")
    needs = needs.select_related("organisation", "ssyk4", "occupation_name", "kommun", "lan").prefetch_related(
        "skills")
    rows = (need_table_row(need) for need in needs)
    return table_response(header=NEED_HEADERS, rows=rows, file_stem="kompetensbehov", file_format=file_format)


@require_safe
def need_detail(request, pk: int):
    need = selectors.need_visible_to(request.user, pk)
    can_edit = permissions.may_edit_need(request.user, need)
    return render(request, "employers/need_detail.html", {
        "need": need,
        "can_edit": can_edit,
        "history": selectors.need_history(need=need) if can_edit else [],
        "remaining": selectors.remaining_horizon(needed_by=need.needed_by, today=timezone.localdate()),
        "labour_market": labour_market_for(ssyk4_codes=[need.ssyk4.code], lan=need.lan),
        "statuses": Need.Status.choices,
    })


def _form_fields(form: NeedForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("organisation")
    return data


@login_required
def need_create(request):
    employers = organisations_of(request.user, kind=Organisation.Kind.EMPLOYER)
    if not employers:
        messages.info(request, _("Create or join an employer organisation to register needs."))
        return redirect("organisations:list")
    form = NeedForm(request.POST or None, employers=employers,
                    initial={"horizon": Need.Horizon.WITHIN_1Y, "visibility": "public", "headcount": 1})
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(actor=request.user, organisation=form.cleaned_data["organisation"],
                                        **_form_fields(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The need was registered."))
            return redirect("employers:detail", pk=need.pk)
    return render(request, "employers/need_form.html", {"form": form, "need": None, **_picker_context(form)})


def _need_for_edit(request, pk: int) -> Need:
    """404 for a need the user may not even see, 403 for one they see but may not change."""
    need = selectors.need_visible_to(request.user, pk)
    if not permissions.may_edit_need(request.user, need):
        raise PermissionDenied(_("Only the employer's members change its needs."))
    return need


@login_required
def need_edit(request, pk: int):
    need = _need_for_edit(request, pk)
    initial = {field: getattr(need, field) for field in services.TRACKED_FIELDS if field != "needed_by"}
    initial.update(organisation=need.organisation_id, skills=list(need.skills.all()),
                   lan=None if need.kommun_id else need.lan)
    form = NeedForm(request.POST or None, employers=[need.organisation], initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _form_fields(form)
        skills = fields.pop("skills")
        try:
            services.need_update(need=need, actor=request.user, skills=skills, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The need was saved."))
            return redirect("employers:detail", pk=need.pk)
    return render(request, "employers/need_form.html", {"form": form, "need": need, **_picker_context(form)})


@login_required
@require_POST
def need_status(request, pk: int):
    need = _need_for_edit(request, pk)
    try:
        services.need_set_status(need=need, actor=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status was changed."))
    return redirect("employers:detail", pk=need.pk)


@login_required
@require_POST
def need_confirm(request, pk: int):
    need = _need_for_edit(request, pk)
    try:
        need = services.need_confirm(need=need, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. The need is confirmed and valid until %(date)s.")
                         % {"date": need.valid_until.isoformat()})
    return redirect("employers:detail", pk=need.pk)


def _picker_context(form: NeedForm) -> dict:
    """What the occupation picker shows for the group currently chosen in the form."""
    value = form["ssyk4"].value()
    ssyk4 = SsykGroup.objects.filter(pk=value, level=4).first() if is_plain_number(str(value or "")) else None
    occupation_value = form["occupation_name"].value()
    occupation = OccupationName.objects.filter(pk=occupation_value).first() if is_plain_number(str(occupation_value or "")) else None
    chosen = {int(getattr(v, "pk", v)) for v in (form["skills"].value() or []) if is_plain_number(str(getattr(v, "pk", v)))}
    related = list(skills_for_ssyk4(ssyk4)) if ssyk4 else []
    related_ids = {skill.pk for skill in related}
    return {"picked_ssyk4": ssyk4, "picked_occupation": occupation, "related_skills": related,
            "chosen_skill_ids": chosen, "picker_texts": picker_texts(),
            "other_chosen_skills": Skill.objects.filter(pk__in=chosen - related_ids).order_by("label")}


@require_safe
def occupation_search(request):
    """HTMX: occupation names and SSYK groups matching what the user typed."""
    return render(request, "employers/partials/occupation_hits.html",
                  {"hits": occupations_search(search_param(request.GET, "yrke"))})


@require_safe
def occupation_pick(request):
    """HTMX: the picked occupation as hidden fields, and the group's related skills offered first."""
    occupation_id, ssyk4_id = id_param(request.GET, "occupation"), id_param(request.GET, "ssyk4")
    occupation = OccupationName.objects.select_related("ssyk4").filter(pk=occupation_id).first() if occupation_id else None
    ssyk4 = occupation.ssyk4 if occupation else get_object_or_404(SsykGroup, pk=ssyk4_id or 0, level=4)
    return render(request, "employers/partials/occupation_picked.html", {
        "picked_ssyk4": ssyk4, "picked_occupation": occupation, "related_skills": skills_for_ssyk4(ssyk4),
        "chosen_skill_ids": set(), "picker_texts": picker_texts(),
    })


@require_safe
def skill_search(request):
    """HTMX: other skills matching what the user typed; ticking one adds it to the chosen skills."""
    return render(request, "employers/partials/skill_hits.html", {"skills": skills_search(search_param(request.GET, "kompetens"))})


@require_safe
def skill_chosen(request):
    """HTMX: one chosen skill as a ticked checkbox that the need form submits."""
    skill = get_object_or_404(Skill, pk=id_param(request.GET, "skill") or 0)
    return render(request, "employers/partials/skill_chosen.html", {"skill": skill})
