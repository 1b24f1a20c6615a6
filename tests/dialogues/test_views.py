"""The arena pages as a host and a member use them: forms that write through the services, the
invitation with its calendar file, the minutes as page, PDF and DOCX, and the need page's
fragment that shows only the decisions the viewer may read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from dialogues import services
from dialogues.models import ActionItem, Arena, ArenaSession, Decision
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.dialogues.conftest import at, make_session
from tests.dialogues.test_calendar import properties, unfold
from tests.factories import make_need, make_user

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_an_arena_from_the_form_and_lands_on_its_members(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("dialogues:create")).status_code == 200
    care = SsykGroup.objects.get(code="5321")
    response = client.post(reverse("dialogues:create"), {
        "name": "Industrirådet", "lan": Lan.objects.get(code="17").pk, "ssyk_groups": [care.pk]})
    arena = Arena.objects.get(name="Industrirådet")
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:members", args=[arena.pk])


def test_an_arena_without_a_branch_gets_a_clear_error_and_is_not_created(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("dialogues:create"), {"name": "Utan bransch", "lan": world.arena.lan_id})
    assert response.status_code == 200
    assert "occupation_fields" in response.context["form"].errors
    assert not Arena.objects.filter(name="Utan bransch").exists()


def test_adding_a_person_by_an_unknown_address_says_so_and_adds_nobody(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("dialogues:members", args=[world.arena.pk]), {"email": "okand@example.se"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert world.arena.members.count() == 3


def test_the_host_schedules_a_session_with_agenda_from_the_form(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("dialogues:session_create", args=[world.arena.pk]), {
        "title": "Vintermöte", "starts_at": "2030-01-15T13:00", "ends_at": "2030-01-15T15:00",
        "place": "Karlstad", "agenda": "Läget\nPrioriteringar\n"})
    session = ArenaSession.objects.get(title="Vintermöte")
    assert response.status_code == 302
    assert [i.title for i in session.agenda_items.all()] == ["Läget", "Prioriteringar"]
    page = client.get(reverse("dialogues:session", args=[session.pk])).content.decode()
    assert session.join_code in page and session.invite_token in page


def test_members_do_not_see_the_join_code_or_the_host_controls(client, world):
    session = make_session(world)
    client.force_login(world.employer_user)
    page = client.get(reverse("dialogues:session", args=[session.pk])).content.decode()
    assert session.join_code not in page and session.invite_token not in page
    assert reverse("dialogues:session_state", args=[session.pk]) not in page


def test_the_host_records_a_decision_linked_to_a_need_and_an_action_item_from_the_session_page(client, world):
    session = make_session(world)
    need = make_need(world.employer, ssyk4="5321", title="Undersköterskor i hemtjänsten")
    client.force_login(world.coordinator)
    form = client.get(reverse("dialogues:decision_create", args=[session.pk]))
    assert "Undersköterskor i hemtjänsten" in form.content.decode()
    item = session.agenda_items.first()
    client.post(reverse("dialogues:decision_create", args=[session.pk]), {
        "text": "Hemtjänsten först", "visibility": "public", "agenda_item": item.pk, "needs": [need.pk]})
    client.post(reverse("dialogues:action_create", args=[session.pk]), {
        "text": "Ta fram APL-platser", "owner": f"org-{world.employer.pk}", "due_on": "2030-02-01",
        "agenda_item": item.pk})
    decision, action = Decision.objects.get(), ActionItem.objects.get()
    assert list(decision.needs.all()) == [need] and decision.agenda_item == item
    assert action.owner_organisation == world.employer and action.status == "open"
    page = client.get(reverse("dialogues:session", args=[session.pk])).content.decode()
    assert "Hemtjänsten först" in page and "Ta fram APL-platser" in page


def test_an_owner_outside_the_arena_is_refused_with_a_clear_error(client, world):
    session = make_session(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("dialogues:action_create", args=[session.pk]), {
        "text": "Gör", "owner": f"org-{world.outsider_org.pk}", "due_on": "2030-02-01"})
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert not ActionItem.objects.exists()


def test_the_invitation_goes_to_every_member_with_a_calendar_file(client, world):
    session = make_session(world)
    client.force_login(world.coordinator)
    client.post(reverse("dialogues:session_invite", args=[session.pk]))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.employer_user.email, world.provider_user.email, world.person.email])
    message = mail.outbox[0]
    assert "Höstmöte" in message.subject and "Läget" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    props = properties(unfold(content if isinstance(content, bytes) else content.encode()))
    assert props["SUMMARY"] == "Höstmöte"
    assert props["DTSTART"] == session.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert ArenaSession.objects.get(pk=session.pk).invited_at is not None


def test_a_member_downloads_the_calendar_file(client, world):
    session = make_session(world)
    client.force_login(world.person)
    response = client.get(reverse("dialogues:session_ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    props = properties(unfold(response.content))
    assert props["UID"].startswith(f"session-{session.pk}-") and props["LOCATION"] == "Karlstad"


@pytest.fixture
def closed_session(world):
    session = make_session(world, agenda=["Läget i hemtjänsten"])
    item = session.agenda_items.get()
    services.agenda_item_update(actor=world.coordinator, item=item, title=item.title, notes="Tolv behövs")
    services.decision_create(actor=world.coordinator, session=session, text="Undersköterskor är prioritet ett",
                             agenda_item=item)
    services.action_item_create(actor=world.coordinator, session=session, text="Öppna en andra antagning",
                                due_on=at(30).date(), owner_organisation=world.provider)
    services.session_state_set(actor=world.coordinator, session=session, state="live")
    return services.session_state_set(actor=world.coordinator, session=session, state="closed")


def test_the_minutes_exist_only_after_closing(client, world):
    session = make_session(world)
    client.force_login(world.coordinator)
    assert client.get(reverse("dialogues:minutes", args=[session.pk])).status_code == 403


def test_the_minutes_page_pdf_and_docx_hold_the_agenda_notes_decisions_and_action_items(client, world,
                                                                                        closed_session):
    client.force_login(world.employer_user)
    page = client.get(reverse("dialogues:minutes", args=[closed_session.pk])).content.decode()
    pdf = client.get(reverse("dialogues:minutes_pdf", args=[closed_session.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    docx = client.get(reverse("dialogues:minutes_docx", args=[closed_session.pk]))
    document = Document(io.BytesIO(docx.content))
    docx_text = "\n".join([p.text for p in document.paragraphs]
                          + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    for text in ("Läget i hemtjänsten", "Tolv behövs", "Undersköterskor är prioritet ett", "Öppna en andra antagning",
                 "Komvux Karlstad"):
        assert text in page, text
        assert text in pdf_text.replace("\n", " "), text
        assert text in docx_text, text


def test_open_action_items_stay_on_the_arena_page_until_done(client, world, closed_session):
    client.force_login(world.person)
    url = reverse("dialogues:arena", args=[world.arena.pk])
    assert "Öppna en andra antagning" in client.get(url).content.decode()
    item = ActionItem.objects.get()
    services.action_item_update(actor=world.coordinator, item=item, text=item.text, due_on=item.due_on, status="done",
                                owner_organisation=world.provider, owner_user=None, agenda_item=None, needs=[],
                                occupations=[], gaps=[])
    assert "Öppna en andra antagning" not in client.get(url).content.decode()


def test_the_coordinator_changes_the_stage_from_the_arena_page(client, world):
    client.force_login(world.coordinator)
    client.post(reverse("dialogues:stage", args=[world.arena.pk]), {"stage": "samsyn", "note": "Enade"})
    page = client.get(reverse("dialogues:arena", args=[world.arena.pk])).content.decode()
    assert Arena.objects.get(pk=world.arena.pk).stage == "samsyn" and "Enade" in page


# --- the need page's fragment -------------------------------------------------------------------------


@pytest.fixture
def decided_need(world):
    need = make_need(world.employer, ssyk4="5321", title="Undersköterskor till hemtjänsten")
    session = make_session(world)
    services.decision_create(actor=world.coordinator, session=session, text="Beslut för alla",
                             visibility=Decision.Visibility.PUBLIC, needs=[need])
    services.decision_create(actor=world.coordinator, session=session, text="Beslut för medlemmar", needs=[need])
    return need


def test_the_need_fragment_shows_public_decisions_to_everyone_who_may_see_the_need(client, world, decided_need):
    url = reverse("dialogues:need_decisions", args=[decided_need.pk])
    for viewer in (None, world.outsider, make_user()):
        client.logout()
        if viewer:
            client.force_login(viewer)
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "Beslut för alla" in page and "Beslut för medlemmar" not in page


def test_members_see_members_only_decisions_in_the_need_fragment(client, world, decided_need):
    client.force_login(world.provider_user)
    page = client.get(reverse("dialogues:need_decisions", args=[decided_need.pk])).content.decode()
    assert "Beslut för alla" in page and "Beslut för medlemmar" in page


def test_the_need_fragment_of_a_need_one_may_not_see_is_not_found(client, world):
    hidden = make_need(world.employer, ssyk4="5321", visibility="aggregated")
    client.force_login(world.outsider)
    assert client.get(reverse("dialogues:need_decisions", args=[hidden.pk])).status_code == 404


def test_the_need_page_loads_the_fragment_by_url_name(client, world, decided_need):
    page = client.get(reverse("employers:detail", args=[decided_need.pk])).content.decode()
    assert f'hx-get="{reverse("dialogues:need_decisions", args=[decided_need.pk])}"' in page


def test_the_action_items_history_says_who_changed_what_in_words(client, world, closed_session):
    item = ActionItem.objects.get()
    services.action_item_update(actor=world.coordinator, item=item, text=item.text, due_on=item.due_on,
                                status="in_progress", owner_organisation=world.provider, owner_user=None,
                                agenda_item=None, needs=[], occupations=[], gaps=[])
    client.force_login(world.coordinator)
    page = client.get(reverse("dialogues:action_edit", args=[item.pk]), headers={"Accept-Language": "en"})
    history = page.content.decode().split("<h2>History</h2>")[1]
    assert "status: Open → In progress" in history and world.coordinator.email in history


def test_the_host_moves_an_agenda_item_from_the_session_page(client, world):
    session = make_session(world, agenda=["Ett", "Två"])
    client.force_login(world.coordinator)
    client.post(reverse("dialogues:agenda_edit", args=[session.agenda_items.get(title="Två").pk]), {"move": "up"})
    assert list(session.agenda_items.values_list("title", flat=True)) == ["Två", "Ett"]
