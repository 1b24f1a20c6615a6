"""Latency of ranking needs for a programme with the engine's NeedIndex (no Django).

    python bench/needs_latency.py --needs 100000

Builds (or loads from the cache) the fitted matcher and indexes N synthetic needs: titles
from random occupation names with their SSYK4 group given (as the need form stores it),
random kommun, horizon, level, head count and purpose, and random unit vectors standing in
for stored embeddings. The timed call is ``NeedIndex.rank`` for one programme (a real YH
programme with a stored-style random vector and, as the platform stores programmes, its
target occupation: the coder's top group for its name, coded before timing): scoring every
need, restricting to a random visibility mask of about 60 % of the needs, and building the
reasons of a page of 20.
Prints the figures, then exactly one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matching.engine.artefacts import load_matcher  # noqa: E402
from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc  # noqa: E402
from matching.engine.embeddings import EMBEDDING_DIM  # noqa: E402
from matching.engine.taxonomy import load_taxonomy, load_yh_applications  # noqa: E402
from matchplats.core.horizons import HORIZONS, needed_by_for_horizon  # noqa: E402

TODAY = date(2026, 1, 1)
PAGE = 20
VISIBLE_SHARE = 0.6


def unit_vectors(n: int, rng: np.random.Generator) -> np.ndarray:
    vectors = rng.standard_normal((n, EMBEDDING_DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def needs(n: int, taxonomy, rng: random.Random) -> list[NeedDoc]:
    occupations = list(taxonomy.occupations)
    kommuner = sorted(taxonomy.municipalities)
    docs = []
    for i in range(n):
        occupation = rng.choice(occupations)
        docs.append(NeedDoc(
            id=f"n{i}", title=occupation.label, ssyk4=occupation.ssyk4,
            kommun=rng.choice(kommuner),
            needed_by=needed_by_for_horizon(rng.choice(HORIZONS), TODAY),
            seqf=rng.choice([None, 4, 5, 6]), headcount=rng.randint(1, 20),
            purpose=rng.choice([None, "recruitment", "upskilling"]),
        ))
    return docs


def programmes(n: int, applications: list, rng: random.Random) -> list[ProgrammeDoc]:
    docs = []
    for i in range(n):
        a = rng.choice(applications)
        intakes = tuple(Intake(TODAY + timedelta(days=rng.randint(0, 3 * 365)), a.places or 30)
                        for _ in range(rng.randint(1, 3)))
        docs.append(ProgrammeDoc(id=f"p{i}", name=a.name, sun_code=a.sun5 or None,
                                 kommuner=a.kommun_codes, distance=a.distance, intakes=intakes,
                                 seqf=a.seqf))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "cache" / "matcher")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng, vectors = random.Random(args.seed), np.random.default_rng(args.seed)

    started = time.perf_counter()
    matcher = load_matcher(cache_dir=args.cache_dir)
    print(f"matcher loaded in {time.perf_counter() - started:.1f} s")

    taxonomy = load_taxonomy(ROOT / "data")
    docs = needs(args.needs, taxonomy, rng)
    index = matcher.new_need_index()
    started = time.perf_counter()
    index.add_many(docs, dense=unit_vectors(len(docs), vectors))
    index.compact()
    print(f"indexed {len(index)} needs in {time.perf_counter() - started:.1f} s, "
          f"vectors {index.memory_bytes() / 2**20:.1f} MiB")

    queries = programmes(args.queries + 10, load_yh_applications(ROOT / "data"), rng)
    coded = matcher.code_occupation([p.name for p in queries], top_k=1)
    queries = [replace(p, ssyk4=(c[0].ssyk4,)) for p, c in zip(queries, coded)]
    dense = unit_vectors(len(queries), vectors)
    masks = [vectors.random(len(index)) < VISIBLE_SHARE for _ in queries]
    for q in range(10):
        index.rank(queries[q], limit=PAGE, candidates=masks[q], today=TODAY, dense=dense[q])
    timings = []
    for q in range(10, len(queries)):
        started = time.perf_counter()
        index.rank(queries[q], limit=PAGE, candidates=masks[q], today=TODAY, dense=dense[q])
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(timings, [50, 95])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rank {len(index)} needs for one programme (page of {PAGE}, ~{VISIBLE_SHARE:.0%} "
          f"visible): p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(timings)} programmes)")
    print(json.dumps({
        "needs": args.needs,
        "p50_ms": round(float(p50), 2),
        "p95_ms": round(float(p95), 2),
        "index_mb": round(index.memory_bytes() / 2**20, 1),
        "peak_rss_mb": round(rss_mb, 1),
    }))


if __name__ == "__main__":
    main()
