"""Offline evaluation: the full matcher and its baselines, side by side, on unseen data.

One evaluation matcher is fitted on data the sets below never use:

* **occupation** — 20 % of occupation names (seeded) are held out. The evaluation taxonomy
  drops them and masks their labels out of every text (SSYK4 labels and definitions, skills,
  other names' descriptions) and drops their own descriptions. Query: the held-out name;
  answer: its SSYK4 group.
* **education** — the education coder is fitted on YH round 2023 only (no SUN5 code list, so
  codes first used in 2024 stay unknown). Query: each 2024 programme name + utbildningsområde;
  answer: its published SUN5 code.
* **ranking** — needs are the held-out occupation names of groups that a SUN5 label trains
  for, with seeded kommun, horizon, level and head count; the pool is the 2024 programmes with
  such a SUN5 code (synthetic intakes). Each name gives three needs. Gains follow :mod:`matching.engine.synthetic`:
  relevant = trains for the need's group, reachable and in time. The evaluation ranker was
  fitted on 2023 programmes and on the other 80 % of names, so neither side was seen.

Baselines use the same vectors: "TF-IDF only" ranks by the character n-gram TF-IDF cosine,
"embeddings only" by the dense cosine (for coding: to the best name or programme of a class).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
from sklearn.model_selection import train_test_split

from . import education, occupation
from .embeddings import Embedder
from .features import FEATURES
from .model import Matcher, build_matcher
from .synthetic import MAX_GAIN, REFERENCE_DATE, gain, sun5_occupation_links, synthetic_needs, yh_programmes
from .taxonomy import default_data_dir, load_taxonomy, load_yh_applications
from .text import normalise

HOLDOUT_FRACTION = 0.2
TRAIN_ROUND, TEST_ROUND = 2023, 2024
NEEDS_PER_NAME = 3
"""Each held-out name becomes needs with different places, horizons and levels."""


@dataclass(frozen=True)
class EvalRow:
    dataset: str
    method: str
    n: int
    accuracy_at_1: float
    recall_at_5: float
    mrr: float
    ndcg_at_10: float

    def cells(self) -> list[str]:
        return [self.dataset, self.method, str(self.n)] + [
            f"{v:.3f}" for v in (self.accuracy_at_1, self.recall_at_5, self.mrr, self.ndcg_at_10)
        ]


def ranking_metrics(scores: np.ndarray, gains: np.ndarray, relevant: np.ndarray,
                    weights: np.ndarray | None = None) -> tuple[float, float, float, float]:
    """Mean accuracy@1, recall@5, MRR and nDCG@10 over queries (rows).

    ``relevant`` marks the items that count as right answers; recall@5 is the share of them in
    the top 5, capped at 5 (so a query with 12 right answers can reach 1.0); nDCG uses the
    graded ``gains``. Ties are broken by item order, never in the method's favour.
    """
    acc, rec, rr, ndcg = [], [], [], []
    for s, g, r in zip(scores, gains, relevant):
        order = np.argsort(-s, kind="stable")
        hits = r[order]
        first = np.flatnonzero(hits)
        acc.append(float(hits[0]))
        rec.append(hits[:5].sum() / min(5, r.sum()))
        rr.append(1.0 / (first[0] + 1) if len(first) else 0.0)
        discounts = 1.0 / np.log2(np.arange(2, 12))
        ideal = (np.sort(g)[::-1][:10] * discounts[: min(10, len(g))]).sum()
        ndcg.append((g[order][:10] * discounts[: min(10, len(g))]).sum() / ideal)
    return tuple(float(np.average(v, weights=weights)) for v in (acc, rec, rr, ndcg))


def _rows(dataset: str, methods: dict[str, np.ndarray], gains: np.ndarray,
          relevant: np.ndarray, weights: np.ndarray | None = None) -> list[EvalRow]:
    return [
        EvalRow(dataset, method, len(gains), *ranking_metrics(scores, gains, relevant, weights))
        for method, scores in methods.items()
    ]


def evaluate(data_dir: Path | None = None, *, embedder: Embedder | None = None, seed: int = 0,
             out: TextIO | None = sys.stdout) -> list[EvalRow]:
    """Fit the evaluation matcher, score the three sets and print the table to ``out``."""
    data_dir = Path(data_dir or default_data_dir())
    embedder = embedder or Embedder()
    taxonomy = load_taxonomy(data_dir)
    applications = load_yh_applications(data_dir)
    train_names, test_names = train_test_split(
        list(taxonomy.occupations), test_size=HOLDOUT_FRACTION, random_state=seed
    )
    train_taxonomy = taxonomy.holding_out({o.id for o in test_names})
    matcher = build_matcher(
        train_taxonomy,
        [a for a in applications if a.round == TRAIN_ROUND],
        embedder,
        text_corpus=[a.name for a in applications if a.round <= TRAIN_ROUND],
        extra_sun5=False,
        seed=seed,
    )
    rows = (
        _occupation_rows(matcher, test_names, embedder, taxonomy)
        + _education_rows(matcher, [a for a in applications if a.round == TEST_ROUND and a.sun5],
                          embedder)
        + _ranking_rows(matcher, taxonomy, test_names,
                        [a for a in applications if a.round == TEST_ROUND], seed)
    )
    if out is not None:
        out.write(format_table(rows) + "\n")
        out.write("ranking weights: " + str(matcher.ranker.weights_by_feature()) + "\n")
    return rows


def _occupation_rows(matcher: Matcher, names: Sequence, embedder: Embedder, taxonomy) -> list[EvalRow]:
    coder = matcher.occupation_coder
    queries = coder.index.query_texts([o.label for o in names])
    features, _ = coder.index.features(queries, embedder.encode(queries))
    group_of = {code: i for i, code in enumerate(coder.index.group_codes)}
    relevant = np.zeros(features.shape[:2], dtype=bool)
    relevant[np.arange(len(names)), [group_of[o.ssyk4] for o in names]] = True
    tiers = np.stack([coder.index.name_tiers(o.label) for o in names])
    methods = {
        "full matcher": coder.score(features) + 2.0 * tiers,  # the order OccupationCoder.code returns
        "TF-IDF only": features[:, :, occupation.FEATURES.index("name_char")],
        "embeddings only": features[:, :, occupation.FEATURES.index("name_dense")],
    }
    rows = _rows("occupation (held-out names → SSYK4)", methods, relevant.astype(float), relevant)
    if taxonomy.ad_volume:
        # Employers' job titles follow job-ad volume: weight each name by ads(group) / names(group).
        per_group = taxonomy.occupations_by_group()
        weights = np.asarray([(taxonomy.ad_volume.get(o.ssyk4, 0) + 1) / len(per_group[o.ssyk4]) for o in names])
        rows += _rows("occupation, weighted by 2024 job ads", methods, relevant.astype(float), relevant, weights)
    return rows


def _education_rows(matcher: Matcher, tests: Sequence, embedder: Embedder) -> list[EvalRow]:
    coder = matcher.education_coder
    queries = [normalise(a.name) for a in tests]
    features = coder.index.features(queries, [a.area for a in tests], embedder.encode(queries))
    code_of = {code: i for i, code in enumerate(coder.index.codes)}
    relevant = np.zeros(features.shape[:2], dtype=bool)
    for i, a in enumerate(tests):
        if a.sun5 in code_of:
            relevant[i, code_of[a.sun5]] = True
    known = relevant.any(axis=1)
    methods = {
        "full matcher": (features @ coder.weights)[known],
        "TF-IDF only": features[known][:, :, education.FEATURES.index("nearest_char")],
        "embeddings only": features[known][:, :, education.FEATURES.index("nearest_dense")],
    }
    rows = _rows("education (YH 2024 → SUN5)", methods, relevant[known].astype(float),
                 relevant[known])
    return [_counting_unknown_as_misses(row, len(tests)) for row in rows]


def _counting_unknown_as_misses(row: EvalRow, total: int) -> EvalRow:
    """Rescale metrics computed on known codes so that unknown codes count as misses."""
    scale = row.n / total if total else 0.0
    values = [v * scale for v in (row.accuracy_at_1, row.recall_at_5, row.mrr, row.ndcg_at_10)]
    return EvalRow(row.dataset, row.method, total, *values)


def _ranking_rows(matcher: Matcher, taxonomy, test_names: Sequence, applications: Sequence,
                  seed: int) -> list[EvalRow]:
    links = sun5_occupation_links(taxonomy)
    pool = [p for p in yh_programmes(applications, seed=seed + 1) if p.sun_code in links]
    linked = set().union(*links.values())
    kommuner = sorted({k for p in pool for k in p.kommuner})
    names = [o for o in test_names if o.ssyk4 in linked] * NEEDS_PER_NAME
    judged = synthetic_needs(names, kommuner, seed=seed + 1)
    space = matcher.space
    block = space.programme_block(pool)
    queries = space.need_queries([j.need for j in judged], today=REFERENCE_DATE)
    full, lexical, dense, gains = [], [], [], []
    for j, query in zip(judged, queries):
        features = space.features(block, query)
        full.append(matcher.ranker.linear(features))
        lexical.append(features[:, FEATURES.index("lexical")])
        dense.append(features[:, FEATURES.index("dense")])
        gains.append([gain(j, p, links) for p in pool])
    gains_array = np.asarray(gains, dtype=float)
    keep = (gains_array == MAX_GAIN).any(axis=1)
    methods = {
        "full matcher": np.asarray(full)[keep],
        "TF-IDF only": np.asarray(lexical)[keep],
        "embeddings only": np.asarray(dense)[keep],
    }
    gains_array = gains_array[keep]
    return _rows("ranking (held-out needs → YH 2024)", methods, gains_array,
                 gains_array == MAX_GAIN)


def format_table(rows: Sequence[EvalRow]) -> str:
    header = ["set", "method", "n", "acc@1", "recall@5", "MRR", "nDCG@10"]
    cells = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
