"""Every permission and visibility rule of Matchplats, in one place.

docs/permissions.md is the same rules as a table; views, exports, API endpoints and
consumers ask these helpers and never re-derive a rule themselves. The helpers work on
attributes (``need.organisation_id``, ``need.visibility``), so this core module does not
import the apps whose objects it judges.

Two kinds of helper:
- ``may_<verb>_<object>(user, obj)`` answers "may this user do X to this object?";
- ``<objects>_visible_q(user)`` returns a ``Q`` for "what may this user see?", for querysets.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from matchplats.core.choices import Visibility
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.selectors import memberships_of


def _is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def role_in(user, organisation_id: int) -> str | None:
    for membership in memberships_of(user):
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def is_member(user, organisation: Organisation) -> bool:
    return role_in(user, organisation.pk) is not None


def is_admin(user, organisation: Organisation) -> bool:
    return role_in(user, organisation.pk) == Membership.Role.ADMIN


def organisation_ids(user, *, kind: str | None = None) -> set[int]:
    return {m.organisation_id for m in memberships_of(user) if kind is None or m.organisation.kind == kind}


def coordinator_lan_ids(user) -> set[int]:
    """The län a user coordinates: those of the region organisations they belong to."""
    return {
        m.organisation.lan_id
        for m in memberships_of(user)
        if m.organisation.kind == Organisation.Kind.REGION and m.organisation.lan_id
    }


def is_coordinator(user) -> bool:
    return bool(coordinator_lan_ids(user))


# --- organisations -------------------------------------------------------------------------

SELF_SERVICE_KINDS = frozenset({Organisation.Kind.EMPLOYER, Organisation.Kind.PROVIDER})


def may_create_organisation(user, kind: str) -> bool:
    """Anyone signed in creates employers and providers; regions only platform staff (admin)."""
    if not user.is_authenticated:
        return False
    if kind in SELF_SERVICE_KINDS:
        return True
    return kind == Organisation.Kind.REGION and user.is_staff


def may_change_memberships_in_admin(user) -> bool:
    """Platform staff with the admin's right to change organisations (and their member rows)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff
                and user.has_perm("organisations.change_organisation"))


def may_view_organisation_members(user, organisation: Organisation) -> bool:
    return is_member(user, organisation) or _is_superuser(user)


def may_manage_members(user, organisation: Organisation) -> bool:
    return is_admin(user, organisation) or _is_superuser(user)


def may_read_organisation_audit(user, organisation: Organisation) -> bool:
    """The organisation's part of the audit log (who was given or lost access, which of its members
    downloaded what): its administrators. Platform staff read the whole log in the admin."""
    return is_admin(user, organisation) or _is_superuser(user)


def may_edit_organisation(user, organisation: Organisation) -> bool:
    """An organisation's own details (name, number, place, website): its administrators."""
    return is_admin(user, organisation) or _is_superuser(user)


def may_accept_terms(user, organisation: Organisation) -> bool:
    """Accept the terms of use on the organisation's behalf: its administrators only — not
    platform staff, who do not speak for the organisation."""
    return is_admin(user, organisation)


def may_manage_api_keys(user, organisation: Organisation) -> bool:
    """Create, list and revoke the organisation's API keys: its administrators (and superusers).
    A key acts as a member, never as an admin, so a key cannot manage keys (docs/api.md)."""
    return is_admin(user, organisation) or _is_superuser(user)


def may_remove_membership(user, membership: Membership) -> bool:
    """Admins remove anyone; a member may always leave by removing themselves."""
    return membership.user_id == user.pk or may_manage_members(user, membership.organisation)


def may_act_for(user, organisation: Organisation) -> bool:
    """May the user create or change things (needs, programmes) on behalf of the organisation?"""
    return is_member(user, organisation)


# --- competence needs --------------------------------------------------------------------


def may_list_need(user, need) -> bool:
    """Whether the need may appear as a row (list, detail, export) for this user.

    public → everyone, anonymous visitors included; aggregated → only the owning organisation;
    coordinators → the owner and coordinators of the region whose län contains the need.
    """
    if user.is_authenticated and need.organisation_id in organisation_ids(user):
        return True
    if need.visibility == Visibility.PUBLIC:
        return True
    if need.visibility == Visibility.COORDINATORS:
        return need.lan_id in coordinator_lan_ids(user)
    return False


def needs_listable_q(user, *, prefix: str = "") -> Q:
    """Queryset form of ``may_list_need``: the needs a user may see row by row. ``prefix`` (e.g.
    ``"need__"``) applies it to the need of another model's rows, as a join."""
    q = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if user.is_authenticated:
        q |= Q(**{f"{prefix}organisation_id__in": organisation_ids(user)})
        lan_ids = coordinator_lan_ids(user)
        if lan_ids:
            q |= Q(**{f"{prefix}visibility": Visibility.COORDINATORS, f"{prefix}lan_id__in": lan_ids})
    return q


# The disclosure rule for figures (counts, head counts, employers) built from needs. A need the
# viewer may not list contributes to a figure only when the figure's filter uses structured
# fields alone (region, kommun, occupation or field, horizon, form, status — never free text,
# never an organisation) and the hidden contributions come from at least this many employers.
# Under a structured filter a smaller hidden part is marked, without numbers; under free text or
# an organisation filter it leaves no trace. The selector ``employers.selectors.need_figures``
# applies it; every figure (totals, match pages, dimensioning, reports, API, open data) calls that.
MIN_HIDDEN_EMPLOYERS = 3


def may_count_hidden_needs(*, structured: bool, hidden_employers: int) -> bool:
    """May needs the viewer cannot list, from ``hidden_employers`` employers, enter a figure?"""
    return structured and hidden_employers >= MIN_HIDDEN_EMPLOYERS


def may_mark_hidden_needs(*, structured: bool) -> bool:
    """May a figure say that hidden needs were left out ("färre än 3 arbetsgivare")? Only under a
    structured filter: under free text or an organisation filter, hidden needs leave no trace."""
    return structured


# Released cells (dimensioning, docs/permissions.md "Figures that must survive differencing"):
# the part of demand a viewer may not list enters a figure only as whole *cells* — needs of one
# SSYK4 group, one län, one purpose (or equality flag) and one calendar half-year of their
# needed-by date — and a cell is released only when its hidden needs come from at least
# MIN_HIDDEN_EMPLOYERS employers. The cells do not move with today's date, and every figure is
# the readable part plus a sum of whole released cells, so the difference of any two figures is
# again a sum of released cells: a suppressed cell cannot be recovered by subtracting.


def hidden_cell_period(needed_by) -> tuple[int, int]:
    """The fixed period of a needed-by date: (year, half), half 1 = January–June, 2 = July–December."""
    return needed_by.year, 1 if needed_by.month <= 6 else 2


def hidden_cell_period_start(period: tuple[int, int]):
    year, half = period
    return dt.date(year, 1 if half == 1 else 7, 1)


def may_release_hidden_cell(*, hidden_employers: int) -> bool:
    """May a cell of needs the viewer cannot list, from ``hidden_employers`` employers, enter figures?"""
    return hidden_employers >= MIN_HIDDEN_EMPLOYERS


def may_edit_need(user, need) -> bool:
    return user.is_authenticated and is_member(user, need.organisation)


# --- dimensioning ---------------------------------------------------------------------------


def may_view_dimensioning(user) -> bool:
    """The dimensioning page (demand next to supply): members of any organisation — providers and
    regional coordinators plan with it, employers see the supply for their occupations — and
    platform staff. Every figure on it goes through the released-cell rule, so what it shows is
    safe for all of them; visitors and people without an organisation do not get it."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or organisation_ids(user))


# --- regional status report (lägesrapport) ---------------------------------------------------


def may_view_regional_report(user) -> bool:
    """The regional status report of any län: regional coordinators (of any län — a coordinator
    compares their county with its neighbours; every figure goes through the released-cell rule
    as that coordinator, so another county's coordinator-only needs stay hidden) and platform
    staff. Providers and employers do not: the report is the region's planning document, and
    they plan with the dimensioning page, which shows the same figures."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or is_coordinator(user))


# --- programmes and validation paths ---------------------------------------------------


def may_edit_programme(user, programme) -> bool:
    return user.is_authenticated and is_member(user, programme.provider)


def may_import_programmes_for_any_provider(user) -> bool:
    """The command line (no user) and platform staff import rows for any provider; everyone
    else imports only rows of a provider they belong to."""
    return user is None or bool(user.is_authenticated and user.is_staff)


def may_view_import_run(user, run) -> bool:
    """An import's result page (what it created and changed, with current names) is for the
    CURRENT members of the organisation it was for — not for whoever ran it once: a member who
    has left no longer sees it. Imports for no organisation (staff, command line) are for staff."""
    if not user.is_authenticated:
        return False
    if run.organisation_id is None:
        return bool(user.is_staff)
    return run.organisation_id in organisation_ids(user)


def may_edit_validation_path(user, path) -> bool:
    return user.is_authenticated and is_member(user, path.organiser)


# --- employers backing programmes, and the evidence pack -------------------------------------

def may_back_programme(user, employer: Organisation) -> bool:
    """Members (members and administrators alike) of an employer organisation state its backing
    of a programme — offer LIA places, sign a letter of intent, ask to be contacted. Members of
    providers and regions do not: backing is the employer's word."""
    return bool(user.is_authenticated and employer.kind == Organisation.Kind.EMPLOYER and is_member(user, employer))


def _programme_lan_ids(programme) -> set[int]:
    return {kommun.lan_id for kommun in programme.kommuner.all()}


def may_view_programme_backers(user, programme) -> bool:
    """Who backs a programme (employers, LIA places, letters, contact requests) and its evidence
    pack are for the programme's provider, the coordinators of a län where it is given, and
    platform staff. An employer sees its own backing (``may_view_backing``), not the others'."""
    if not user.is_authenticated:
        return False
    if user.is_staff or programme.provider_id in organisation_ids(user):
        return True
    return bool(_programme_lan_ids(programme) & coordinator_lan_ids(user))


def may_view_backing(user, backing) -> bool:
    return bool(user.is_authenticated and (backing.employer_id in organisation_ids(user)
                                           or may_view_programme_backers(user, backing.programme)))


def may_show_unnamed_needs(*, employers: int) -> bool:
    """May needs of employers who are not named in an evidence pack (they did not agree, or the
    viewer may not read their needs) appear there as one aggregate, from ``employers`` employers?
    Only from at least ``MIN_HIDDEN_EMPLOYERS``: the pack leaves the platform, so the same floor
    that protects hidden needs protects unnamed ones; below it the pack says "färre än 3
    arbetsgivare". The hidden part has already passed ``may_count_hidden_needs``."""
    return employers >= MIN_HIDDEN_EMPLOYERS


def may_download_evidence(user, programme) -> bool:
    """The evidence pack for a YH application names backers and matched needs: the same people
    who see the backers may read and download it."""
    return may_view_programme_backers(user, programme)


# --- matches ---------------------------------------------------------------------------------


def may_give_match_feedback(user, need, target) -> bool:
    """Members of the need's employer, of the programme's or validation path's provider, and
    coordinators of the need's län judge a match — and only a need they may see."""
    if not user.is_authenticated or not may_list_need(user, need):
        return False
    owner_id = getattr(target, "provider_id", None) or getattr(target, "organiser_id", None)
    mine = organisation_ids(user)
    return need.organisation_id in mine or owner_id in mine or need.lan_id in coordinator_lan_ids(user)


# --- the weekly digest of new matches (docs/digest.md) ------------------------------------------


def may_follow_need(user, need) -> bool:
    """Members of the need's employer follow its new matches by e-mail (and only while they are)."""
    return may_edit_need(user, need)


def may_follow_programme(user, programme) -> bool:
    """Members of the programme's provider follow the new needs matching it by e-mail; the digest
    lists only needs they may read (``needs_listable_q``)."""
    return may_edit_programme(user, programme)


# --- branch arenas (docs/arenas.md) ---------------------------------------------------------
# An arena belongs to one län. Its coordinators (members of the region organisation of that län)
# create and run it; they may delegate hosting to a person who is a member of the arena. Members
# of the arena — people added one by one and every member of an organisation added to it — see
# the arena, its sessions, minutes, decisions and action items. Everyone else sees nothing of it
# (404, and it is in no list or count). A decision is members-only or public; only public ones are
# shown outside the arena (the need page, the regional status report, later the API and open data).

ARENA_HOST_ROLE = "host"
DECISION_PUBLIC = "public"


def may_create_arena(user, lan_id: int) -> bool:
    """Coordinators of the län create arenas for it."""
    return bool(user.is_authenticated and lan_id in coordinator_lan_ids(user))


def may_manage_arena(user, arena) -> bool:
    """Change the arena, its members, hosts and stage: coordinators of the arena's län."""
    return may_create_arena(user, arena.lan_id)


def _arena_rows(arena) -> list:
    cached = getattr(arena, "_member_rows", None)
    if cached is None:
        cached = list(arena.members.all())
        arena._member_rows = cached
    return cached


def is_arena_member(user, arena) -> bool:
    """A person added to the arena, or a member of an organisation added to it."""
    if not user.is_authenticated:
        return False
    mine = organisation_ids(user)
    return any(row.user_id == user.pk or row.organisation_id in mine for row in _arena_rows(arena))


def is_arena_host(user, arena) -> bool:
    return user.is_authenticated and any(row.user_id == user.pk and row.role == ARENA_HOST_ROLE
                                         for row in _arena_rows(arena))


def may_view_arena(user, arena) -> bool:
    return may_view_every_arena_in(user, arena.lan_id) or is_arena_member(user, arena)


def may_view_every_arena_in(user, lan_id: int) -> bool:
    """The coordinators of a län see every arena of it; everyone else only those they are members of."""
    return bool(user.is_authenticated and lan_id in coordinator_lan_ids(user))


def may_host_arena(user, arena) -> bool:
    """Schedule and run sessions (agenda, state, invitation, decisions, action items): the
    coordinators of the arena's län and the people they delegated hosting to."""
    return may_manage_arena(user, arena) or is_arena_host(user, arena)


def may_be_arena_host(user, arena) -> bool:
    """Hosting is delegated only to someone who is already a member of the arena."""
    return is_arena_member(user, arena)


def arenas_visible_q(user, *, prefix: str = "") -> Q:
    """Queryset form of ``may_view_arena`` (joins the members: use ``.distinct()`` or a subquery)."""
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    q = Q(**{f"{prefix}lan_id__in": coordinator_lan_ids(user)})
    q |= Q(**{f"{prefix}members__user_id": user.pk})
    q |= Q(**{f"{prefix}members__organisation_id__in": organisation_ids(user)})
    return q


def decisions_visible_q(user) -> Q:
    """Public decisions for everyone; members-only decisions for those who may see the arena
    (joins the arena's members: use it through a subquery, as ``decisions_visible_to`` does)."""
    return Q(visibility=DECISION_PUBLIC) | arenas_visible_q(user, prefix="arena__")
