"""How the matching reads a programme without target occupations: the selector
(``programme_reading``), its fragment on the programme page and who gets the form to confirm it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import runtime
from matching.selectors import READING_MIN_SCORE, programme_reading
from tests.factories import add_member, admin_of, make_programme
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def imported(provider_a):
    """A programme as an MYH import leaves it: a name, a short description, no target occupations."""
    return make_programme(provider_a, name="Undersköterska inom äldreomsorg", ssyk4=())


@pytest.fixture
def not_loaded(monkeypatch):
    """This process has not loaded the matcher (yet)."""
    monkeypatch.setattr(runtime, "_shipped", None)
    monkeypatch.setattr(runtime, "_platform", None)


def _reading_url(programme) -> str:
    return reverse("matching:programme_reading", args=[programme.pk])


def _fragment(client, programme) -> str:
    return client.get(_reading_url(programme), headers={"HX-Request": "true"}).content.decode()


def test_a_programme_named_for_an_occupation_is_read_as_that_group_first(platform_matcher, imported):
    reading = programme_reading(imported)
    assert reading.loaded and reading.occupations[0].group.code == "5321"


def test_the_reading_shows_at_most_three_groups_each_scoring_at_least_the_threshold(platform_matcher, imported):
    reading = programme_reading(imported)
    assert 1 <= len(reading.occupations) <= 3
    assert all(read.score >= READING_MIN_SCORE and read.group.level == 4 for read in reading.occupations)
    assert [read.score for read in reading.occupations] == sorted((r.score for r in reading.occupations), reverse=True)


def test_a_name_that_says_no_occupation_is_read_as_nothing_rather_than_a_guess(platform_matcher, provider_a):
    programme = make_programme(provider_a, name="Xqzv plörk", ssyk4=())
    reading = programme_reading(programme)
    assert reading.loaded and reading.occupations == []


def test_the_reading_is_the_groups_the_index_codes_the_programme_to(platform_matcher, imported):
    """What the page shows is what matching uses: the top groups of the index's own coding."""
    from matching import adapters

    doc = adapters.programme_doc(imported)
    block = platform_matcher.space.programme_block([doc])
    start = platform_matcher.space.offsets[1]
    coded = block.rows[0, start:start + len(platform_matcher.space.group_codes)].toarray()[0]
    index_groups = {platform_matcher.space.group_codes[i] for i in coded.nonzero()[0]}
    assert {read.group.code for read in programme_reading(imported).occupations} <= index_groups


def test_when_the_matcher_is_not_loaded_the_reading_says_so_and_does_not_load_it(not_loaded, imported, client):
    assert programme_reading(imported).loaded is False
    body = _fragment(client, imported)
    assert "Matchningen är inte inläst i den här serverprocessen än" in body and "ssyk4" not in body
    assert runtime._shipped is None


def test_the_fragment_reads_the_programme_in_swedish_for_a_visitor_without_a_form(client, platform_matcher, imported):
    body = _fragment(client, imported)
    assert "Inga målyrken angivna. Matchningen tolkar utbildningen som:" in body
    assert "SSYK 5321" in body
    assert "<form" not in body and 'name="ssyk4"' not in body


def test_the_fragment_reads_in_english_too(client, platform_matcher, imported):
    body = client.get(_reading_url(imported), headers={"HX-Request": "true"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No target occupations are given. The matching reads the programme as:" in body


@pytest.mark.parametrize("who", ["member", "admin"])
def test_the_providers_members_get_the_form_to_confirm_the_reading(client, platform_matcher, imported, provider_a, who):
    client.force_login(add_member(provider_a) if who == "member" else admin_of(provider_a))
    body = _fragment(client, imported)
    assert f'action="{reverse("providers:occupations_confirm", args=[imported.pk])}"' in body
    assert 'name="ssyk4" value="5321"' in body and "csrfmiddlewaretoken" in body


def test_another_providers_admin_and_an_employer_member_see_the_reading_but_no_form(
        client, platform_matcher, imported, provider_b, employer_a):
    for user in (admin_of(provider_b), add_member(employer_a)):
        client.force_login(user)
        body = _fragment(client, imported)
        assert "SSYK 5321" in body and "<form" not in body


def test_a_programme_that_names_its_target_occupations_gets_no_reading(client, platform_matcher, provider_a):
    programme = make_programme(provider_a, ssyk4=("5321",))
    assert _fragment(client, programme).strip() == ""
    page = client.get(_reading_url(programme)).content.decode()
    assert "Utbildningen anger sina målyrken:" in page
    detail = client.get(reverse("providers:detail", args=[programme.pk])).content.decode()
    assert _reading_url(programme) not in detail


def test_the_programme_page_loads_the_reading_when_it_names_no_target_occupation(client, imported):
    body = client.get(reverse("providers:detail", args=[imported.pk])).content.decode()
    assert f'hx-get="{_reading_url(imported)}"' in body and f'href="{_reading_url(imported)}"' in body


def test_without_javascript_the_reading_is_a_page_of_its_own(client, platform_matcher, imported):
    body = client.get(_reading_url(imported)).content.decode()
    assert "<h1>Undersköterska inom äldreomsorg</h1>" in body and "SSYK 5321" in body


def test_reading_a_programme_writes_nothing(client, platform_matcher, imported, provider_a):
    client.force_login(admin_of(provider_a))
    imported.refresh_from_db()
    before, updated_at = row_counts(), imported.updated_at
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_reading_url(imported)).status_code == 200
        assert client.get(_reading_url(imported), headers={"HX-Request": "true"}).status_code == 200
        assert client.get(reverse("providers:detail", args=[imported.pk])).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    imported.refresh_from_db()
    assert row_counts() == before and imported.updated_at == updated_at
    assert not imported.target_occupations.exists()


def test_the_reading_of_an_unknown_programme_is_not_found(client, platform_matcher):
    assert client.get(reverse("matching:programme_reading", args=[999999])).status_code == 404


def test_the_reading_address_does_not_answer_a_post(client, platform_matcher, imported, provider_a):
    client.force_login(admin_of(provider_a))
    assert client.post(_reading_url(imported), {"ssyk4": "5321"}).status_code == 405
    assert not imported.target_occupations.exists()


def test_looking_for_the_loaded_matcher_neither_loads_it_nor_waits_for_a_load_in_progress(platform_matcher):
    import threading
    import time

    runtime.use_matcher(None)
    assert runtime.loaded_matcher() is None and runtime._shipped is None
    runtime.use_matcher(platform_matcher)
    assert runtime.loaded_matcher() is platform_matcher
    held, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with runtime.lock:
            held.set()
            release.wait(5)

    loader = threading.Thread(target=hold_the_lock)
    loader.start()
    held.wait(5)
    started = time.monotonic()
    try:
        assert runtime.loaded_matcher() is None
        assert time.monotonic() - started < 1
    finally:
        release.set()
        loader.join()
    assert runtime.loaded_matcher() is platform_matcher
