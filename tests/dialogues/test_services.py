"""Writes for arenas, sessions, decisions and action items: each checks permission and validates
before it writes, leaves nothing half-written, and appends an event row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialogues import services
from dialogues.models import ActionItem, Arena, ArenaEvent, ArenaMember, ArenaSession, Decision, Stage
from dialogues.selectors import stage_history
from matchplats.taxonomy.models import Kommun, Lan, SsykGroup
from tests.dialogues.conftest import at, make_session
from tests.factories import make_need

pytestmark = pytest.mark.django_db
CARE = "5321"


def events_of(arena, type_):
    return list(ArenaEvent.objects.filter(arena=arena, type=type_))


def test_a_coordinator_creates_an_arena_in_their_county_with_an_event(world):
    assert world.arena.lan.code == "17"
    assert [g.code for g in world.arena.ssyk_groups.all()] == [CARE]
    created = events_of(world.arena, ArenaEvent.Type.ARENA_CREATED)
    assert len(created) == 1 and created[0].actor == world.coordinator


def test_only_coordinators_of_the_county_create_arenas_there_and_nothing_is_written(world):
    before = Arena.objects.count()
    for actor in (world.other_coordinator, world.employer_user, world.person):
        with pytest.raises(PermissionDenied):
            services.arena_create(actor=actor, name="X", lan=Lan.objects.get(code="17"),
                                  ssyk_groups=[SsykGroup.objects.get(code=CARE)])
    assert Arena.objects.count() == before


def test_an_arena_needs_a_branch_and_kommuner_of_its_own_county(world):
    lan = Lan.objects.get(code="17")
    with pytest.raises(ValidationError) as error:
        services.arena_create(actor=world.coordinator, name="Utan bransch", lan=lan)
    assert "occupation_fields" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.arena_create(actor=world.coordinator, name="Fel kommun", lan=lan,
                              ssyk_groups=SsykGroup.objects.filter(code=CARE),
                              kommuner=Kommun.objects.filter(code="1880"))
    assert "kommuner" in error.value.message_dict
    assert not Arena.objects.filter(name__in=["Utan bransch", "Fel kommun"]).exists()


def test_updating_an_arena_records_what_changed(world):
    services.arena_update(actor=world.coordinator, arena=world.arena, name="Vård och omsorg i Värmland",
                          description="Fyra möten om året", kommuner=Kommun.objects.filter(code="1780"),
                          occupation_fields=[], ssyk_groups=SsykGroup.objects.filter(code__in=[CARE, "5323"]))
    event = events_of(world.arena, ArenaEvent.Type.ARENA_UPDATED)[0]
    assert event.data["changes"]["name"] == ["Vård och omsorg", "Vård och omsorg i Värmland"]
    assert event.data["changes"]["ssyk_groups"] == [CARE, f"{CARE}, 5323"]
    assert "kommuner" in event.data["changes"]


def test_members_are_added_once_and_removed_with_events(world):
    with pytest.raises(ValidationError):
        services.arena_member_add(actor=world.coordinator, arena=world.arena, organisation=world.employer)
    with pytest.raises(ValidationError):
        services.arena_member_add(actor=world.coordinator, arena=world.arena)
    member = world.arena.members.get(organisation=world.employer)
    services.arena_member_remove(actor=world.coordinator, member=member)
    assert not world.arena.members.filter(organisation=world.employer).exists()
    removed = events_of(world.arena, ArenaEvent.Type.MEMBER_REMOVED)[0]
    assert removed.data == {"name": "Omsorg AB", "kind": "organisation"}
    assert len(events_of(world.arena, ArenaEvent.Type.MEMBER_ADDED)) == 3


def test_members_cannot_add_or_remove_members(world):
    member = world.arena.members.get(organisation=world.employer)
    with pytest.raises(PermissionDenied):
        services.arena_member_add(actor=world.employer_user, arena=world.arena, organisation=world.outsider_org)
    with pytest.raises(PermissionDenied):
        services.arena_member_remove(actor=world.provider_user, member=member)
    assert world.arena.members.count() == 3


def test_the_stage_moves_with_who_when_from_to_and_a_note(world):
    services.arena_stage_set(actor=world.coordinator, arena=world.arena, stage=Stage.SAMSYN, note="Vi är överens")
    services.arena_stage_set(actor=world.coordinator, arena=world.arena, stage=Stage.SAMVERKAN)
    history = stage_history(arena=world.arena)
    assert [(c.old, c.new) for c in history] == [(Stage.SAMSYN.label, Stage.SAMVERKAN.label),
                                                 (Stage.SAMTAL.label, Stage.SAMSYN.label)]
    assert history[1].note == "Vi är överens" and history[1].actor == world.coordinator
    assert Arena.objects.get(pk=world.arena.pk).stage == Stage.SAMVERKAN


def test_the_same_stage_or_an_unknown_one_is_refused(world):
    with pytest.raises(ValidationError):
        services.arena_stage_set(actor=world.coordinator, arena=world.arena, stage=Stage.SAMTAL)
    with pytest.raises(ValidationError):
        services.arena_stage_set(actor=world.coordinator, arena=world.arena, stage="samarbete")
    with pytest.raises(PermissionDenied):
        services.arena_stage_set(actor=world.employer_user, arena=world.arena, stage=Stage.SAMSYN)
    assert not events_of(world.arena, ArenaEvent.Type.STAGE_CHANGED)


def test_hosting_is_delegated_only_to_a_member_of_the_arena(world):
    with pytest.raises(ValidationError):
        services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.outsider, host=True)
    services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.provider_user, host=True)
    row = world.arena.members.get(user=world.provider_user)
    assert row.role == ArenaMember.Role.HOST
    services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.provider_user, host=False)
    assert world.arena.members.get(user=world.provider_user).role == ArenaMember.Role.MEMBER
    assert [e.data["host"] for e in events_of(world.arena, ArenaEvent.Type.HOST_SET)] == [False, True]


def test_a_session_is_scheduled_with_an_ordered_agenda_a_join_code_and_an_invite_token(world):
    session = make_session(world, agenda=["Läget", "", "Åtgärder"])
    assert [(i.position, i.title) for i in session.agenda_items.all()] == [(1, "Läget"), (2, "Åtgärder")]
    assert len(session.join_code) == 6 and not set(session.join_code) & set("01OIL")
    assert len(session.invite_token) >= 20
    assert session.state == ArenaSession.State.SCHEDULED and session.version == 0


def test_a_session_must_end_after_it_starts_and_nothing_is_written(world):
    with pytest.raises(ValidationError):
        services.session_create(actor=world.coordinator, arena=world.arena, title="Baklänges", starts_at=at(3, 11),
                                ends_at=at(3, 9), agenda=["Punkt"])
    assert not ArenaSession.objects.exists()


def test_the_state_goes_scheduled_live_closed_by_a_host_only_bumping_the_version(world):
    session = make_session(world)
    with pytest.raises(PermissionDenied):
        services.session_state_set(actor=world.employer_user, session=session, state="live")
    with pytest.raises(ValidationError):
        services.session_state_set(actor=world.coordinator, session=session, state="closed")
    session = services.session_state_set(actor=world.coordinator, session=session, state="live")
    assert (session.state, session.version, session.opened_at is not None) == ("live", 1, True)
    session = services.session_state_set(actor=world.coordinator, session=session, state="closed")
    assert (session.state, session.version, session.closed_at is not None) == ("closed", 2, True)
    with pytest.raises(ValidationError):
        services.session_state_set(actor=world.coordinator, session=session, state="live")
    changes = [(e.data["old"], e.data["new"]) for e in events_of(world.arena, ArenaEvent.Type.SESSION_STATE_CHANGED)]
    assert changes == [("live", "closed"), ("scheduled", "live")]


def test_a_delegated_host_runs_sessions_but_does_not_manage_the_arena(world):
    services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.provider_user, host=True)
    arena = Arena.objects.get(pk=world.arena.pk)
    session = services.session_create(actor=world.provider_user, arena=arena, title="Värdens möte",
                                      starts_at=at(2), ends_at=at(2, 10))
    services.session_state_set(actor=world.provider_user, session=session, state="live")
    with pytest.raises(PermissionDenied):
        services.arena_member_add(actor=world.provider_user, arena=arena, organisation=world.outsider_org)
    with pytest.raises(PermissionDenied):
        services.arena_stage_set(actor=world.provider_user, arena=arena, stage=Stage.SAMSYN)


def test_moving_a_session_clears_its_reminder_and_a_live_session_cannot_be_moved(world):
    session = make_session(world)
    ArenaSession.objects.filter(pk=session.pk).update(reminded_at=at(0))
    session.refresh_from_db()
    services.session_update(actor=world.coordinator, session=session, title=session.title, starts_at=at(8, 9),
                            ends_at=at(8, 11), place="Arvika", url="")
    session.refresh_from_db()
    assert session.reminded_at is None and session.place == "Arvika"
    changes = events_of(world.arena, ArenaEvent.Type.SESSION_UPDATED)[0].data["changes"]
    assert set(changes) == {"starts_at", "ends_at", "place"}
    services.session_state_set(actor=world.coordinator, session=session, state="live")
    with pytest.raises(ValidationError):
        services.session_update(actor=world.coordinator, session=session, title="Nytt", starts_at=at(9, 9),
                                ends_at=at(9, 11), place="", url="")


def test_agenda_items_are_added_changed_and_removed_keeping_their_order(world):
    session = make_session(world, agenda=["Ett", "Två", "Tre"])
    services.agenda_item_add(actor=world.coordinator, session=session, title="Fyra")
    first = session.agenda_items.get(position=1)
    services.agenda_item_update(actor=world.coordinator, item=first, title="Ett", notes="Anteckning")
    services.agenda_item_remove(actor=world.coordinator, item=session.agenda_items.get(title="Två"))
    assert [(i.position, i.title) for i in session.agenda_items.all()] == [(1, "Ett"), (2, "Tre"), (3, "Fyra")]
    assert session.agenda_items.get(title="Ett").notes == "Anteckning"
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=world.person, session=session, title="Fem")


def test_a_decision_links_needs_occupations_and_gaps_with_an_event(world):
    session = make_session(world)
    need = make_need(world.employer, ssyk4=CARE, visibility="public")
    care = SsykGroup.objects.get(code=CARE)
    decision = services.decision_create(actor=world.coordinator, session=session, text="Prioritera undersköterskor",
                                        visibility=Decision.Visibility.PUBLIC, needs=[need], occupations=[care],
                                        gaps=[care], agenda_item=session.agenda_items.first())
    assert list(decision.needs.all()) == [need] and list(decision.gaps.all()) == [care]
    assert events_of(world.arena, ArenaEvent.Type.DECISION_CREATED)[0].data["visibility"] == "public"
    services.decision_update(actor=world.coordinator, decision=decision, text="Prioritera undersköterskor 2027",
                             visibility=Decision.Visibility.MEMBERS, agenda_item=None, needs=[], occupations=[care],
                             gaps=[care])
    changes = events_of(world.arena, ArenaEvent.Type.DECISION_UPDATED)[0].data["changes"]
    assert set(changes) == {"text", "visibility", "agenda_item", "needs"}


def test_a_decision_cannot_link_a_need_the_host_may_not_read_and_nothing_is_written(world):
    session = make_session(world)
    hidden = make_need(world.outsider_org, ssyk4=CARE, visibility="aggregated")
    with pytest.raises(ValidationError) as error:
        services.decision_create(actor=world.coordinator, session=session, text="Läcker", needs=[hidden])
    assert "needs" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_decision_cannot_name_another_sessions_agenda_item_or_be_added_to_a_closed_session(world):
    session, other = make_session(world), make_session(world, days=20, title="Annat")
    with pytest.raises(ValidationError):
        services.decision_create(actor=world.coordinator, session=session, text="Fel punkt",
                                 agenda_item=other.agenda_items.first())
    services.session_state_set(actor=world.coordinator, session=session, state="live")
    services.session_state_set(actor=world.coordinator, session=session, state="closed")
    with pytest.raises(ValidationError):
        services.decision_create(actor=world.coordinator, session=session, text="För sent")
    assert not Decision.objects.exists()


def test_members_cannot_record_decisions_or_action_items(world):
    session = make_session(world)
    with pytest.raises(PermissionDenied):
        services.decision_create(actor=world.employer_user, session=session, text="Nej")
    with pytest.raises(PermissionDenied):
        services.action_item_create(actor=world.person, session=session, text="Nej", due_on=dt.date(2027, 1, 1),
                                    owner_user=world.person)
    assert not Decision.objects.exists() and not ActionItem.objects.exists()


def test_an_action_item_has_one_owner_who_is_a_member(world):
    session = make_session(world)
    for owners in ({}, {"owner_organisation": world.employer, "owner_user": world.person},
                   {"owner_organisation": world.outsider_org}, {"owner_user": world.outsider}):
        with pytest.raises(ValidationError):
            services.action_item_create(actor=world.coordinator, session=session, text="Gör", due_on=at(9).date(),
                                        **owners)
    assert not ActionItem.objects.exists()
    by_org_member = services.action_item_create(actor=world.coordinator, session=session, text="Gör",
                                                due_on=at(9).date(), owner_user=world.employer_user)
    assert by_org_member.owner_user == world.employer_user


def test_an_action_item_stays_editable_after_its_session_closed_and_records_who_changed_what(world):
    session = make_session(world)
    item = services.action_item_create(actor=world.coordinator, session=session, text="Ta fram APL-platser",
                                       due_on=at(9).date(), owner_organisation=world.employer)
    services.session_state_set(actor=world.coordinator, session=session, state="live")
    services.session_state_set(actor=world.coordinator, session=session, state="closed")
    services.action_item_update(actor=world.coordinator, item=item, text=item.text, due_on=item.due_on,
                                status=ActionItem.Status.DONE, owner_organisation=world.employer, owner_user=None,
                                agenda_item=None, needs=[], occupations=[], gaps=[])
    event = events_of(world.arena, ArenaEvent.Type.ACTION_UPDATED)[0]
    assert event.actor == world.coordinator and event.data["changes"] == {"status": ["open", "done"]}


def test_an_agenda_item_moves_up_and_down_and_stays_put_at_the_ends(world):
    session = make_session(world, agenda=["Ett", "Två", "Tre"])
    three = session.agenda_items.get(title="Tre")
    services.agenda_item_move(actor=world.coordinator, item=three, up=True)
    services.agenda_item_move(actor=world.coordinator, item=three, up=True)
    services.agenda_item_move(actor=world.coordinator, item=three, up=True)
    services.agenda_item_move(actor=world.coordinator, item=session.agenda_items.get(title="Ett"), up=False)
    assert list(session.agenda_items.values_list("title", flat=True)) == ["Tre", "Två", "Ett"]
    assert [i.position for i in session.agenda_items.all()] == [1, 2, 3]
    with pytest.raises(PermissionDenied):
        services.agenda_item_move(actor=world.employer_user, item=three, up=False)
