"""Wall time of the whole MYH import: first run, the same file again, one row changed.

    python bench/import_myh.py [--database-url postgres://user@host:5432/a_database_you_own]

Uses its own database (a fresh SQLite file in the temporary directory by default; pass a PostgreSQL URL of a database
you own to measure that), migrates it, loads the reference data, then times
``import_programmes`` on data/yh/applications_2018_2025.csv with its municipalities file three
times: the first import, the same file again (must create and update nothing) and a copy
with one row's places changed (must update exactly one). Prints the figures, then exactly
one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(tempfile.gettempdir()) / "matchplats_bench_import.sqlite3"
    parser.add_argument("--database-url", default=f"sqlite:///{default}")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchplats.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from matchplats.core.models import ImportRun

    call_command("migrate", verbosity=0)
    call_command("load_taxonomy", verbosity=0, stdout=io.StringIO())
    applications = Path(settings.TAXONOMY_DATA_DIR) / "yh" / "applications_2018_2025.csv"
    municipalities = Path(settings.TAXONOMY_DATA_DIR) / "yh" / "application_municipalities_2019_2025.csv"

    with applications.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(r for r in rows if r["ansokningsomgang"] == "2024" and r["beslut"] == "beviljad")
    target["beviljade_platser_omg2"] = str(int(target["beviljade_platser_omg2"]) + 7)
    changed = Path(tempfile.mkdtemp()) / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    figures: dict[str, object] = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                                  "rows": len(rows)}
    for label, path in (("first", applications), ("second", applications), ("one_changed", changed)):
        started = time.perf_counter()
        call_command("import_programmes", str(path), "--municipalities", str(municipalities), stdout=io.StringIO())
        seconds = time.perf_counter() - started
        run = ImportRun.objects.latest("pk")
        figures[f"{label}_s"] = round(seconds, 2)
        figures[f"{label}_counts"] = [run.created, run.updated, run.unchanged]
        print(f"{label:12} {seconds:6.2f} s  created {run.created}  updated {run.updated}  unchanged {run.unchanged}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
