"""One private stack for the fault tests (marked ``faults``): a PostgreSQL cluster and a Redis of
their own, migrated and seeded, and the application under uvicorn on them. The tests stop and
start the databases under the running server; each test starts from both running.

What happened is printed at the end of the run (the terminal summary's *faults* section) with
timings, and recorded in docs/reliability.md, *Faults*."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from tests.faults.servers import ROOT, AppServer, PrivatePostgres, PrivateRedis, manage

GUESTS = 6
"""Guests of the live session in test_redis_outage.py; the next one is the browser's."""
BROWSER_GUEST = GUESTS
POSTGRES_GUEST = GUESTS + 1
"""The guest of test_postgres_restart.py, whose socket closes while PostgreSQL is down."""
_lines: list[str] = []


@dataclass
class Stack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    app: AppServer
    seed: dict


@pytest.fixture(scope="session")
def stack():
    started = time.monotonic()
    postgres, redis = PrivatePostgres(), PrivateRedis()
    app = None
    try:
        postgres.init()
        postgres.start()
        postgres.create_database()
        redis.start()
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_"))}
        env.update(DJANGO_SETTINGS_MODULE="matchplats.settings", DEBUG="true", DATABASE_URL=postgres.url,
                   DATABASE_CONN_MAX_AGE="60", REDIS_URL=redis.url, MATCHER_WARM_AT_START="false",
                   LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        manage(env, "migrate", "--no-input", "-v0")
        seeded = subprocess.run([sys.executable, "-m", "tests.faults.seed", str(GUESTS + 2)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert seeded.returncode == 0, f"seeding failed:\n{seeded.stdout}\n{seeded.stderr}"
        app = AppServer(env)
        app.start()
        _lines.append(f"stack: PostgreSQL :{postgres.port}, Redis :{redis.port}, uvicorn :{app.port} (pid {app.pid}) "
                      f"ready in {time.monotonic() - started:.1f} s (initdb, migrate, seed, start)")
        yield Stack(postgres=postgres, redis=redis, app=app, seed=json.loads(seeded.stdout.strip().splitlines()[-1]))
    finally:
        if app is not None:
            app.cleanup()
        redis.cleanup()
        postgres.cleanup()


@pytest.fixture
def running(stack) -> Stack:
    """The stack with both databases up (a failed test may have left one stopped)."""
    if not stack.postgres.running:
        stack.postgres.start()
    if not stack.redis.running:
        stack.redis.start()
    assert stack.app.alive(), f"the server died:\n{stack.app.log()[-4000:]}"
    return stack


@pytest.fixture
def say(request):
    """``say(text)``: print a line of what happened, with the seconds since the test started;
    collected for the run's summary."""
    started = time.monotonic()
    _lines.append(f"{request.node.name}:")

    def say(text: str) -> None:
        line = f"  {time.monotonic() - started:6.2f} s  {text}"
        print(line)
        _lines.append(line)

    return say


def pytest_terminal_summary(terminalreporter):
    if _lines:
        terminalreporter.section("faults: what happened")
        for line in _lines:
            terminalreporter.write_line(line)
