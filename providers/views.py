import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from matchplats import permissions
from matchplats.core.exports import FORMATS, table_response
from matchplats.core.forms import apply_validation_error, more_filters_open, query_without_page
from matchplats.core.params import id_param, is_plain_number
from matchplats.organisations.models import Organisation
from matchplats.organisations.selectors import organisations_of
from providers import selectors, services
from providers.forms import (
    BackingForm,
    IntakeFormSet,
    ProgrammeFilterForm,
    ProgrammeForm,
    ValidationFilterForm,
    ValidationPathForm,
)
from providers.importing import PROGRAMME_HEADERS, programme_table_row
from providers.models import Programme, ProgrammeBacking, ValidationPath


@require_safe
def programme_list(request):
    form = ProgrammeFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "providers/programme_list.html", {"form": form, "page": None, "query": "",
                                                                  "can_create": False, "more_filters_open": True},
                      status=400)
    programmes = selectors.programmes_filtered(selectors.programmes_listed(), form.filters()).order_by("name", "pk")
    page = Paginator(programmes, 25).get_page(request.GET.get("sida"))
    return render(request, "providers/programme_list.html", {
        "form": form,
        "page": page,
        "backers": selectors.backer_counts(request.user, page.object_list),
        "more_filters_open": more_filters_open(form),
        "query": query_without_page(request),
        "can_create": bool(organisations_of(request.user, kind=Organisation.Kind.PROVIDER)),
        "without_occupations": (selectors.programmes_without_occupations_count(form.provider_ids)
                                if form.provider_ids else 0),
    })


@require_safe
def programme_export(request, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    form = ProgrammeFilterForm(request.GET or None, user=request.user)
    # ?organisation=<id>: one provider's programmes, e.g. one's own to edit and import again.
    provider = request.GET.get("organisation", "")
    filters = dataclasses.replace(form.filters(), provider=int(provider) if is_plain_number(provider) else None)
    programmes = selectors.programmes_filtered(selectors.programmes_listed(), filters).order_by("name", "pk")
    programmes = programmes.select_related("provider", "sun_field").prefetch_related(
        "target_occupations", "kommuner", "intakes")
    rows = (programme_table_row(programme) for programme in programmes)
    return table_response(header=PROGRAMME_HEADERS, rows=rows, file_stem="utbildningar", file_format=file_format)


@require_safe
def programme_detail(request, pk: int):
    programme = selectors.programme_detail(pk)
    can_edit = permissions.may_edit_programme(request.user, programme)
    can_see_backers = permissions.may_view_programme_backers(request.user, programme)
    return render(request, "providers/programme_detail.html", {
        "programme": programme, "can_edit": can_edit,
        "history": selectors.programme_history(programme=programme) if can_edit else [],
        "can_see_backers": can_see_backers,
        "backings": selectors.programme_backings(programme) if can_see_backers else [],
        "own_backings": selectors.own_backings(request.user, programme),
        "backable": programme.status in services.BACKABLE_STATUSES,
    })


def _intake_initial(programme: Programme) -> list[dict]:
    return [{"start_date": i.start_date, "places": i.places, "application_deadline": i.application_deadline}
            for i in programme.intakes.all()]


def _programme_form_page(request, *, programme: Programme | None, providers: list[Organisation]):
    form = ProgrammeForm(request.POST or None, instance=programme)
    intakes = IntakeFormSet(request.POST or None, prefix="intakes",
                            initial=_intake_initial(programme) if programme else None)
    provider_id = request.POST.get("provider") if programme is None else programme.provider_id
    if request.method == "POST" and form.is_valid() and intakes.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PROGRAMME_FIELDS}
        relations = {"target_occupations": form.cleaned_data["target_occupations"],
                     "kommuner": form.cleaned_data["kommuner"], "intakes": intakes.specs()}
        try:
            if programme is None:
                provider = next((p for p in providers if str(p.pk) == str(provider_id)), None)
                if provider is None:
                    raise PermissionDenied(_("You can only post programmes for organisations you belong to."))
                fields.pop("name")
                programme = services.programme_create(actor=request.user, provider=provider,
                                                      name=form.cleaned_data["name"], **relations, **fields)
            else:
                services.programme_update(programme=programme, actor=request.user, **relations, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("providers:detail", pk=programme.pk)
    return render(request, "providers/programme_form.html",
                  {"form": form, "intakes": intakes, "programme": programme, "providers": providers,
                   "provider_id": str(provider_id or (providers[0].pk if providers else ""))})


@login_required
def programme_create(request):
    providers = organisations_of(request.user, kind=Organisation.Kind.PROVIDER)
    if not providers:
        messages.info(request, _("Create or join an education provider to post programmes."))
        return redirect("organisations:list")
    return _programme_form_page(request, programme=None, providers=providers)


@login_required
def programme_edit(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.may_edit_programme(request.user, programme):
        raise PermissionDenied(_("Only the provider's members change its programmes."))
    return _programme_form_page(request, programme=programme, providers=[programme.provider])


@login_required
@require_POST
def programme_occupations_confirm(request, pk: int):
    """Confirm SSYK groups, as the matching reads the programme on its page, as its target occupations."""
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.may_edit_programme(request.user, programme):
        raise PermissionDenied(_("Only the provider's members change its programmes."))
    try:
        services.programme_target_occupations_confirm(programme=programme, actor=request.user,
                                                      codes=request.POST.getlist("ssyk4"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The target occupations were saved."))
    return redirect("providers:detail", pk=programme.pk)


@require_safe
def validation_list(request):
    form = ValidationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "providers/validation_list.html", {"form": form, "page": None, "query": "",
                                                                   "can_create": False}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    paths = selectors.validation_paths_listed(
        text=data.get("q", "").strip(), ssyk=data.get("ssyk", ""),
        kommun=data["kommun"].pk if data.get("kommun") else None, method=data.get("method", ""),
    ).order_by("name")
    return render(request, "providers/validation_list.html", {
        "form": form, "page": Paginator(paths, 25).get_page(request.GET.get("sida")),
        "query": query_without_page(request), "can_create": bool(organisations_of(request.user, kind=Organisation.Kind.PROVIDER)),
    })


@require_safe
def validation_detail(request, pk: int):
    path = get_object_or_404(ValidationPath.objects.select_related("organiser"), pk=pk)
    return render(request, "providers/validation_detail.html",
                  {"path": path, "can_edit": permissions.may_edit_validation_path(request.user, path)})


def _validation_form_page(request, *, path: ValidationPath | None, providers: list[Organisation]):
    form = ValidationPathForm(request.POST or None, instance=path)
    organiser_id = request.POST.get("organiser") if path is None else path.organiser_id
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        occupations, kommuner = data.pop("occupations"), data.pop("kommuner")
        try:
            if path is None:
                organiser = next((p for p in providers if str(p.pk) == str(organiser_id)), None)
                if organiser is None:
                    raise PermissionDenied(_("You can only post validation paths for organisations you belong to."))
                path = services.validation_path_create(actor=request.user, organiser=organiser,
                                                       occupations=occupations, kommuner=kommuner, **data)
            else:
                services.validation_path_update(path=path, actor=request.user, occupations=occupations,
                                                kommuner=kommuner, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The validation path was saved."))
            return redirect("providers:validation_detail", pk=path.pk)
    return render(request, "providers/validation_form.html",
                  {"form": form, "path": path, "providers": providers,
                   "organiser_id": str(organiser_id or (providers[0].pk if providers else ""))})


@login_required
def validation_create(request):
    providers = organisations_of(request.user, kind=Organisation.Kind.PROVIDER)
    if not providers:
        messages.info(request, _("Create or join an education provider to post validation paths."))
        return redirect("organisations:list")
    return _validation_form_page(request, path=None, providers=providers)


@login_required
def validation_edit(request, pk: int):
    path = get_object_or_404(ValidationPath, pk=pk)
    if not permissions.may_edit_validation_path(request.user, path):
        raise PermissionDenied(_("Only the organiser's members change its validation paths."))
    return _validation_form_page(request, path=path, providers=[path.organiser])


def _next_url(request, default: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return default


@login_required
def programme_backing(request, pk: int):
    """State or change an employer's backing of a programme (LIA places, letter of intent, contact)."""
    programme = selectors.programme_detail(pk)
    own = selectors.own_backings(request.user, programme)
    if not own:
        raise PermissionDenied(_("Only members of an employer organisation back programmes."))
    employers = [entry.employer for entry in own]
    current = next((entry.backing for entry in own if entry.active), None)
    form = BackingForm(request.POST or None, employers=employers, initial=BackingForm.initial_from(current))
    back = _next_url(request, reverse("providers:detail", args=[programme.pk]))
    if request.method == "POST" and form.is_valid():
        employer = next(org for org in employers if org.pk == form.cleaned_data["employer"])
        try:
            services.programme_backing_set(
                actor=request.user, programme=programme, employer=employer,
                lia_places=form.cleaned_data["lia_places"] or 0, letter=form.letter(),
                contact_requested=form.cleaned_data["contact_requested"],
                link=request.build_absolute_uri(reverse("providers:detail", args=[programme.pk])),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your backing of the programme was saved."))
            return redirect(back)
    return render(request, "providers/programme_backing.html", {
        "programme": programme, "form": form, "own": own, "next": back,
        "backable": programme.status in services.BACKABLE_STATUSES,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def programme_backing_withdraw(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    backing = get_object_or_404(ProgrammeBacking, programme=programme, pk=id_param(request.POST, "backing") or 0)
    try:
        services.programme_backing_withdraw(actor=request.user, backing=backing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The backing was withdrawn."))
    return redirect(_next_url(request, reverse("providers:detail", args=[programme.pk])))
