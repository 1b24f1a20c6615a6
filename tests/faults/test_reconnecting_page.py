"""A participant's page in Chromium while Redis stops and returns (docs/reliability.md, *Faults*):
it shows "Återansluter …", keeps the answer given meanwhile, and sends it once it is connected
again; the database holds it once."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.clients import LiveClient
from tests.faults.conftest import BROWSER_GUEST

pytestmark = pytest.mark.faults

QUESTION = "Vilken väg tar vi först?"
OPTIONS = ["Lärlingsvägen", "Valideringsvägen"]


def _host_opens_a_poll(running) -> int:
    async def open_poll() -> int:
        host = LiveClient(running.app.port, running.seed["session"], "host", running.seed["host_cookies"], "host")
        await host.open()
        created = await host.command("poll.create", "browser-poll", kind="single", question=QUESTION, options=OPTIONS)
        assert created["type"] == "ack", created
        assert (await host.command("poll.open", "browser-open", poll=created["result"]["poll"]))["type"] == "ack"
        await host.close()
        return created["result"]["poll"]

    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this one
        return thread.submit(asyncio.run, open_poll()).result()


def test_the_page_shows_that_it_reconnects_and_sends_the_answer_given_meanwhile(running, browser, say):
    app, redis, seed = running.app, running.redis, running.seed
    context = browser.new_context(locale="sv-SE", base_url=app.url)
    context.add_cookies([{"name": name, "value": value, "url": app.url}
                         for name, value in seed["guests"][BROWSER_GUEST].items()])
    page = context.new_page()
    page.set_default_timeout(20_000)
    status = page.locator("#live-status")
    try:
        page.goto(f"/arenor/moten/{seed['session']}/live/")
        page.locator("#live-status.ok").wait_for()
        poll = _host_opens_a_poll(running)
        card = page.locator("article.poll", has_text=QUESTION)
        card.get_by_label("Valideringsvägen").wait_for()
        say(f"participant's page connected ({status.inner_text()}); poll {poll} shown")

        redis.stop()
        started = time.monotonic()
        page.locator("#live-status.warning").wait_for()
        shown = status.inner_text()
        say(f"Redis stopped: the page shows “{shown}” after {time.monotonic() - started:.2f} s")
        assert shown == "Återansluter …"
        card.get_by_label("Valideringsvägen").check()
        card.get_by_role("button", name="Svara", exact=True).click()
        assert card.get_by_text("Ditt svar").count() == 0  # not acknowledged while the socket is down
        say("the participant answers while Redis is down: kept by the page, unacknowledged")

        time.sleep(1.0)  # an outage of a few seconds, during which the page keeps trying
        redis.start()
        started = time.monotonic()
        page.locator("#live-status.ok").wait_for()
        reconnected = time.monotonic() - started
        card.get_by_text("Ditt svar: Valideringsvägen").wait_for()
        say(f"Redis started: the page shows “{status.inner_text()}” after {reconnected:.2f} s "
            f"(its backoff) and “Ditt svar: Valideringsvägen” once the resent answer is acknowledged")
        assert running.postgres.query(f"SELECT count(*) FROM dialogues_answer WHERE poll_id = {int(poll)}") == "1"
    finally:
        context.close()
