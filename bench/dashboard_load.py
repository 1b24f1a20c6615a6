"""Latency of the dimensioning page and its selector over a large synthetic region.

    python bench/dashboard_load.py --needs 100000 --programmes 10000 [--queries 60]
                                   [--database-url postgres://user@host:5432/a_database_you_own]

Builds the data in a scratch database (Django's test database beside the one named by
``--database-url``: ``test_<name>_bench`` on PostgreSQL, created and dropped by the run; an
in-memory SQLite database by default): the reference data, about 3 000 employers and 500 providers, N needs
(random SSYK4 group, county and kommun, head count, purpose, needed-by date up to five years
ahead, a "gäller till" date of which some 10 % have lapsed, 60 % public, 25 % aggregated only,
15 % for coordinators, equality flags, registered over the last 14 months, 8 % filled with their
status event) and M programmes (random form and status, one to three kommuner, one to three
intakes of 10–40 places, length in weeks or YH points and pace; 80 % with one to three explicit
target occupations, the rest with five stored match links each at scores 0.3–0.9). No encoding.

The viewer is a coordinator of one county who is also a member of one employer, so most
aggregated and other counties' coordinator needs are hidden and the released-cell path runs.
Each query picks a county (six of them), an occupation field (none or one of four) and a horizon
at random and times ``dimensioning_page`` (table, gap by county, trend) and then the page itself
through Django's test client (HTML with the three charts). Prints the figures, then exactly one
JSON line: {"needs": ..., "programmes": ..., "p95_ms": ...} (p95 of the page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 30)
COUNTIES = ("17", "01", "12", "14", "18", "25")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build(*, needs: int, programmes: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from employers.models import Need, NeedEvent
    from matching.models import MatchLink
    from matchplats.organisations.models import Membership, Organisation
    from matchplats.taxonomy.models import Kommun, Lan, SsykGroup
    from providers.models import Intake, Programme

    groups = list(SsykGroup.objects.filter(level=4, occupation_field__isnull=False).values_list("pk", flat=True))
    common = rng.sample(groups, min(150, len(groups)))
    kommuner = list(Kommun.objects.values_list("pk", "lan_id"))
    now = timezone.now()
    employers = Organisation.objects.bulk_create(
        [Organisation(name=f"Arbetsgivare {i}", kind=Organisation.Kind.EMPLOYER, kommun_id=rng.choice(kommuner)[0])
         for i in range(3000)], batch_size=1000)
    providers = Organisation.objects.bulk_create(
        [Organisation(name=f"Anordnare {i}", kind=Organisation.Kind.PROVIDER, kommun_id=rng.choice(kommuner)[0])
         for i in range(500)], batch_size=1000)
    visibilities = ["public"] * 60 + ["aggregated"] * 25 + ["coordinators"] * 15
    rows = []
    for i in range(needs):
        kommun_id, lan_id = rng.choice(kommuner)
        created = now - dt.timedelta(days=rng.randint(0, 420))
        rows.append(Need(
            organisation=rng.choice(employers), ssyk4_id=rng.choice(common if rng.random() < 0.8 else groups),
            title=f"Behov {i}", headcount=rng.randint(1, 20), purpose=rng.choice(["recruitment", "upskilling"]),
            horizon="1y", needed_by=TODAY + dt.timedelta(days=rng.randint(-60, 5 * 365)), kommun_id=kommun_id,
            lan_id=lan_id, visibility=rng.choice(visibilities),
            status="filled" if rng.random() < 0.08 else "active",
            valid_until=TODAY + dt.timedelta(days=rng.randint(-60, 180)),
            validation_accepted=rng.random() < 0.3, language_integrated_welcome=rng.random() < 0.2,
            broadened_recruitment=rng.random() < 0.2, created_at=created, updated_at=created))
    created_needs = Need.objects.bulk_create(rows, batch_size=5000)
    NeedEvent.objects.bulk_create(
        [NeedEvent(need=n, type=NeedEvent.Type.STATUS_CHANGED, data={"old": "active", "new": "filled"},
                   created_at=n.created_at + dt.timedelta(days=rng.randint(1, 60)))
         for n in created_needs if n.status == "filled"], batch_size=5000)
    forms, statuses = [f for f, _ in Programme.Form.choices], [s for s, _ in Programme.Status.choices]
    created_programmes = Programme.objects.bulk_create(
        [Programme(provider=rng.choice(providers), form=rng.choice(forms), status=rng.choice(statuses),
                   name=f"Utbildning {i}", length_weeks=rng.choice([None, 20, 40, 80]),
                   yh_points=rng.choice([None, 200, 300, 400]), pace_percent=rng.choice([None, 50, 100]),
                   last_intake_women=rng.choice([None, rng.randint(0, 30)]), last_intake_men=rng.randint(0, 30))
         for i in range(programmes)], batch_size=5000)
    through_kommun, through_target, intakes, links = [], [], [], []
    sample_needs = rng.sample(created_needs, min(len(created_needs), 20000))
    for programme in created_programmes:
        for kommun_id, _lan in rng.sample(kommuner, rng.randint(1, 3) if rng.random() < 0.3 else 1):
            through_kommun.append(Programme.kommuner.through(programme_id=programme.pk, kommun_id=kommun_id))
        if rng.random() < 0.8:
            for ssyk4 in rng.sample(common, rng.randint(1, 3)):
                through_target.append(Programme.target_occupations.through(programme_id=programme.pk,
                                                                           ssykgroup_id=ssyk4))
        else:
            for rank, need in enumerate(rng.sample(sample_needs, 5), start=1):
                links.append(MatchLink(need=need, programme=programme, score=rng.uniform(0.3, 0.9), rank=rank))
        for _ in range(rng.randint(1, 3)):
            intakes.append(Intake(programme=programme, start_date=TODAY + dt.timedelta(days=rng.randint(-700, 1400)),
                                  places=rng.randint(10, 40)))
    Programme.kommuner.through.objects.bulk_create(through_kommun, batch_size=5000)
    Programme.target_occupations.through.objects.bulk_create(through_target, batch_size=5000)
    Intake.objects.bulk_create(intakes, batch_size=5000)
    MatchLink.objects.bulk_create(links, batch_size=5000)
    viewer = get_user_model().objects.create_user(email="koordinator@bench.example", password="bench-lösenord")
    region = Organisation.objects.create(name="Region 17", kind=Organisation.Kind.REGION,
                                         lan=Lan.objects.get(code="17"))
    Membership.objects.create(user=viewer, organisation=region, role=Membership.Role.MEMBER)
    Membership.objects.create(user=viewer, organisation=employers[0], role=Membership.Role.MEMBER)
    return {"viewer": viewer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--programmes", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--database-url", default=f"sqlite:///{Path(tempfile.gettempdir()) / 'matchplats_bench.sqlite3'}")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchplats.settings")
    os.environ.setdefault("MATCHPLATS_VAR_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "matchplats-bench"))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    # Start as the server does: importing the ASGI application also freezes the loaded objects
    # out of garbage collection (matchplats/core/memory.py).
    import matchplats.asgi  # noqa: F401
    from matching.dimensioning import DimensioningFilters, dimensioning_page
    from matchplats.taxonomy.models import OccupationField

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else f"test_{settings.DATABASES['default']['NAME']}_bench")
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(args.seed)
        started = time.perf_counter()
        call_command("load_taxonomy", verbosity=0, stdout=io.StringIO())
        built = build(needs=args.needs, programmes=args.programmes, rng=rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built in {time.perf_counter() - started:.1f} s ({connection.vendor})")
        viewer = built["viewer"]
        fields = [None, *OccupationField.objects.order_by("?").values_list("pk", flat=True)[:4]]
        client = Client()
        client.force_login(viewer)
        selector_ms, page_ms = [], []
        for i in range(args.queries + 3):
            filters = DimensioningFilters(lan=rng.choice(COUNTIES), occupation_field=rng.choice(fields),
                                          horizon=rng.choice(["now", "1y", "1-3y", "3-5y"]))
            t0 = time.perf_counter()
            dimensioning_page(user=viewer, filters=filters, today=TODAY)
            t1 = time.perf_counter()
            params = {"lan": filters.lan, "horizon": filters.horizon}
            if filters.occupation_field:
                params["occupation_field"] = filters.occupation_field
            response = client.get("/dimensionering/", params)
            t2 = time.perf_counter()
            assert response.status_code == 200, response.status_code
            if i >= 3:  # warm-up
                selector_ms.append((t1 - t0) * 1000)
                page_ms.append((t2 - t1) * 1000)
        for label, values in (("selector", selector_ms), ("page", page_ms)):
            print(f"{label:9} p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms   "
                  f"max {max(values):7.1f} ms   ({len(values)} queries)")
        print(json.dumps({"needs": args.needs, "programmes": args.programmes, "database": connection.vendor,
                          "selector_p95_ms": round(percentile(selector_ms, 0.95), 1),
                          "p50_ms": round(statistics.median(page_ms), 1),
                          "p95_ms": round(percentile(page_ms, 0.95), 1)}))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
