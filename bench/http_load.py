"""HTTP load on the needs list, a match page and the dimensioning dashboard over real server processes.

    python bench/http_load.py [--organisations 50,200,800] [--workers 2] [--server uvicorn|daphne]
                              [--users 8] [--seconds 15] [--admin-url postgres://matchplats@127.0.0.1:5432/postgres]

Self-contained. It creates a scratch PostgreSQL database ``matchplats_http_<pid>`` through
``--admin-url`` (dropped at the end), migrates it, loads the reference data and the Region
Värmland demo (``dialogues.demo.demo_seed``), and then grows the region in steps: at each size in
``--organisations`` there are that many other employers, each with an admin and about five needs
(random occupation name and kommun, mostly in Värmland; 60 % public, 25 % aggregated only, 15 % for
coordinators), and one provider per five employers with two programmes (target occupation,
kommun, an intake). Every write goes through the services (``organisation_create``,
``need_create``, ``programme_create``); the encoding tasks they enqueue are not run, so the stored
vectors stay pending, as right after a bulk import.

The servers: W processes (uvicorn with uvloop/httptools when installed, or daphne) on free
loopback ports with production-like settings: DEBUG false, a random SECRET_KEY, ALLOWED_HOSTS
127.0.0.1, static files collected and served by whitenoise, the fitted matcher loaded from
``--matcher-cache-dir`` (built there first if missing, ~2 minutes) and warmed at start, no Redis
(local-memory cache). The servers keep running while the data grow; the live match index of each
process catches up on its own, as in production.

The load: U client threads (standard library ``http.client``, one keep-alive connection each,
spread round-robin over the servers), logged in with session cookies made in-process
(``Client.force_login``), request one endpoint at a time as fast as answers come for S seconds
after a short warm-up:

- ``needs``        ``/behov/`` as an employer admin of the demo (first page of the visible needs),
- ``needs_search`` ``/behov/?q=...`` the same employer, a free-text search (varied terms),
- ``need_matches`` ``/matchningar/behov/<pk>/`` the employer's own needs, the programmes ranked,
- ``dashboard``    ``/dimensionering/?lan=17&horizon=...`` as the Region Värmland coordinator.

Per endpoint it prints requests, requests/s, p50/p95/p99 latency, errors (any status but 200
or a failed connection) and the servers' CPU time per request (psutil, from the ``test`` extra):
on a machine shared with other work the latencies measure the share of the CPU the servers got,
the CPU per request what a page costs. Then, per size, the number of SQL queries one request of each page makes
(Django's test client in the generator process under ``CaptureQueriesContext``, same database),
and the scaling check: how the queries and p95 grow with the number of other organisations.
The last line is JSON::

    {"sizes": [{"organisations": 50, "needs": ..., "endpoints": {"needs": {"rps": ..., "p95_ms": ...,
     "errors": 0, "server_cpu_ms": ..., "queries": ...}, ...}, "load_average": [...]}, ...],
     "queries_constant": true}

Figures are recorded in docs/reliability.md (Load).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import io
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.arena_load import ScratchDatabase, Servers, percentile, server_command, with_database  # noqa: E402

TODAY = dt.date(2026, 11, 30)
WARM_UP_SECONDS = 2.0
SEARCH_TERMS = ["undersköterska", "svetsare", "elektriker", "kock", "utvecklare", "lärare", "Karlstad",
                "sjuksköterska", "truckförare", "ekonomi"]
COUNTED_SEARCH = "undersköterskor"
VISIBILITIES = ["public"] * 60 + ["aggregated"] * 25 + ["coordinators"] * 15
HOME_COUNTY, OTHER_COUNTIES = "17", ("01", "12", "14", "18", "20")
EMPLOYER_EMAIL = "hr@omsorg-karlstad.example"
COORDINATOR_EMAIL = "koordinator@regionvarmland.example"
ENDPOINTS = ("needs", "needs_search", "need_matches", "dashboard")


# --- the data -------------------------------------------------------------------------------------------


@dataclass
class Region:
    employer_cookie: str
    coordinator_cookie: str
    employer_needs: list[int]
    grown_to: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(13))


def setup_django(env: dict) -> None:
    for key in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MATCHPLATS_VAR_DIR", "MATCHER_CACHE_DIR",
                "DJANGO_SETTINGS_MODULE", "LOG_LEVEL", "MATCHER_WARM_AT_START", "TASKS_BACKEND"):
        if key in env:
            os.environ[key] = env[key]
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def seed_base() -> Region:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from dialogues.demo import demo_seed
    from employers.models import Need

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command("load_taxonomy", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=TODAY)
    users = get_user_model().objects
    cookies = []
    for email in (EMPLOYER_EMAIL, COORDINATOR_EMAIL):
        client = Client()
        client.force_login(users.get(email=email))
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    employer = users.get(email=EMPLOYER_EMAIL)
    needs = list(Need.objects.filter(organisation__memberships__user=employer).values_list("pk", flat=True))
    return Region(employer_cookie=cookies[0], coordinator_cookie=cookies[1], employer_needs=needs)


def grow(region: Region, organisations: int) -> None:
    """Other employers (with ~5 needs each) and providers (two programmes each) up to ``organisations``."""
    from django.contrib.auth import get_user_model

    from employers.models import Need
    from employers.services import need_create
    from matchplats.organisations.models import Organisation
    from matchplats.organisations.services import organisation_create
    from matchplats.taxonomy.models import Kommun, OccupationName
    from providers.models import Programme
    from providers.services import IntakeSpec, programme_create

    rng = region.rng
    occupations = list(OccupationName.objects.select_related("ssyk4").filter(ssyk4__level=4).order_by("pk"))
    common = rng.sample(occupations, 300)
    home = list(Kommun.objects.filter(lan_id=HOME_COUNTY).order_by("pk"))
    other = list(Kommun.objects.filter(lan_id__in=OTHER_COUNTIES).order_by("pk"))
    horizons = [h for h, _label in Need.Horizon.choices]
    users = get_user_model().objects
    for i in range(region.grown_to, organisations):
        user = users.create_user(email=f"arbetsgivare-{i}@lastprov.example", password=secrets.token_hex(12))
        employer = organisation_create(creator=user, name=f"Lastprov arbetsgivare {i} AB",
                                       kind=Organisation.Kind.EMPLOYER,
                                       kommun=rng.choice(home if rng.random() < 0.7 else other))
        for _ in range(rng.randint(3, 7)):
            occupation = rng.choice(common if rng.random() < 0.8 else occupations)
            need_create(actor=user, organisation=employer, ssyk4=occupation.ssyk4, occupation_name=occupation,
                        title=occupation.label, headcount=rng.randint(1, 20), horizon=rng.choice(horizons),
                        kommun=rng.choice(home if rng.random() < 0.7 else other),
                        purpose=rng.choice([Need.Purpose.RECRUITMENT, Need.Purpose.UPSKILLING]),
                        validation_accepted=rng.random() < 0.3, visibility=rng.choice(VISIBILITIES), today=TODAY)
        if i % 5 == 0:
            teacher = users.create_user(email=f"anordnare-{i}@lastprov.example", password=secrets.token_hex(12))
            provider = organisation_create(creator=teacher, name=f"Lastprov utbildning {i}",
                                           kind=Organisation.Kind.PROVIDER,
                                           provider_type=Organisation.ProviderType.YH, kommun=rng.choice(home))
            for j in range(2):
                occupation = rng.choice(common)
                programme_create(actor=teacher, provider=provider, name=f"{occupation.label} ({i}-{j})",
                                 form=Programme.Form.YH, status=Programme.Status.GRANTED,
                                 target_occupations=[occupation.ssyk4], kommuner=[rng.choice(home)],
                                 intakes=[IntakeSpec(start_date=TODAY + dt.timedelta(days=rng.randint(30, 600)),
                                                     places=rng.randint(10, 40))])
    region.grown_to = organisations
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def paths(region: Region, endpoint: str, rng: random.Random) -> tuple[str, str]:
    """(path, cookie) of one request to ``endpoint``."""
    if endpoint == "needs":
        return "/behov/", region.employer_cookie
    if endpoint == "needs_search":
        return f"/behov/?{urlencode({'q': rng.choice(SEARCH_TERMS)})}", region.employer_cookie
    if endpoint == "need_matches":
        return f"/matchningar/behov/{rng.choice(region.employer_needs)}/", region.employer_cookie
    horizon = rng.choice(["now", "1y", "1-3y", "3-5y"])
    return f"/dimensionering/?lan={HOME_COUNTY}&horizon={horizon}", region.coordinator_cookie


def queries_per_page(region: Region) -> dict[str, int]:
    """SQL queries of one request to each page, in-process against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    rng = random.Random(1)
    for endpoint in ENDPOINTS:
        path, cookie = paths(region, endpoint, rng)
        if endpoint == "needs_search":  # a term with hits at every size: an empty page skips a query
            path = f"/behov/?{urlencode({'q': COUNTED_SEARCH})}"
        name, value = cookie.split("=", 1)
        client = Client()
        client.cookies[name] = value
        client.get(path.split("?")[0])  # the first request of a process loads caches and the match index
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} in-process")
        counts[endpoint] = len(captured.captured_queries)
    return counts


# --- the load -------------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def user_loop(port: int, region: Region, endpoint: str, tally: Tally, stop_at: float, measure_from: float,
              seed: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < stop_at:
        path, cookie = paths(region, endpoint, rng)
        started = time.monotonic()
        try:
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1",
                                                     "Accept-Language": "sv"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if started >= measure_from:
                tally.error(type(error).__name__)
            continue
        finished = time.monotonic()
        if started < measure_from:
            continue
        if status != 200:
            tally.error(str(status))
        else:
            with tally.lock:
                tally.latencies.append((finished - started) * 1000)
    connection.close()


def prime(region: Region, ports: list[int]) -> None:
    """One request to every page on every server, so the first figures do not include loading the
    matcher or catching the match index up with the data just grown (both are timed in the output)."""
    rng = random.Random(0)
    for port in ports:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        for endpoint in ENDPOINTS:
            path, cookie = paths(region, endpoint, rng)
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status} on port {port}")
        connection.close()


def drive(region: Region, servers: Servers, endpoint: str, *, users: int, seconds: float) -> dict:
    tally = Tally()
    ports = servers.ports
    measure_from = time.monotonic() + WARM_UP_SECONDS
    stop_at = measure_from + seconds
    threads = [threading.Thread(target=user_loop, args=(ports[i % len(ports)], region, endpoint, tally, stop_at,
                                                        measure_from, i), daemon=True)
               for i in range(users)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_before = servers.cpu_seconds()
    for thread in threads:
        thread.join()
    cpu_used = servers.cpu_seconds() - cpu_before
    done = tally.latencies
    errors = sum(tally.errors.values())
    figures = {"requests": len(done) + errors, "rps": round(len(done) / seconds, 1), "errors": errors,
               "error_kinds": tally.errors, "server_cpu_ms": round(1000 * cpu_used / max(1, len(done)), 1)}
    if done:
        figures |= {"p50_ms": round(statistics.median(done), 1), "p95_ms": round(percentile(done, 0.95), 1),
                    "p99_ms": round(percentile(done, 0.99), 1)}
    return figures


# --- the run --------------------------------------------------------------------------------------------


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", default="50,200,800",
                        help="other employers at each step, ascending, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="uvicorn")
    parser.add_argument("--users", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per endpoint and size")
    parser.add_argument("--admin-url", default="postgres://matchplats@127.0.0.1:5432/postgres")
    parser.add_argument("--matcher-cache-dir", type=Path, default=ROOT / "var" / "cache" / "matcher")
    args = parser.parse_args()
    try:
        sizes = [int(part) for part in args.organisations.split(",")]
    except ValueError:
        parser.error(f"--organisations must be integers separated by commas, not {args.organisations!r}")
    if sizes != sorted(sizes) or sizes[0] < 0:
        parser.error("--organisations must be non-negative and ascending (the data grow between steps)")
    if args.workers < 1 or args.users < 1 or args.seconds <= 0:
        parser.error("--workers and --users must be at least 1, --seconds positive")

    scratch = ScratchDatabase(args.admin_url)
    scratch.name = f"matchplats_http_{os.getpid()}"
    scratch.url = with_database(args.admin_url, scratch.name)
    var_dir = Path(tempfile.mkdtemp(prefix="matchplats-http-"))
    args.matcher_cache_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env |= {"DATABASE_URL": scratch.url, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "MATCHPLATS_VAR_DIR": str(var_dir),
            "MATCHER_CACHE_DIR": str(args.matcher_cache_dir), "DJANGO_SETTINGS_MODULE": "matchplats.settings",
            "LOG_LEVEL": "WARNING", "MATCHER_WARM_AT_START": "true", "PYTHONPATH": str(ROOT)}
    servers = Servers(args.server, args.workers, env)
    signal.signal(signal.SIGTERM, interrupted)
    results = []
    try:
        scratch.create()
        started = time.perf_counter()
        setup_django(env)
        from matching import runtime

        runtime.shipped_matcher()  # build the artefact once, before the servers load it
        region = seed_base()
        print(f"demo and matcher ready in {time.perf_counter() - started:.1f} s")
        servers.start()
        print(f"{args.workers} × {server_command(args.server, 0)[2]} on ports {servers.ports}; "
              f"{args.users} clients, {args.seconds:.0f} s per endpoint")
        for size in sizes:
            results.append(step(region, servers, size, args))
        report(results)
    except BaseException:
        print(f"--- the servers' output ---\n{servers.output()}", file=sys.stderr)
        raise
    finally:
        servers.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        scratch.drop()
        shutil.rmtree(var_dir, ignore_errors=True)


def step(region: Region, servers: Servers, size: int, args) -> dict:
    from employers.models import Need
    from matchplats.organisations.models import Organisation

    started = time.perf_counter()
    grow(region, size)
    organisations = Organisation.objects.count()
    needs = Need.objects.count()
    print(f"\n== {size} other employers: {organisations} organisations, {needs} needs "
          f"(grown in {time.perf_counter() - started:.1f} s)")
    queries = queries_per_page(region)
    started = time.perf_counter()
    prime(region, servers.ports)
    print(f"every page answered 200 on every server (first requests after growing: "
          f"{time.perf_counter() - started:.1f} s)")
    endpoints = {}
    for endpoint in ENDPOINTS:
        figures = drive(region, servers, endpoint, users=args.users, seconds=args.seconds)
        figures["queries"] = queries[endpoint]
        endpoints[endpoint] = figures
        print(f"{endpoint:13} {figures['requests']:6} requests {figures['rps']:7.1f}/s   "
              f"p50 {figures.get('p50_ms', 0):7.1f} ms   p95 {figures.get('p95_ms', 0):7.1f} ms   "
              f"p99 {figures.get('p99_ms', 0):7.1f} ms   server CPU {figures['server_cpu_ms']:6.1f} ms/request   errors {figures['errors']} {figures['error_kinds'] or ''}  "
              f"queries/request {figures['queries']}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return {"organisations": size, "all_organisations": organisations, "needs": needs, "endpoints": endpoints,
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def report(results: list[dict]) -> None:
    print("\n== scaling with the number of other organisations")
    first = results[0]
    constant = True
    for endpoint in ENDPOINTS:
        counts = [r["endpoints"][endpoint]["queries"] for r in results]
        p95s = [r["endpoints"][endpoint].get("p95_ms") for r in results]
        cpus = [r["endpoints"][endpoint]["server_cpu_ms"] for r in results]
        constant &= len(set(counts)) == 1
        growth = [round(p / p95s[0], 2) if p and p95s[0] else None for p in p95s]
        print(f"{endpoint:13} queries {counts}   p95 ms {p95s}   p95 ÷ first {growth}   server CPU ms/request {cpus}")
    data_growth = [round(r["needs"] / first["needs"], 2) for r in results]
    print(f"needs ÷ first {data_growth}; queries per request constant: {constant}")
    print(json.dumps({"sizes": [{"organisations": r["organisations"], "needs": r["needs"],
                                 "endpoints": {e: {k: v for k, v in f.items() if k != "error_kinds"}
                                               for e, f in r["endpoints"].items()},
                                 "load_average": r["load_average"]} for r in results],
                      "queries_constant": constant}, ensure_ascii=False))


if __name__ == "__main__":
    main()
