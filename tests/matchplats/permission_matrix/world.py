"""The world the permission matrix runs in: one object of every kind, owned by known organisations
in Värmland (län 17), and one person (or key) for every role the matrix names.

Roles (the columns of the tables in this directory):

| column | who |
| --- | --- |
| anon | a visitor, not signed in |
| guest | a visitor who joined the live session as a guest (carries its signed cookie) |
| e-admin, e-member | admin and member of the employer that owns the need, backs the programme and sits in the arena |
| p-admin, p-member | admin and member of the provider that owns the programme and the validation path |
| e-other, p-other | admin of another employer, of another provider (in the same kommun, in no arena) |
| removed | was a member of the employer and was removed by its admin |
| no-org | signed in with a verified address, no organisation |
| host | a person added to the arena one by one and made a host of it |
| coord | coordinator of Region Värmland, the county of every object here |
| coord-other | coordinator of Region Örebro län |
| staff | platform staff (is_staff and superuser, as the demo's admin@matchplats.example) |
| key-e, key-p, key-r | an API key of the employer, of the provider, of Region Värmland |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from dialogues import services as arenas
from dialogues.live.access import guest_cookie_name, guest_token
from dialogues.live.services import participant_join_guest
from dialogues.models import ArenaMember, ArenaSession, Decision
from matching.selectors import digest_token
from matching.services import digest_subscribe
from matchplats.api.services import api_key_create
from matchplats.core.models import ImportRun
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import invitation_create, membership_remove
from matchplats.taxonomy.models import Lan, Skill, SsykGroup
from opendata.services import open_data_publish_month
from providers.services import programme_backing_set, validation_path_create
from tests.factories import add_member, make_need, make_organisation, make_programme, make_region, make_user

ROLES = ["anon", "guest", "e-admin", "e-member", "p-admin", "p-member", "e-other", "p-other", "removed", "no-org",
         "host", "coord", "coord-other", "staff", "key-e", "key-p", "key-r"]
PEOPLE = {"e-admin", "e-member", "p-admin", "p-member", "e-other", "p-other", "removed", "no-org", "host", "coord",
          "coord-other", "staff"}
KEYS = {"key-e", "key-p", "key-r"}
TODAY = dt.date(2026, 11, 30)


@dataclass
class World:
    users: dict[str, object]
    keys: dict[str, str]
    guest_cookie: tuple[str, str]
    values: dict[str, object] = field(default_factory=dict)
    """What fills each named part of a route (``pk`` by the route's prefix)."""


def _at(days: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)))


def build_world() -> World:
    lan = Lan.objects.get(code="17")
    coord, coord_other = make_user("koordinator@region17.se"), make_user("koordinator@region18.se")
    region = make_region("17", coordinator=coord)
    make_region("18", coordinator=coord_other)
    e_admin, p_admin = make_user("admin@omsorg.se"), make_user("admin@komvux.se")
    employer = make_organisation(Organisation.Kind.EMPLOYER, admin=e_admin, name="Omsorg AB")
    provider = make_organisation(Organisation.Kind.PROVIDER, admin=p_admin, name="Komvux Karlstad")
    e_member = add_member(employer, make_user("medlem@omsorg.se"))
    p_member = add_member(provider, make_user("medlem@komvux.se"))
    e_other, p_other = make_user("admin@annan.se"), make_user("admin@annanskola.se")
    make_organisation(Organisation.Kind.EMPLOYER, admin=e_other, name="Annan AB")
    make_organisation(Organisation.Kind.PROVIDER, admin=p_other, name="Annan skola")
    removed = add_member(employer, make_user("slutat@omsorg.se"))
    membership_remove(membership=Membership.objects.get(user=removed), actor=e_admin)
    host = make_user("vard@example.se")
    users = {"e-admin": e_admin, "e-member": e_member, "p-admin": p_admin, "p-member": p_member, "e-other": e_other,
             "p-other": p_other, "removed": removed, "no-org": make_user("ingen@example.se"), "host": host,
             "coord": coord, "coord-other": coord_other, "staff": make_user("personal@matchplats.se", staff=True)}
    users["staff"].is_superuser = True
    users["staff"].save(update_fields=["is_superuser"])

    need = make_need(employer, visibility="coordinators", kommun_code="1780", ssyk4="5321", title="Undersköterskor")
    programme = make_programme(provider, name="Undersköterska", ssyk4=("5321",))
    path = validation_path_create(actor=p_admin, organiser=provider, name="Validering undersköterska",
                                  method="branch_model", occupations=SsykGroup.objects.filter(code="5321"))
    programme_backing_set(actor=e_admin, programme=programme, employer=employer, contact_requested=True,
                          link="https://example.se")
    invitation = invitation_create(organisation=employer, inviter=e_admin, email="ny@omsorg.se",
                                   accept_url_for=lambda invitation: "https://example.se/")
    digest_subscribe(user=e_admin, need=need)

    arena = arenas.arena_create(actor=coord, name="Vård och omsorg", lan=lan,
                                ssyk_groups=SsykGroup.objects.filter(code="5321"))
    arena_member = arenas.arena_member_add(actor=coord, arena=arena, organisation=employer)
    arenas.arena_member_add(actor=coord, arena=arena, user=host)
    arenas.arena_host_set(actor=coord, arena=arena, user=host, host=True)
    session = arenas.session_create(actor=coord, arena=arena, title="Höstmöte", starts_at=_at(0, 9),
                                    ends_at=_at(0, 23), place="Karlstad", agenda=["Läget"])
    arenas.session_state_set(actor=coord, session=session, state=ArenaSession.State.LIVE)
    decision = arenas.decision_create(actor=coord, session=session, text="Fler platser", needs=[need],
                                      visibility=Decision.Visibility.MEMBERS)
    action = arenas.action_item_create(actor=coord, session=session, text="Ta fram underlag",
                                       due_on=TODAY + dt.timedelta(days=30), owner_organisation=employer)
    guest = participant_join_guest(session=session, display_name="Gäst")
    closed = arenas.session_create(actor=coord, arena=arena, title="Sommarmöte", starts_at=_at(-30, 9),
                                   ends_at=_at(-30, 11), place="Karlstad", agenda=["Läget"])
    for state in (ArenaSession.State.LIVE, ArenaSession.State.CLOSED):
        arenas.session_state_set(actor=coord, session=closed, state=state)

    need_run = ImportRun.objects.create(kind=ImportRun.Kind.NEEDS, file_name="behov.csv", file_format="csv",
                                        organisation=employer, actor=e_admin)
    programme_run = ImportRun.objects.create(kind=ImportRun.Kind.PROGRAMMES, file_name="utb.csv",
                                             file_format="csv", organisation=provider, actor=p_admin)
    keys = {}
    for role, organisation, actor in (("key-e", employer, e_admin), ("key-p", provider, p_admin),
                                      ("key-r", region, coord)):
        api_key, secret = api_key_create(organisation=organisation, actor=actor, name=role)
        keys[role] = secret
        if role == "key-e":
            employer_key = api_key
    month = open_data_publish_month(month=dt.date(2026, 10, 1), today=TODAY, lans=[lan]).month

    world = World(users=users, keys=keys, guest_cookie=(guest_cookie_name(session.pk), guest_token(guest)))
    world.values = {
        # the longest route prefix that matches decides which object a <pk> names
        "pk": {"arenor/moten/": session.pk, "arenor/medlemmar/": arena_member.pk,
               "arenor/dagordning/": session.agenda_items.first().pk, "arenor/beslut/": decision.pk,
               "arenor/atgarder/": action.pk, "arenor/": arena.pk, "behov/import/resultat/": need_run.pk,
               "utbildningar/import/resultat/": programme_run.pk, "utbildningar/valideringar/": path.pk,
               "organisationer/": employer.pk, "behov/": need.pk, "utbildningar/": programme.pk,
               "matchningar/behov/": need.pk, "matchningar/utbildningar/": programme.pk,
               "api/v1/needs/": need.pk, "api/v1/programmes/": programme.pk,
               "api/v1/validation-paths/": path.pk, "api/v1/decisions/": decision.pk,
               "api/v1/action-items/": action.pk},
        "membership_pk": Membership.objects.get(user=e_member).pk, "invitation_pk": invitation.pk,
        "key_pk": employer_key.pk, "token": invitation.token, "need_pk": need.pk,
        "invite_token": session.invite_token, "file_format": "csv", "table_name": "yrken", "lan_code": "17",
        "month": f"{month:%Y-%m}", "digest_token": digest_token(user=e_admin, need=need),
        "import_token": "x" * 32, "closed_session": closed.pk,
        "backing": programme.backings.get().pk, "ssyk4_id": SsykGroup.objects.get(code="5321", level=4).pk,
        "skill_id": Skill.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    assert ArenaMember.objects.filter(arena=arena).count() == 2
    return world
