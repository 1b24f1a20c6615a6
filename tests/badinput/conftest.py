"""Everything a bad-input test posts to: the arena world of tests/dialogues (a coordinator, an
employer, a provider) with a need, a programme with an intake, a validation path, and a live
session holding a decision and an action item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from dialogues import services as dialogue_services
from dialogues.models import ArenaSession
from providers.services import validation_path_create
from tests.dialogues.conftest import World, make_session, world  # noqa: F401  (the fixture is used below)
from tests.factories import make_need, make_programme


@dataclass
class Objects:
    world: World
    need: object
    programme: object
    validation: object
    session: ArenaSession
    decision: object
    action: object


@pytest.fixture
def objects(world) -> Objects:  # noqa: F811
    need = make_need(world.employer, kommun_code="1780")
    programme = make_programme(world.provider)
    validation = validation_path_create(actor=world.provider_user, organiser=world.provider,
                                        name="Branschvalidering undersköterska", method="branch_model")
    session = dialogue_services.session_state_set(actor=world.coordinator, session=make_session(world),
                                                  state=ArenaSession.State.LIVE)
    decision = dialogue_services.decision_create(actor=world.coordinator, session=session, text="Vi satsar på vård",
                                                 visibility="public")
    action = dialogue_services.action_item_create(actor=world.coordinator, session=session, text="Ring skolan",
                                                  due_on=dt.date.today() + dt.timedelta(days=30),
                                                  owner_organisation=world.employer)
    return Objects(world=world, need=need, programme=programme, validation=validation, session=session,
                   decision=decision, action=action)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client
