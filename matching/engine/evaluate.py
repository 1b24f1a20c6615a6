"""Offline evaluation: the full matcher and its baselines, side by side, on unseen data.

One evaluation matcher is fitted on data the sets below never use:

* **occupation** — 20 % of occupation names (seeded) are held out. The evaluation taxonomy
  drops them and masks their labels out of every text (SSYK4 labels and definitions, skills,
  other names' descriptions) and drops their own descriptions (and job titles equal to them).
  Query: the held-out name; answer: its SSYK4 group.
* **job titles** — employers' job titles (``taxonomy/job_titles_dev.csv``), 5-fold
  cross-validated against a coder of the whole taxonomy: each fold's titles are removed from
  the title memory, the head-word statistics and the weights' training queries while the fold
  is scored. Answer: any of the title's SSYK4 groups.
* **education** — the education coder is fitted on YH round 2023 only (no SUN5 code list, so
  codes first used in 2024 stay unknown). Query: each 2024 programme name + utbildningsområde;
  answer: its published SUN5 code.
* **ranking** — needs are the held-out occupation names of groups that a SUN5 label trains
  for, with seeded kommun, horizon, level and head count; the pool is the 2024 programmes with
  such a SUN5 code (synthetic intakes). Each name gives three needs. Gains follow :mod:`matching.engine.synthetic`:
  relevant = trains for the need's group, reachable and in time. The evaluation ranker was
  fitted on 2023 programmes and on the other 80 % of names, so neither side was seen.
* **offerings** — real labour-market training offerings with their descriptions
  (``education/aub_offerings_dev.csv``), tagged by Arbetsförmedlingen with SSYK4 groups.
  Query: a need whose occupation is one of those groups (title = the group's label);
  relevant = an offering tagged with the group. Ranked by the evaluation matcher.

Baselines use the same knowledge: "TF-IDF only" ranks by the character n-gram TF-IDF cosine,
"embeddings only" by the dense cosine (for coding: to the best name, title or programme of a
class), once per embedding model compared. Every figure comes with a 95 % bootstrap interval
over queries.
"""

from __future__ import annotations

import csv
import html
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
from sklearn.model_selection import KFold, train_test_split

from . import education, occupation
from .documents import NeedDoc, ProgrammeDoc
from .embeddings import Embedder
from .features import FEATURES
from .learning import sigmoid
from .model import Matcher, build_matcher
from .occupation import OccupationIndex, TitleMemory, cross_fit_features, fit_coder_weights, title_rows
from .synthetic import MAX_GAIN, REFERENCE_DATE, gain, sun5_occupation_links, synthetic_needs, yh_programmes
from .taxonomy import Taxonomy, default_data_dir, label_variants, load_taxonomy, load_yh_applications
from .text import normalise

HOLDOUT_FRACTION = 0.2
TRAIN_ROUND, TEST_ROUND = 2023, 2024
NEEDS_PER_NAME = 3
"""Each held-out name becomes needs with different places, horizons and levels."""
TITLE_FOLDS = 5
BOOTSTRAP_SAMPLES = 1000
METRICS = ("acc@1", "recall@5", "recall@10", "MRR", "nDCG@10")
OFFERINGS_FILE = "education/aub_offerings_dev.csv"


@dataclass(frozen=True)
class EvalRow:
    dataset: str
    method: str
    n: int
    accuracy_at_1: float
    recall_at_5: float
    mrr: float
    ndcg_at_10: float
    recall_at_10: float = float("nan")
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    """95 % bootstrap interval per metric name (see ``METRICS``)."""

    def value(self, metric: str) -> float:
        return {"acc@1": self.accuracy_at_1, "recall@5": self.recall_at_5, "recall@10": self.recall_at_10,
                "MRR": self.mrr, "nDCG@10": self.ndcg_at_10}[metric]

    def cells(self) -> list[str]:
        cells = [self.dataset, self.method, str(self.n)]
        for metric in METRICS:
            value = self.value(metric)
            low, high = self.intervals.get(metric, (np.nan, np.nan))
            text = "—" if np.isnan(value) else f"{value:.3f}"
            if not np.isnan(low):
                text += f" [{low:.2f}–{high:.2f}]"
            cells.append(text)
        return cells


def per_query_metrics(scores: np.ndarray, gains: np.ndarray, relevant: np.ndarray) -> np.ndarray:
    """(queries, 5) values of accuracy@1, recall@5, recall@10, reciprocal rank and nDCG@10.

    ``relevant`` marks the items that count as right answers; recall@k is the share of them in
    the top k, capped at k (so a query with 12 right answers can reach 1.0); nDCG uses the
    graded ``gains``. Ties are broken by item order, never in the method's favour.
    """
    out = np.zeros((len(scores), len(METRICS)))
    for q, (s, g, r) in enumerate(zip(scores, gains, relevant)):
        order = np.argsort(-s, kind="stable")
        hits = r[order]
        first = np.flatnonzero(hits)
        discounts = 1.0 / np.log2(np.arange(2, 12))[: min(10, len(g))]
        ideal = (np.sort(g)[::-1][:10] * discounts).sum()
        out[q] = (
            float(hits[0]),
            hits[:5].sum() / min(5, r.sum()),
            hits[:10].sum() / min(10, r.sum()),
            1.0 / (first[0] + 1) if len(first) else 0.0,
            (g[order][:10] * discounts).sum() / ideal,
        )
    return out


def ranking_metrics(scores: np.ndarray, gains: np.ndarray, relevant: np.ndarray,
                    weights: np.ndarray | None = None) -> tuple[float, float, float, float]:
    """Mean accuracy@1, recall@5, MRR and nDCG@10 over queries (rows)."""
    values = per_query_metrics(scores, gains, relevant)
    means = np.average(values, axis=0, weights=weights)
    return float(means[0]), float(means[1]), float(means[3]), float(means[4])


def bootstrap_intervals(values: np.ndarray, weights: np.ndarray | None = None, *,
                        samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> np.ndarray:
    """(2, metrics) percentile 95 % interval of the (weighted) mean, resampling queries."""
    rng = np.random.default_rng(seed)
    n = len(values)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    draws = rng.integers(0, n, size=(samples, n))
    means = np.stack([np.average(values[d], axis=0, weights=w[d]) for d in draws])
    return np.percentile(means, [2.5, 97.5], axis=0)


def _rows(dataset: str, methods: dict[str, np.ndarray], gains: np.ndarray,
          relevant: np.ndarray, weights: np.ndarray | None = None) -> list[EvalRow]:
    rows = []
    for method, scores in methods.items():
        values = per_query_metrics(scores, gains, relevant)
        means = np.average(values, axis=0, weights=weights)
        low, high = bootstrap_intervals(values, weights)
        rows.append(EvalRow(dataset, method, len(gains), means[0], means[1], means[3], means[4], means[2],
                            {m: (low[i], high[i]) for i, m in enumerate(METRICS)}))
    return rows


def _embedding_label(embedder: Embedder) -> str:
    return "embeddings only (" + embedder.name.split(" (")[0] + ")"


def evaluate(data_dir: Path | None = None, *, embedder: Embedder | None = None,
             compare: Sequence[Embedder] = (), seed: int = 0, cache_dir: Path | None = None,
             out: TextIO | None = sys.stdout) -> list[EvalRow]:
    """Fit the evaluation matchers, score every set and print the table to ``out``.

    ``compare`` are further embedding models scored alone beside the matcher's own;
    ``cache_dir`` keeps every model's vectors between runs (``embeddings-<model>.npz``).
    """
    started = time.perf_counter()
    data_dir = Path(data_dir or default_data_dir())
    embedder = embedder or Embedder()
    embedders = [embedder, *compare]
    caches = [_load_cache(e, cache_dir) for e in embedders]
    taxonomy = load_taxonomy(data_dir)
    applications = load_yh_applications(data_dir)
    train_names, test_names = train_test_split(
        list(taxonomy.occupations), test_size=HOLDOUT_FRACTION, random_state=seed
    )
    train_taxonomy = taxonomy.holding_out({o.id for o in test_names})
    try:
        matcher = build_matcher(
            train_taxonomy,
            [a for a in applications if a.round == TRAIN_ROUND],
            embedder,
            text_corpus=[a.name for a in applications if a.round <= TRAIN_ROUND],
            extra_sun5=False,
            seed=seed,
        )
        rows = (
            _occupation_rows(matcher, test_names, embedders, taxonomy, train_taxonomy)
            + _job_title_rows(taxonomy, embedders, seed)
            + _education_rows(matcher, [a for a in applications if a.round == TRAIN_ROUND and a.sun5],
                              [a for a in applications if a.round == TEST_ROUND and a.sun5], embedders)
            + _ranking_rows(matcher, taxonomy, test_names,
                            [a for a in applications if a.round == TEST_ROUND], seed, embedders)
            + _offering_rows(matcher, taxonomy, _load_offerings(data_dir), embedders)
        )
    finally:
        for e, path in zip(embedders, caches):
            if path is not None:
                e.save_cache(path)
    if out is not None:
        out.write(format_table(rows) + "\n")
        out.write("ranking weights: " + str(matcher.ranker.weights_by_feature()) + "\n")
        out.write(f"matcher embeddings: {embedder.name}; evaluated in {time.perf_counter() - started:.0f} s\n")
    return rows


def _load_cache(embedder: Embedder, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    path = Path(cache_dir) / f"embeddings-{re.sub(r'[^a-z0-9]+', '-', embedder.name.lower()).strip('-')}.npz"
    embedder.load_cache(path)
    return path


def _class_max(query_vectors: np.ndarray, item_vectors: np.ndarray, item_class: np.ndarray,
               n_classes: int) -> np.ndarray:
    """Per query and class, the best cosine to an item of that class (0 for classes without items)."""
    out = np.zeros((len(query_vectors), n_classes), dtype=np.float32)
    if len(item_vectors):
        similarity = query_vectors @ item_vectors.T
        for c in np.unique(item_class):
            out[:, c] = similarity[:, item_class == c].max(axis=1)
    return out


def _occupation_rows(matcher: Matcher, names: Sequence, embedders: Sequence[Embedder],
                     taxonomy: Taxonomy, train_taxonomy: Taxonomy) -> list[EvalRow]:
    coder = matcher.occupation_coder
    texts = [o.label for o in names]
    queries = coder.index.query_texts(texts)
    features, _ = coder.features(texts, embedders[0].encode(queries))
    group_of = {code: i for i, code in enumerate(coder.index.group_codes)}
    relevant = np.zeros(features.shape[:2], dtype=bool)
    relevant[np.arange(len(names)), [group_of[o.ssyk4] for o in names]] = True
    tiers = np.stack([coder.index.name_tiers(t) for t in texts])
    known = [(v, group_of[o.ssyk4]) for o in train_taxonomy.occupations for v in label_variants(o.label)]
    known += [(g.label, group_of[code]) for code, g in train_taxonomy.groups.items()]
    methods = {
        "full matcher": coder.score(features) + 2.0 * tiers,  # the order OccupationCoder.code returns
        "TF-IDF only": features[:, :, occupation.FEATURES.index("name_char")],
    }
    for e in embedders:
        methods[_embedding_label(e)] = _class_max(
            e.encode(queries), e.encode([normalise(t) for t, _ in known]),
            np.asarray([g for _, g in known]), len(group_of))
    rows = _rows("occupation (held-out names → SSYK4)", methods, relevant.astype(float), relevant)
    if taxonomy.ad_volume:
        # Employers' job titles follow job-ad volume: weight each name by ads(group) / names(group).
        per_group = taxonomy.occupations_by_group()
        weights = np.asarray([(taxonomy.ad_volume.get(o.ssyk4, 0) + 1) / len(per_group[o.ssyk4]) for o in names])
        rows += _rows("occupation, weighted by 2024 job ads", methods, relevant.astype(float), relevant, weights)
    return rows


def _job_title_rows(taxonomy: Taxonomy, embedders: Sequence[Embedder], seed: int) -> list[EvalRow]:
    """Job titles, cross-validated: a coder of the whole taxonomy whose title memory, head-word
    statistics and weights never see the fold being scored."""
    if len(taxonomy.job_titles) < TITLE_FOLDS:
        return []
    embedder = embedders[0]
    cross_fit = cross_fit_features(taxonomy, embedder, seed=seed)
    index = OccupationIndex(taxonomy, embedder)
    rows = title_rows(index, taxonomy.job_titles, embedder)
    n, n_groups = rows.positive.shape
    texts = [t.title for t in rows.titles]
    queries = index.query_texts(texts)
    name_pairs = [(normalise(v), index.group_codes.index(o.ssyk4)) for o in taxonomy.occupations
                  for v in label_variants(o.label)]
    title_pairs = [(i, index.group_codes.index(c)) for i, t in enumerate(rows.titles) for c in t.ssyk4]
    methods = {name: np.zeros((n, n_groups), dtype=np.float32)
               for name in ["full matcher", "TF-IDF only"] + [_embedding_label(e) for e in embedders]}
    vectors = [(e.encode(queries), e.encode([t for t, _ in name_pairs])) for e in embedders]
    char = occupation.FEATURES.index("name_char"), occupation.FEATURES.index("title_char")
    for train, test in KFold(n_splits=TITLE_FOLDS, shuffle=True, random_state=seed).split(rows.titles):
        train_rows, test_rows = rows.subset(train), rows.subset(test)
        weights, bias, _ = fit_coder_weights(taxonomy, index, cross_fit, train_rows, embedder, seed=seed)
        memory = TitleMemory(index.group_codes, taxonomy.occupations, train_rows.titles, embedder)
        features = occupation.memory_features(memory, index, test_rows)
        tiers = np.stack([index.name_tiers(texts[i]) for i in test])
        methods["full matcher"][test] = sigmoid(features @ weights + bias) + 2.0 * tiers
        methods["TF-IDF only"][test] = np.maximum(features[:, :, char[0]], features[:, :, char[1]])
        in_train = set(train.tolist())
        pairs = [(i, g) for i, g in title_pairs if i in in_train]
        for e, (query_vectors, name_vectors) in zip(embedders, vectors):
            items = np.vstack([name_vectors, query_vectors[[i for i, _ in pairs]]])
            classes = np.asarray([g for _, g in name_pairs] + [g for _, g in pairs])
            methods[_embedding_label(e)][test] = _class_max(query_vectors[test], items, classes, n_groups)
    return _rows("job titles (5-fold cross-validated → SSYK4)", methods, rows.positive.astype(float),
                 rows.positive)


def _education_rows(matcher: Matcher, train: Sequence, tests: Sequence,
                    embedders: Sequence[Embedder]) -> list[EvalRow]:
    coder = matcher.education_coder
    queries = [normalise(a.name) for a in tests]
    features = coder.index.features(queries, [a.area for a in tests], embedders[0].encode(queries))
    code_of = {code: i for i, code in enumerate(coder.index.codes)}
    relevant = np.zeros(features.shape[:2], dtype=bool)
    for i, a in enumerate(tests):
        if a.sun5 in code_of:
            relevant[i, code_of[a.sun5]] = True
    known = relevant.any(axis=1)
    methods = {
        "full matcher": (features @ coder.weights)[known],
        "TF-IDF only": features[known][:, :, education.FEATURES.index("nearest_char")],
    }
    train_names = [normalise(a.name) for a in train]
    train_codes = np.asarray([code_of[a.sun5] for a in train])
    for e in embedders:
        methods[_embedding_label(e)] = _class_max(
            e.encode([q for q, k in zip(queries, known) if k]), e.encode(train_names), train_codes, len(code_of))
    rows = _rows("education (YH 2024 → SUN5)", methods, relevant[known].astype(float),
                 relevant[known])
    return [_counting_unknown_as_misses(row, len(tests)) for row in rows]


def _counting_unknown_as_misses(row: EvalRow, total: int) -> EvalRow:
    """Rescale metrics computed on known codes so that unknown codes count as misses."""
    scale = row.n / total if total else 0.0
    values = [v * scale for v in (row.accuracy_at_1, row.recall_at_5, row.mrr, row.ndcg_at_10, row.recall_at_10)]
    intervals = {m: (low * scale, high * scale) for m, (low, high) in row.intervals.items()}
    return EvalRow(row.dataset, row.method, total, *values, intervals)


def _ranking_rows(matcher: Matcher, taxonomy, test_names: Sequence, applications: Sequence,
                  seed: int, embedders: Sequence[Embedder]) -> list[EvalRow]:
    links = sun5_occupation_links(taxonomy)
    pool = [p for p in yh_programmes(applications, seed=seed + 1) if p.sun_code in links]
    linked = set().union(*links.values())
    kommuner = sorted({k for p in pool for k in p.kommuner})
    names = [o for o in test_names if o.ssyk4 in linked] * NEEDS_PER_NAME
    judged = synthetic_needs(names, kommuner, seed=seed + 1)
    gains = np.asarray([[gain(j, p, links) for p in pool] for j in judged], dtype=float)
    keep = (gains == MAX_GAIN).any(axis=1)
    needs = [j.need for j, k in zip(judged, keep) if k]
    methods = _ranked(matcher, needs, pool, embedders)
    return _rows("ranking (held-out needs → YH 2024)", methods, gains[keep], gains[keep] == MAX_GAIN)


def _ranked(matcher: Matcher, needs: Sequence[NeedDoc], pool: Sequence[ProgrammeDoc],
            embedders: Sequence[Embedder]) -> dict[str, np.ndarray]:
    """Scores of the full ranker and of its lexical feature and each model's dense cosine."""
    space = matcher.space
    block = space.programme_block(pool, dense=embedders[0].encode(space.programme_dense_texts(pool)))
    queries = space.need_queries(needs, today=REFERENCE_DATE,
                                 dense=embedders[0].encode(space.need_dense_texts(needs)))
    full, lexical = [], []
    for query in queries:
        features = space.features(block, query)
        full.append(matcher.ranker.linear(features))
        lexical.append(features[:, FEATURES.index("lexical")])
    methods = {"full matcher": np.asarray(full), "TF-IDF only": np.asarray(lexical)}
    for e in embedders:
        methods[_embedding_label(e)] = (e.encode(space.need_dense_texts(needs))
                                        @ e.encode(space.programme_dense_texts(pool)).T)
    return methods


@dataclass(frozen=True)
class Offering:
    id: str
    name: str
    description: str
    ssyk4: tuple[str, ...]


def _load_offerings(data_dir: Path) -> list[Offering]:
    path = Path(data_dir) / OFFERINGS_FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Offering(r["offering_id"], r["utbildningsnamn"],
                     re.sub(r"\s+", " ", html.unescape(r["beskrivning"]).replace("*", ". ")).strip(),
                     tuple(c for c in r["ssyk4_codes"].split("|") if c))
            for r in csv.DictReader(handle)
        ]


def _offering_rows(matcher: Matcher, taxonomy: Taxonomy, offerings: Sequence[Offering],
                   embedders: Sequence[Embedder]) -> list[EvalRow]:
    """Need → real training offerings with descriptions; one need per tagged SSYK4 group."""
    groups = sorted({c for o in offerings for c in o.ssyk4 if c in taxonomy.groups})
    if not groups:
        return []
    needs = [NeedDoc(id=code, title=taxonomy.groups[code].label, ssyk4=code) for code in groups]
    pool = [ProgrammeDoc(id=o.id, name=o.name, description=o.description) for o in offerings]
    relevant = np.asarray([[code in o.ssyk4 for o in offerings] for code in groups])
    methods = _ranked(matcher, needs, pool, embedders)
    return _rows("offerings (need → AUB with descriptions)", methods, relevant.astype(float), relevant)


def format_table(rows: Sequence[EvalRow]) -> str:
    header = ["set", "method", "n", *METRICS]
    cells = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)
