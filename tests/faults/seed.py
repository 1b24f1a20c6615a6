"""The little data the fault tests need, written through the services into the private database:
``python -m tests.faults.seed GUESTS`` (with DJANGO_SETTINGS_MODULE and DATABASE_URL set) prints
JSON with a live session, its host's session cookie, guests' cookies and a person who can sign in.

The reference data is the few rows the arena needs, not the whole taxonomy (load_taxonomy takes
a quarter of a minute that these tests do not need)."""

from __future__ import annotations

import datetime as dt
import json
import sys


def seed(guests: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from dialogues import services
    from dialogues.live import access
    from dialogues.live.services import participant_join_guest
    from dialogues.models import ArenaSession
    from matchplats.organisations.models import Organisation
    from matchplats.taxonomy.models import Kommun, Lan, SsykGroup
    from tests.factories import PASSWORD, make_organisation, make_region, make_user

    lan = Lan.objects.create(code="17", concept_id="EVVp_h6U_GSZ", label="Värmlands län")
    Kommun.objects.create(code="1780", concept_id="hRDj_PoV_sFU", label="Karlstad", lan=lan)
    care = SsykGroup.objects.create(code="5321", level=4, concept_id="faults-5321", label="Undersköterskor")
    coordinator = make_user("koordinator@region17.se")
    make_region("17", coordinator=coordinator)
    employer = make_organisation(Organisation.Kind.EMPLOYER, name="Omsorg AB")
    arena = services.arena_create(actor=coordinator, name="Vård och omsorg", lan=lan, ssyk_groups=[care])
    services.arena_member_add(actor=coordinator, arena=arena, organisation=employer)
    day = timezone.localdate()
    session = services.session_create(
        actor=coordinator, arena=arena, title="Höstmöte", place="Karlstad", agenda=["Läget"],
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8))),
        ends_at=timezone.make_aware(dt.datetime.combine(day, dt.time(23))))
    session = services.session_state_set(actor=coordinator, session=session, state=ArenaSession.State.LIVE)

    host = Client()
    host.force_login(coordinator)
    participants = [participant_join_guest(session=session, display_name=f"Gäst {n}") for n in range(1, guests + 1)]
    person = make_user("deltagare@example.se")
    return {
        "session": session.pk,
        "host_cookies": {settings.SESSION_COOKIE_NAME: host.cookies[settings.SESSION_COOKIE_NAME].value},
        "guests": [{access.guest_cookie_name(session.pk): access.guest_token(p)} for p in participants],
        "login": {"email": person.email, "password": PASSWORD},
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(seed(int(sys.argv[1]))))
