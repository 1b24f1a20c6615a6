"""The Region Värmland demo: built through the services, with what the data says about each
programme's purpose."""

import datetime as dt

import pytest
from django.conf import settings

from dialogues.demo import demo_seed
from providers.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_marks_further_education_as_the_data_says_and_can_be_built_twice(taxonomy):
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    further = Programme.objects.filter(sun_field__label__startswith="Vidareutbildningar för")
    assert further.exists()
    assert set(further.values_list("purpose", flat=True)) == {Programme.Purpose.FURTHER}
    assert Programme.objects.filter(purpose=Programme.Purpose.INTO).exists()
    count = Programme.objects.count()
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    assert Programme.objects.count() == count


def test_the_demo_has_a_planned_yh_programme_backed_by_an_employer(taxonomy):
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    planned = Programme.objects.get(status=Programme.Status.PLANNED, form=Programme.Form.YH)
    backing = planned.backings.get()
    assert backing.employer.name == "Omsorg i Karlstad AB (demo)"
    assert backing.lia_places == 6 and backing.letter_of_intent and backing.letter_text


def test_the_demo_has_a_care_arena_with_a_closed_a_live_and_a_coming_session_and_is_built_once(taxonomy):
    from dialogues.models import ActionItem, Arena, ArenaSession, Decision, Poll

    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    arena = Arena.objects.get()
    assert arena.lan.code == "17" and arena.stage == "samsyn" and arena.members.count() == 5
    assert sorted(arena.sessions.values_list("state", flat=True)) == [ArenaSession.State.CLOSED,
                                                                      ArenaSession.State.LIVE,
                                                                      ArenaSession.State.SCHEDULED]
    closed_poll = Poll.objects.get(session__state=ArenaSession.State.CLOSED)
    assert closed_poll.state == Poll.State.CLOSED and closed_poll.results["answers"] == 4
    live_poll = Poll.objects.get(session__state=ArenaSession.State.LIVE)
    assert live_poll.state == Poll.State.OPEN and live_poll.answers.count() == 1
    assert Decision.objects.filter(visibility=Decision.Visibility.PUBLIC, needs__isnull=False).exists()
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"open", "in_progress", "done"}
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    assert Arena.objects.count() == 1 and ArenaSession.objects.count() == 3


def test_every_demo_organisation_has_accepted_the_terms_also_one_seeded_before_there_were_terms(taxonomy):
    from matchplats.core.terms import TERMS_VERSION
    from matchplats.organisations.models import Organisation

    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    assert set(Organisation.objects.values_list("accepted_terms_version", flat=True)) == {TERMS_VERSION}
    Organisation.objects.update(accepted_terms_at=None, accepted_terms_version="")
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    assert not Organisation.objects.filter(accepted_terms_at__isnull=True).exists()
    assert set(Organisation.objects.values_list("accepted_terms_version", flat=True)) == {TERMS_VERSION}


def test_the_demo_regions_audit_log_shows_staff_adding_its_coordinator(taxonomy):
    from matchplats.accounts.models import AuditEvent
    from matchplats.accounts.selectors import audit_events_of_organisation
    from matchplats.organisations.models import Organisation

    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    region = Organisation.objects.get(kind=Organisation.Kind.REGION)
    [added] = audit_events_of_organisation(organisation=region)
    assert added.action == AuditEvent.Action.MEMBER_ADDED and added.details == {"role": "admin", "how": "staff"}
    assert added.subject.email == "koordinator@regionvarmland.example" and added.actor.email == "admin@matchplats.example"


def test_the_demo_coordinator_reads_in_the_log_that_platform_staff_added_them(client, taxonomy):
    from matchplats.organisations.models import Organisation

    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    region = Organisation.objects.get(kind=Organisation.Kind.REGION)
    client.force_login(region.memberships.get().user)
    page = client.get(f"/organisationer/{region.pk}/granskningslogg/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "plattformens personal (user-" in page and "admin@matchplats.example" not in page
