"""Random data posted to every form page of the apps (needs, programmes with their intakes
formset, validation paths, backing, organisations and invitations, arenas, sessions, agenda,
decisions, action items, joining) and random query strings on every list and filter page:
never a server error, and a page that does not redirect (the form was refused) wrote nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.badinput.conftest import client_for
from tests.badinput.support import field_values, form_fields, hostile_text, post_data, row_counts, tried

pytestmark = [pytest.mark.django_db, pytest.mark.badinput]

# (page, who posts, the page's URL): the form is read from the page itself, so a field added
# later is fuzzed without touching this list.
FORM_PAGES = [
    ("need create", "employer_user", lambda o: reverse("employers:create")),
    ("need edit", "employer_user", lambda o: reverse("employers:edit", args=[o.need.pk])),
    ("need status", "employer_user", lambda o: reverse("employers:detail", args=[o.need.pk])),
    ("programme create", "provider_user", lambda o: reverse("providers:create")),
    ("programme edit", "provider_user", lambda o: reverse("providers:edit", args=[o.programme.pk])),
    ("programme backing", "employer_user", lambda o: reverse("providers:backing", args=[o.programme.pk])),
    ("validation create", "provider_user", lambda o: reverse("providers:validation_create")),
    ("validation edit", "provider_user", lambda o: reverse("providers:validation_edit", args=[o.validation.pk])),
    ("organisation create", "person", lambda o: reverse("organisations:create")),
    ("organisation edit", "employer_user", lambda o: reverse("organisations:edit", args=[o.world.employer.pk])),
    ("invitation", "employer_user", lambda o: reverse("organisations:detail", args=[o.world.employer.pk])),
    ("arena create", "coordinator", lambda o: reverse("dialogues:create")),
    ("arena edit", "coordinator", lambda o: reverse("dialogues:edit", args=[o.world.arena.pk])),
    ("arena stage", "coordinator", lambda o: reverse("dialogues:arena", args=[o.world.arena.pk])),
    ("arena members", "coordinator", lambda o: reverse("dialogues:members", args=[o.world.arena.pk])),
    ("session create", "coordinator", lambda o: reverse("dialogues:session_create", args=[o.world.arena.pk])),
    ("session edit", "coordinator", lambda o: reverse("dialogues:session_edit", args=[o.session.pk])),
    ("session agenda", "coordinator", lambda o: reverse("dialogues:session", args=[o.session.pk])),
    ("decision create", "coordinator", lambda o: reverse("dialogues:decision_create", args=[o.session.pk])),
    ("decision edit", "coordinator", lambda o: reverse("dialogues:decision_edit", args=[o.decision.pk])),
    ("action create", "coordinator", lambda o: reverse("dialogues:action_create", args=[o.session.pk])),
    ("action edit", "coordinator", lambda o: reverse("dialogues:action_edit", args=[o.action.pk])),
    ("guest join", None, lambda o: reverse("dialogues:join", args=[o.session.invite_token])),
]

# Where a page's form posts to when it is not the page itself.
POST_TARGETS = {
    "arena stage": lambda o: reverse("dialogues:stage", args=[o.world.arena.pk]),
    "session agenda": lambda o: reverse("dialogues:agenda_add", args=[o.session.pk]),
    "need status": lambda o: reverse("employers:status", args=[o.need.pk]),
}

FILTER_PAGES = [
    ("needs", "employer_user", lambda o: reverse("employers:list")),
    ("programmes", "provider_user", lambda o: reverse("providers:list")),
    ("validation paths", "provider_user", lambda o: reverse("providers:validation_list")),
    ("organisations", "employer_user", lambda o: reverse("organisations:list")),
    ("arenas", "coordinator", lambda o: reverse("dialogues:list")),
    ("dimensioning", "coordinator", lambda o: "/dimensionering/"),
    ("county report", "coordinator", lambda o: "/rapporter/lan/17/"),
    ("occupation search", "employer_user", lambda o: reverse("employers:occupation_search")),
    ("skill search", "employer_user", lambda o: reverse("employers:skill_search")),
    ("join code", None, lambda o: reverse("dialogues:join_code")),
    ("need exports", "employer_user", lambda o: reverse("employers:export", args=["csv"])),
    ("programme exports", "provider_user", lambda o: reverse("providers:export", args=["csv"])),
]


_fields_of: dict[str, dict] = {}


def _user(objects, who):
    if who is None:
        return None
    if who == "person":
        return objects.world.person
    return getattr(objects.world, who)


@pytest.mark.parametrize("page, who, url", FORM_PAGES, ids=[page for page, _, _ in FORM_PAGES])
@settings(max_examples=6)
@given(data=st.data())
def test_random_data_posted_to_a_form_never_fails_the_server_or_writes_part_of_it(objects, page, who, url, data):
    client = client_for(_user(objects, who))
    address = url(objects)
    if page not in _fields_of:
        response = client.get(address)
        assert response.status_code == 200, (page, response.status_code)
        _fields_of[page] = form_fields(response.content.decode())
        assert _fields_of[page], f"no form fields found on {page}"
    body = post_data(data.draw, _fields_of[page])
    before = row_counts()
    response = client.post(POST_TARGETS.get(page, lambda o: address)(objects), body)
    tried(response)
    assert response.status_code < 500, (page, body)
    if response.status_code != 302:
        assert row_counts() == before, (page, response.status_code, body)


@pytest.mark.parametrize("page, who, url", FILTER_PAGES, ids=[page for page, _, _ in FILTER_PAGES])
@settings(max_examples=6)
@given(data=st.data())
def test_random_query_strings_on_a_list_page_never_fail_the_server_or_write(objects, page, who, url, data):
    client = client_for(_user(objects, who))
    address = url(objects)
    key = f"GET {page}"
    if key not in _fields_of:
        _fields_of[key] = form_fields(client.get(address).content.decode())
    names = list(_fields_of[key]) + ["q", "sida", "page", "organisation", "status", "lan", "kommun", "ssyk", "sort"]
    query = {name: data.draw(field_values(_fields_of[key].get(name)))
             for name in data.draw(st.lists(st.sampled_from(names), max_size=6, unique=True))}
    query.update(data.draw(st.dictionaries(hostile_text, hostile_text, max_size=2)))
    before = row_counts()
    response = client.get(address, query)
    tried(response)
    assert response.status_code < 500, (page, query)
    assert row_counts() == before
