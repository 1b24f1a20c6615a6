"""How long loading the fitted matcher from its cache takes (no Django).

    python bench/artefact_load.py [--cache-dir var/cache/matcher] [--repeat 5]

Builds the artefact first if the cache has none (about two minutes), then loads it ``--repeat``
times with ``build=False`` and prints the size of the artefact and the load times, ending with
one JSON line: {"artefact_mb": ..., "load_p50_ms": ..., "load_max_ms": ...}. The embedding model
is loaded lazily and is not part of this figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.engine.artefacts import build_artefacts, load_matcher  # noqa: E402
from matching.engine.taxonomy import default_data_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "cache" / "matcher")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data_dir = default_data_dir()
    path = build_artefacts(data_dir, args.cache_dir)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        load_matcher(data_dir, args.cache_dir, build=False)
        times.append(1000 * (time.perf_counter() - started))
    size_mb = path.stat().st_size / 2**20
    print(f"artefact {path} ({size_mb:.1f} MB), loads in ms: " + ", ".join(f"{t:.0f}" for t in times))
    print(json.dumps({"artefact_mb": round(size_mb, 1), "load_p50_ms": round(statistics.median(times), 1),
                      "load_max_ms": round(max(times), 1)}))


if __name__ == "__main__":
    main()
