"""Ranking latency and embedding throughput of the matcher engine (no Django).

    python bench/rank_latency.py --programmes 10000

Builds (or loads from the cache) the fitted matcher, generates N realistic programmes by
sampling real YH applications (name, kommuner, SUN5 code, distance, level) with seeded
intakes, indexes them, then ranks needs made from random occupation names, kommuner and
horizons. The timed call is ``ProgrammeIndex.rank`` for one need: coding and encoding the
need, scoring every programme, and building the reasons of the top 10; the embedding model is
loaded and warmed before timing. Programme vectors are encoded once per distinct name.
Prints the figures, then exactly one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matching.engine.artefacts import load_matcher  # noqa: E402
from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc  # noqa: E402
from matching.engine.taxonomy import load_taxonomy, load_yh_applications  # noqa: E402
from matching.engine.text import normalise  # noqa: E402
from matchplats.core.horizons import HORIZONS, needed_by_for_horizon  # noqa: E402

TODAY = date(2026, 1, 1)


def programmes(n: int, applications: list, rng: random.Random) -> list[ProgrammeDoc]:
    docs = []
    for i in range(n):
        a = rng.choice(applications)
        intakes = tuple(
            Intake(TODAY + timedelta(days=rng.randint(0, 3 * 365)), a.places or rng.randint(10, 40))
            for _ in range(rng.randint(1, 3))
        )
        docs.append(ProgrammeDoc(
            id=f"p{i}", name=a.name, sun_code=a.sun5 or None, kommuner=a.kommun_codes,
            distance=a.distance, intakes=intakes, seqf=a.seqf,
        ))
    return docs


def needs(n: int, taxonomy, rng: random.Random) -> list[NeedDoc]:
    occupations = list(taxonomy.occupations)
    kommuner = sorted(taxonomy.municipalities)
    return [
        NeedDoc(
            id=f"n{i}",
            title=f"Vi söker {rng.randint(2, 20)} {rng.choice(occupations).label.lower()}",
            kommun=rng.choice(kommuner),
            needed_by=needed_by_for_horizon(rng.choice(HORIZONS), TODAY),
            headcount=rng.randint(1, 20),
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "cache" / "matcher")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    matcher = load_matcher(cache_dir=args.cache_dir)
    embedder = matcher.embedder
    embedder.encode_uncached(["uppvärmning"])
    print(f"matcher and model loaded in {time.perf_counter() - started:.1f} s")

    taxonomy = load_taxonomy(ROOT / "data")
    docs = programmes(args.programmes, load_yh_applications(ROOT / "data"), rng)
    names = sorted({normalise(d.name) for d in docs})
    started = time.perf_counter()
    vectors = dict(zip(names, embedder.encode_uncached(names)))
    encode_seconds = time.perf_counter() - started
    texts_per_s = len(names) / encode_seconds
    print(f"encoded {len(names)} distinct programme names: {texts_per_s:.0f} texts/s")

    index = matcher.new_index()
    started = time.perf_counter()
    index.add_many(docs, dense=np.stack([vectors[normalise(d.name)] for d in docs]))
    index.compact()
    print(f"indexed {len(index)} programmes in {time.perf_counter() - started:.1f} s, "
          f"vectors {index.memory_bytes() / 2**20:.1f} MiB")

    queries = needs(args.queries + 10, taxonomy, rng)
    for need in queries[:10]:
        index.rank(need, today=TODAY)
    timings = []
    for need in queries[10:]:
        started = time.perf_counter()
        index.rank(need, top_k=10, today=TODAY)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(timings, [50, 95])
    print(f"rank one need against {len(index)} programmes: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"({len(timings)} needs)")
    print(json.dumps({
        "programmes": args.programmes,
        "p50_ms": round(float(p50), 2),
        "p95_ms": round(float(p95), 2),
        "texts_per_s": round(texts_per_s, 1),
    }))


if __name__ == "__main__":
    main()
