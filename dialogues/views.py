"""Pages of branch arenas and their sessions. Thin: parse, call one service or selector, render.
Whoever may not see an arena gets 404 for it and everything in it; whoever sees it but may not
run it gets 403 on the forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dialogues import selectors, services
from dialogues.calendar import ics_document
from dialogues.documents import minutes_document
from dialogues.forms import (
    ActionItemForm,
    AgendaItemForm,
    ArenaForm,
    DecisionForm,
    GuestJoinForm,
    JoinCodeForm,
    MemberAddForm,
    SessionForm,
    StageForm,
    owner_key,
)
from dialogues.live import access
from dialogues.live import services as live_services
from dialogues.live import state as live_state
from dialogues.live import texts as live_texts
from dialogues.models import ArenaSession
from employers.selectors import need_visible_to
from matchplats import permissions
from matchplats.core.forms import apply_validation_error
from matchplats.core.reports import render_docx, render_pdf
from matchplats.taxonomy.models import OccupationField


def _require_host(user, arena) -> None:
    if not permissions.may_host_arena(user, arena):
        raise PermissionDenied(_("Only the arena's hosts and the county's coordinators run its sessions."))


def _require_manager(user, arena) -> None:
    if not permissions.may_manage_arena(user, arena):
        raise PermissionDenied(_("Only the county's regional coordinators manage this arena."))


def _session_link(request, session: ArenaSession) -> str:
    return request.build_absolute_uri(reverse("dialogues:session", args=[session.pk]))


# --- arenas ------------------------------------------------------------------------------------------


@login_required
@require_safe
def arena_list(request):
    return render(request, "dialogues/arena_list.html", {
        "arenas": selectors.arena_list(request.user),
        "may_create": permissions.is_coordinator(request.user),
    })


def _arena_fields(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "description": data["description"], "kommuner": data["kommuner"],
            "occupation_fields": data["occupation_fields"], "ssyk_groups": data["ssyk_groups"]}


@login_required
def arena_create(request):
    lan_ids = permissions.coordinator_lan_ids(request.user)
    if not lan_ids:
        raise PermissionDenied(_("Regional coordinators create branch arenas."))
    form = ArenaForm(request.POST or None, lan_ids=lan_ids)
    return _form_page(request, form, saved=_("The arena was created. Add its members next."),
                      save=lambda data: services.arena_create(actor=request.user, lan=data["lan"],
                                                              **_arena_fields(form)),
                      then=lambda arena: ("dialogues:members", arena.pk),
                      template="dialogues/arena_form.html", context={"arena": None})


@login_required
def arena_edit(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    _require_manager(request.user, arena)
    initial = {"name": arena.name, "description": arena.description, "kommuner": list(arena.kommuner.all()),
               "occupation_fields": list(arena.occupation_fields.all()), "ssyk_groups": list(arena.ssyk_groups.all())}
    form = ArenaForm(request.POST or None, lan_ids=[arena.lan_id], arena=arena, initial=initial)
    return _form_page(request, form, saved=_("The arena was saved."),
                      save=lambda data: services.arena_update(actor=request.user, arena=arena, **_arena_fields(form)),
                      then=lambda _: ("dialogues:arena", arena.pk),
                      template="dialogues/arena_form.html", context={"arena": arena})


@login_required
@require_safe
def arena_detail(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    today = timezone.localdate()
    return render(request, "dialogues/arena_detail.html", {
        "arena": arena,
        "overview": selectors.arena_overview(user=request.user, arena=arena),
        "figures": selectors.branch_figures(user=request.user, arena=arena, today=today),
        "fields": OccupationField.objects.filter(pk__in=arena.occupation_fields.values("pk")).order_by("label"),
        "may_manage": permissions.may_manage_arena(request.user, arena),
        "may_host": permissions.may_host_arena(request.user, arena),
        "stage_form": StageForm(initial={"stage": arena.stage}),
        "today": today,
    })


@login_required
@require_POST
def arena_stage(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    _require_manager(request.user, arena)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.arena_stage_set(actor=request.user, arena=arena, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stage was changed."))
    else:
        messages.error(request, _("Choose a stage of collaboration."))
    return redirect("dialogues:arena", arena.pk)


@login_required
def arena_members(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    may_manage = permissions.may_manage_arena(request.user, arena)
    form = MemberAddForm(request.POST or None, arena=arena) if may_manage else None
    if request.method == "POST":
        _require_manager(request.user, arena)
        if form.is_valid():
            try:
                services.arena_member_add(actor=request.user, arena=arena,
                                          organisation=form.cleaned_data.get("organisation"),
                                          user=form.cleaned_data.get("user"))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The member was added."))
                return redirect("dialogues:members", arena.pk)
    return render(request, "dialogues/arena_members.html", {
        "arena": arena, "form": form, "may_manage": may_manage,
        "members": selectors.arena_overview(user=request.user, arena=arena).members,
        "possible_hosts": [(key, label) for key, (label, _obj) in selectors.possible_owners(arena=arena).items()
                           if key.startswith("user-")],
        "events": selectors.event_rows(selectors.arena_events(arena=arena)) if may_manage else [],
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def member_remove(request, pk: int):
    member = selectors.member_visible_to(request.user, pk)
    _require_manager(request.user, member.arena)
    services.arena_member_remove(actor=request.user, member=member)
    messages.success(request, _("The member was removed."))
    return redirect("dialogues:members", member.arena_id)


@login_required
@require_POST
def arena_host(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    _require_manager(request.user, arena)
    owners = selectors.possible_owners(arena=arena)
    key = request.POST.get("person", "")
    if not key.startswith("user-") or key not in owners:
        messages.error(request, _("Choose a person who is a member of the arena."))
        return redirect("dialogues:members", arena.pk)
    try:
        services.arena_host_set(actor=request.user, arena=arena, user=owners[key][1],
                                host=request.POST.get("host") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hosting was changed."))
    return redirect("dialogues:members", arena.pk)


# --- sessions -----------------------------------------------------------------------------------


def _session_fields(form) -> dict:
    data = form.cleaned_data
    return {"title": data["title"], "starts_at": data["starts_at"], "ends_at": data["ends_at"],
            "place": data["place"], "url": data["url"]}


@login_required
def session_create(request, pk: int):
    arena = selectors.arena_visible_to(request.user, pk)
    _require_host(request.user, arena)
    form = SessionForm(request.POST or None)
    return _form_page(request, form,
                      saved=_("The session was scheduled. Send the invitation when the agenda is ready."),
                      save=lambda data: services.session_create(actor=request.user, arena=arena,
                                                                agenda=data["agenda"].splitlines(),
                                                                **_session_fields(form)),
                      then=lambda session: ("dialogues:session", session.pk),
                      template="dialogues/session_form.html", context={"arena": arena, "session": None})


@login_required
def session_edit(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    initial = {"title": session.title, "starts_at": timezone.localtime(session.starts_at),
               "ends_at": timezone.localtime(session.ends_at), "place": session.place, "url": session.url}
    form = SessionForm(request.POST or None, initial=initial, with_agenda=False)
    return _form_page(request, form, saved=_("The session was saved."),
                      save=lambda data: services.session_update(actor=request.user, session=session,
                                                                **_session_fields(form)),
                      then=lambda _: ("dialogues:session", session.pk),
                      template="dialogues/session_form.html", context={"arena": session.arena, "session": session})


@login_required
@require_safe
def session_detail(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    may_host = permissions.may_host_arena(request.user, session.arena)
    return render(request, "dialogues/session_detail.html", {
        "session": session, "arena": session.arena, "may_host": may_host,
        "minutes": selectors.session_minutes(user=request.user, session=session),
        "agenda_form": AgendaItemForm(prefix="new") if may_host else None,
        "next_state": services.TRANSITIONS.get(session.state),
        "join_link": request.build_absolute_uri(reverse("dialogues:join", args=[session.invite_token])),
        "events": selectors.event_rows(session.events.select_related("actor")[:50]) if may_host else [],
    })


@login_required
@require_POST
def session_state(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    try:
        services.session_state_set(actor=request.user, session=session, state=request.POST.get("state", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session's state was changed."))
    return redirect("dialogues:session", session.pk)


@login_required
@require_POST
def session_invite(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    try:
        sent = services.session_invite(actor=request.user, session=session,
                                       link_for=lambda s: _session_link(request, s))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was sent to %(count)s people.") % {"count": sent})
    return redirect("dialogues:session", session.pk)


@login_required
@require_safe
def session_ics(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    event = selectors.session_calendar_event(session=session, link=_session_link(request, session))
    response = HttpResponse(ics_document([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="motet-{session.pk}.ics"'
    return response


def _guest(request, session: ArenaSession):
    """The guest participant this browser's signed cookie names for ``session``, if any."""
    return access.guest_from_token(request.COOKIES.get(access.guest_cookie_name(session.pk)), session.pk)


def _joins_as_member(user, session: ArenaSession) -> bool:
    return user.is_authenticated and permissions.may_view_arena(user, session.arena)


def join(request, invite_token: str):
    """Where the invite link and the join code lead. Before the session: when it starts. While
    it is live: members go to the participant page, a guest already recognised by the cookie too,
    anyone else gives a name (or, where the host allows it, none). After: that it is over."""
    session = get_object_or_404(ArenaSession.objects.select_related("arena"), invite_token=invite_token)
    member = _joins_as_member(request.user, session)
    if session.state == ArenaSession.State.LIVE and (member or _guest(request, session)):
        return redirect("dialogues:live", session.pk)
    allow_anonymous = live_state.live_settings(session).allow_anonymous
    form = None
    if session.state == ArenaSession.State.LIVE:
        form = GuestJoinForm(request.POST if request.method == "POST" else None, allow_anonymous=allow_anonymous)
        if request.method == "POST" and form.is_valid():
            try:
                participant = live_services.participant_join_guest(
                    session=session, display_name=form.cleaned_data["display_name"],
                    anonymous=form.cleaned_data.get("anonymous", False))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                response = redirect("dialogues:live", session.pk)
                response.set_cookie(access.guest_cookie_name(session.pk), access.guest_token(participant),
                                    max_age=access.GUEST_COOKIE_AGE, httponly=True, samesite="Lax",
                                    secure=request.is_secure())
                return response
    return render(request, "dialogues/join.html", {"session": session, "form": form, "member": member},
                  status=400 if form is not None and form.errors else 200)


@require_safe
def join_code(request):
    """The short code typed from the projector or the invitation, to the session's join page."""
    form = JoinCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        session = selectors.session_for_join_code(form.cleaned_data["code"])
        if session is not None:
            return redirect("dialogues:join", session.invite_token)
        form.add_error("code", _("No session has that code. Check the six characters the host shows."))
    return render(request, "dialogues/join_code.html", {"form": form or JoinCodeForm()},
                  status=400 if form is not None and form.errors else 200)


def _live_page(request, session: ArenaSession, view: str, **context):
    config = {"session": session.pk, "view": view, "ws": f"/ws/arenor/moten/{session.pk}/?view={view}",
              "minutes": reverse("dialogues:minutes", args=[session.pk]),
              "strings": live_texts.strings(), **context}
    return render(request, "dialogues/live.html", {"session": session, "arena": session.arena, "view": view,
                                                    "config": config})


@never_cache
@require_safe
def session_live(request, pk: int):
    """The participant's page: the arena's members, and guests whose cookie names a participant of
    this session. A person signed in who is neither gets 404, as for a session that does not
    exist; someone not signed in and not a guest is asked to sign in."""
    session = ArenaSession.objects.select_related("arena", "arena__lan").filter(pk=pk).first()
    if session is not None and (_joins_as_member(request.user, session) or _guest(request, session)):
        if session.state == ArenaSession.State.SCHEDULED:
            return redirect("dialogues:join", session.invite_token)
        return _live_page(request, session, "participant")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such session.")


@login_required
@never_cache
@require_safe
def session_host_view(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    owners = [(key.replace("-", ":", 1), label) for key, (label, _obj) in
              selectors.possible_owners(arena=session.arena).items()]
    return _live_page(request, session, "host", owners=owners, joinCode=session.join_code,
                      joinUrl=request.build_absolute_uri(reverse("dialogues:join", args=[session.invite_token])),
                      codeUrl=request.build_absolute_uri(reverse("dialogues:join_code")),
                      projectorUrl=reverse("dialogues:projector", args=[session.pk]))


@login_required
@never_cache
@require_safe
def session_projector(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    return _live_page(request, session, "projector", joinCode=session.join_code,
                      codeUrl=request.build_absolute_uri(reverse("dialogues:join_code")))


# --- agenda ----------------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    form = AgendaItemForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Give the agenda item a title."))
    return redirect("dialogues:session", session.pk)


@login_required
@require_POST
def agenda_edit(request, pk: int):
    item = selectors.agenda_item_visible_to(request.user, pk)
    _require_host(request.user, item.session.arena)
    try:
        if request.POST.get("remove") == "1":
            services.agenda_item_remove(actor=request.user, item=item)
        elif request.POST.get("move") in ("up", "down"):
            services.agenda_item_move(actor=request.user, item=item, up=request.POST["move"] == "up")
        else:
            form = AgendaItemForm(request.POST, prefix=f"item-{item.pk}")
            if not form.is_valid():
                raise ValidationError(_("Give the agenda item a title."))
            services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dialogues:session", item.session_id)


# --- decisions and action items ------------------------------------------------------------------


def _links(form) -> dict:
    data = form.cleaned_data
    return {"agenda_item": data["agenda_item"], "needs": data["needs"], "occupations": data["occupations"],
            "gaps": data["gaps"]}


def _form_page(request, form, *, save, saved: str, then, template: str, context: dict):
    """A form page of the arena pages: on a valid POST, ``save`` (a service call, given the
    cleaned data) and on to ``then(saved object)`` — a view name and its pk; a refusal from the
    service shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, saved)
            return redirect(*then(result))
    return render(request, template, {"form": form, **context})


def _item_page(request, form, session, *, save, saved: str, title: str, events=None):
    """The form page of a decision or an action item, which returns to its session."""
    return _form_page(request, form, save=save, saved=saved, then=lambda _: ("dialogues:session", session.pk),
                      template="dialogues/item_form.html",
                      context={"session": session, "title": title,
                               **({"events": events} if events is not None else {})})


@login_required
def decision_create(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    form = DecisionForm(request.POST or None, user=request.user, session=session,
                        initial={"agenda_item": request.GET.get("punkt")})
    return _item_page(request, form, session, saved=_("The decision was recorded."), title=_("Record a decision"),
                      save=lambda data: services.decision_create(
                          actor=request.user, session=session, text=data["text"], visibility=data["visibility"],
                          **_links(form)))


@login_required
def decision_edit(request, pk: int):
    decision = selectors.decision_visible_to(request.user, pk)
    session = decision.session
    _require_host(request.user, session.arena)
    initial = {"text": decision.text, "visibility": decision.visibility, "agenda_item": decision.agenda_item_id,
               "needs": list(decision.needs.all()), "occupations": list(decision.occupations.all()),
               "gaps": list(decision.gaps.all())}
    form = DecisionForm(request.POST or None, user=request.user, session=session, initial=initial)
    return _item_page(request, form, session, saved=_("The decision was saved."), title=_("Change the decision"),
                      events=selectors.event_rows(decision.events.select_related("actor")),
                      save=lambda data: services.decision_update(
                          actor=request.user, decision=decision, text=data["text"], visibility=data["visibility"],
                          **_links(form)))


@login_required
def action_create(request, pk: int):
    session = selectors.session_visible_to(request.user, pk)
    _require_host(request.user, session.arena)
    form = ActionItemForm(request.POST or None, user=request.user, session=session,
                          initial={"agenda_item": request.GET.get("punkt")})
    return _item_page(request, form, session, saved=_("The action item was created."),
                      title=_("Add an action item"),
                      save=lambda data: services.action_item_create(
                          actor=request.user, session=session, text=data["text"], due_on=data["due_on"],
                          **form.owner_kwargs(), **_links(form)))


@login_required
def action_edit(request, pk: int):
    item = selectors.action_item_visible_to(request.user, pk)
    session = item.session
    _require_host(request.user, session.arena)
    initial = {"text": item.text, "owner": owner_key(item), "due_on": item.due_on, "status": item.status,
               "agenda_item": item.agenda_item_id, "needs": list(item.needs.all()),
               "occupations": list(item.occupations.all()), "gaps": list(item.gaps.all())}
    form = ActionItemForm(request.POST or None, user=request.user, session=session, with_status=True,
                          initial=initial)
    return _item_page(request, form, session, saved=_("The action item was saved."),
                      title=_("Change the action item"),
                      events=selectors.event_rows(item.events.select_related("actor")),
                      save=lambda data: services.action_item_update(
                          actor=request.user, item=item, text=data["text"], due_on=data["due_on"],
                          status=data["status"], **form.owner_kwargs(), **_links(form)))


# --- minutes -------------------------------------------------------------------------------------


def _closed_session(request, pk: int) -> ArenaSession:
    session = selectors.session_visible_to(request.user, pk)
    if session.state != ArenaSession.State.CLOSED:
        raise PermissionDenied(_("The minutes are made when the session is closed."))
    return session


@login_required
@require_safe
def minutes(request, pk: int):
    session = _closed_session(request, pk)
    return render(request, "dialogues/minutes.html", {
        "session": session, "arena": session.arena,
        "minutes": selectors.session_minutes(user=request.user, session=session)})


@login_required
@never_cache
@require_safe
def minutes_file(request, pk: int, file_format: str):
    session = _closed_session(request, pk)
    document = minutes_document(selectors.session_minutes(user=request.user, session=session))
    if file_format == "pdf":
        content, content_type = render_pdf(document), "application/pdf"
    else:
        content = render_docx(document)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=content_type)
    name = f"protokoll-{session.pk}-{timezone.localtime(session.starts_at):%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the need page's fragment ----------------------------------------------------------------------


@require_safe
def need_decisions(request, need_pk: int):
    """Decisions that concern a need, for the need's page: loaded there by URL name, so employers
    never imports dialogues. Only what this viewer may read: public decisions for everyone who may
    see the need, members-only decisions for the arena's members."""
    need = need_visible_to(request.user, need_pk)
    decisions = selectors.need_decisions(user=request.user, need=need)
    template = ("dialogues/partials/need_decisions.html" if request.headers.get("HX-Request")
                else "dialogues/need_decisions.html")
    return render(request, template, {"need": need, "decisions": decisions})
