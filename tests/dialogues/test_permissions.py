"""The arena rules of docs/permissions.md, each tried by someone who should not get through:
outsiders see nothing of an arena (404, and nothing in lists or counts), members see but do not
run it, delegated hosts run sessions but do not manage the arena, and only public decisions are
shown outside."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import ArenaSession, Decision
from dialogues.selectors import arena_list, arenas_visible_to, decisions_visible_to
from matchplats.organisations.models import Membership
from tests.dialogues.conftest import make_session
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    session = make_session(world)
    services.decision_create(actor=world.coordinator, session=session, text="Hemligt beslut")
    services.decision_create(actor=world.coordinator, session=session, text="Öppet beslut",
                             visibility=Decision.Visibility.PUBLIC)
    services.action_item_create(actor=world.coordinator, session=session, text="Gör något",
                                due_on=session.starts_at.date(), owner_organisation=world.employer)
    services.session_state_set(actor=world.coordinator, session=session, state="live")
    return services.session_state_set(actor=world.coordinator, session=session, state="closed")


def arena_urls(world, session: ArenaSession) -> list[str]:
    decision, item = session.decisions.first(), session.action_items.first()
    return [reverse("dialogues:arena", args=[world.arena.pk]), reverse("dialogues:members", args=[world.arena.pk]),
            reverse("dialogues:session", args=[session.pk]), reverse("dialogues:session_ics", args=[session.pk]),
            reverse("dialogues:minutes", args=[session.pk]), reverse("dialogues:minutes_pdf", args=[session.pk]),
            reverse("dialogues:minutes_docx", args=[session.pk]),
            reverse("dialogues:decision_edit", args=[decision.pk]), reverse("dialogues:action_edit", args=[item.pk])]


def test_outsiders_get_404_for_everything_in_a_members_only_arena(client, world, closed):
    for outsider in (world.outsider, world.other_coordinator, make_user(staff=True)):
        client.force_login(outsider)
        for url in arena_urls(world, closed):
            assert client.get(url).status_code == 404, (outsider, url)


def test_outsiders_find_the_arena_in_no_list_and_no_count(client, world, closed):
    assert not arenas_visible_to(world.outsider).exists()
    assert arena_list(world.outsider) == []
    client.force_login(world.outsider)
    page = client.get(reverse("dialogues:list")).content.decode()
    assert "Vård och omsorg" not in page and 'href="/arenor/"' not in page
    assert set(decisions_visible_to(world.outsider).values_list("text", flat=True)) == {"Öppet beslut"}


def test_visitors_are_sent_to_sign_in(client, world, closed):
    for url in arena_urls(world, closed):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"], url


def test_members_of_member_organisations_and_people_added_see_the_arena_its_minutes_and_action_items(
        client, world, closed):
    for member in (world.employer_user, world.provider_user, world.person):
        client.force_login(member)
        for url in arena_urls(world, closed)[:7]:
            assert client.get(url).status_code == 200, (member, url)
        page = client.get(reverse("dialogues:arena", args=[world.arena.pk])).content.decode()
        assert "Gör något" in page and "Hemligt beslut" in page


def test_a_member_who_leaves_the_organisation_loses_the_arena(client, world, closed):
    leaver = make_user()
    Membership.objects.create(user=leaver, organisation=world.employer)
    client.force_login(leaver)
    assert client.get(reverse("dialogues:arena", args=[world.arena.pk])).status_code == 200
    Membership.objects.filter(user=leaver).delete()
    assert client.get(reverse("dialogues:arena", args=[world.arena.pk])).status_code == 404


def test_removing_an_organisation_from_the_arena_removes_its_people(client, world, closed):
    services.arena_member_remove(actor=world.coordinator, member=world.arena.members.get(organisation=world.employer))
    client.force_login(world.employer_user)
    assert client.get(reverse("dialogues:minutes", args=[closed.pk])).status_code == 404


def test_members_may_not_run_sessions_or_manage_the_arena_and_nothing_changes(client, world):
    session = make_session(world)
    client.force_login(world.employer_user)
    posts = [
        (reverse("dialogues:session_state", args=[session.pk]), {"state": "live"}),
        (reverse("dialogues:session_invite", args=[session.pk]), {}),
        (reverse("dialogues:agenda_add", args=[session.pk]), {"new-title": "Intrång"}),
        (reverse("dialogues:decision_create", args=[session.pk]), {"text": "Intrång", "visibility": "public"}),
        (reverse("dialogues:stage", args=[world.arena.pk]), {"stage": "samsyn"}),
        (reverse("dialogues:members", args=[world.arena.pk]), {"organisation": world.outsider_org.pk}),
        (reverse("dialogues:edit", args=[world.arena.pk]), {"name": "Kapad"}),
        (reverse("dialogues:session_create", args=[world.arena.pk]), {"title": "Eget möte"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    session.refresh_from_db()
    assert session.state == "scheduled" and session.invited_at is None
    assert session.agenda_items.count() == 2 and not Decision.objects.exists()
    assert world.arena.members.count() == 3 and world.arena.sessions.count() == 1


def test_a_delegated_host_runs_sessions_but_may_not_change_members_or_stage(client, world):
    services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.person, host=True)
    session = make_session(world)
    client.force_login(world.person)
    assert client.post(reverse("dialogues:session_state", args=[session.pk]), {"state": "live"}).status_code == 302
    assert ArenaSession.objects.get(pk=session.pk).state == "live"
    assert client.post(reverse("dialogues:stage", args=[world.arena.pk]), {"stage": "samsyn"}).status_code == 403
    assert client.post(reverse("dialogues:members", args=[world.arena.pk]),
                       {"organisation": world.outsider_org.pk}).status_code == 403


def test_the_coordinator_of_another_county_cannot_create_an_arena_in_this_one(client, world):
    client.force_login(world.other_coordinator)
    response = client.post(reverse("dialogues:create"), {"name": "Fel län", "lan": world.arena.lan_id,
                                                         "ssyk_groups": [world.arena.ssyk_groups.first().pk]})
    assert response.status_code == 200 and "lan" in response.context["form"].errors
    assert not world.arena.__class__.objects.filter(name="Fel län").exists()


def test_people_without_a_region_cannot_open_the_create_page(client, world):
    client.force_login(world.employer_user)
    assert client.get(reverse("dialogues:create")).status_code == 403


def test_the_join_page_needs_the_exact_invite_token(client, world):
    session = make_session(world)
    assert client.get(reverse("dialogues:join", args=[session.invite_token])).status_code == 200
    last = "y" if session.invite_token.endswith("x") else "x"
    assert client.get(reverse("dialogues:join", args=[session.invite_token[:-1] + last])).status_code == 404
