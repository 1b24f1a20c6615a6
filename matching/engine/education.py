"""Education coding: programme name (+ area, description) → ranked SUN 2020 codes.

Candidates are MYH's five-character SUN codes seen in training (e.g. ``481ab``) and the
four-character SUN 2020 fields (e.g. ``481a``) as a back-off for programmes unlike any YH
programme. Features: nearest training programme and code centroid (character TF-IDF and dense
embeddings), similarity to the code's label, and how common the code is in the programme's
utbildningsområde. Weights are a conditional logit fitted on cross-validated training rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

from .embeddings import Embedder
from .learning import fit_calibration, fit_conditional_logit, sigmoid
from .taxonomy import Taxonomy
from .text import MAX_TEXT_CHARS, normalise
from .vectors import char_vectorizer, dense_scores, group_max, one_hot_rows, transposed

FEATURES = (
    "nearest_char",
    "centroid_char",
    "label_char",
    "nearest_dense",
    "centroid_dense",
    "label_dense",
    "area_share",
    "code_prior",
)
AREA_SMOOTHING = 0.5
DESCRIPTION_CHARS = 300


@dataclass(frozen=True)
class TrainingProgramme:
    name: str
    area: str
    sun_code: str


@dataclass(frozen=True)
class EducationCandidate:
    sun_code: str
    label: str
    score: float

    def as_dict(self) -> dict:
        return {"sun_code": self.sun_code, "label": self.label, "score": round(self.score, 4)}


def programme_text(name: str, description: str = "") -> str:
    description = (description or "")[:DESCRIPTION_CHARS]
    return f"{name} {description}".strip()[:MAX_TEXT_CHARS]


class EducationIndex:
    """Training programmes and candidate codes, vectorised (matrices stored transposed)."""

    def __init__(self, programmes: Sequence[TrainingProgramme], taxonomy: Taxonomy,
                 embedder: Embedder | None, *, extra_sun5: bool) -> None:
        labels: dict[str, str] = {}
        for p in programmes:
            labels.setdefault(p.sun_code, taxonomy.sun_label(p.sun_code) or p.sun_code)
        if extra_sun5:
            for code, label in taxonomy.sun5_labels.items():
                labels.setdefault(code, label)
        trained = sorted({p.sun_code for p in programmes})
        backoff = sorted(
            code for code, label in taxonomy.sun_fields.items()
            if len(code) == 4 and code not in labels
        )
        backoff += sorted(code for code in labels if code not in trained and code not in backoff)
        for code in backoff:
            labels.setdefault(code, taxonomy.sun_fields.get(code, ""))
        self.codes = trained + backoff
        self.n_trained = len(trained)
        self.labels = [labels[c] for c in self.codes]
        label_texts = [
            f"{labels[c]} {taxonomy.sun_definitions.get(c, '')}".strip() for c in self.codes
        ]
        code_index = {c: i for i, c in enumerate(self.codes)}
        order = sorted(range(len(programmes)), key=lambda i: code_index[programmes[i].sun_code])
        ordered = [programmes[i] for i in order]
        texts = [p.name for p in ordered]
        self.train_code = np.asarray([code_index[p.sun_code] for p in ordered])
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.train_code) != 0])

        self.char_vec = char_vectorizer().fit(texts + label_texts)
        train_char = self.char_vec.transform(texts)
        membership = one_hot_rows([[c] for c in self.train_code], len(self.codes)).T.tocsr()
        self.train_char = transposed(train_char)
        self.centroid_char = transposed(normalize(membership[: self.n_trained] @ train_char))
        self.label_char = transposed(self.char_vec.transform(label_texts))
        counts = np.bincount(self.train_code, minlength=len(self.codes)).astype(np.float32)
        self.code_prior = np.log1p(counts) / np.log1p(max(counts.max(), 1.0))
        areas = sorted({p.area for p in ordered if p.area})
        self.area_index = {a: i for i, a in enumerate(areas)}
        area_counts = np.full((len(areas), len(self.codes)), 0.0, dtype=np.float32)
        for p, code in zip(ordered, self.train_code):
            if p.area:
                area_counts[self.area_index[p.area], code] += 1
        self.area_share = (area_counts + AREA_SMOOTHING * (counts > 0)) / (
            area_counts.sum(axis=1, keepdims=True) + AREA_SMOOTHING * self.n_trained
        )
        if embedder is not None:
            train_dense = embedder.encode([normalise(t) for t in texts])
            centroids = sparse.csr_matrix(membership[: self.n_trained]) @ train_dense
            self.train_dense = train_dense.T.copy()
            self.centroid_dense = normalize(centroids).astype(np.float32).T.copy()
            self.label_dense = embedder.encode([normalise(t) for t in self.labels]).T.copy()
        else:
            self.train_dense = self.centroid_dense = self.label_dense = None

    def features(self, texts: Sequence[str], areas: Sequence[str | None],
                 dense: np.ndarray | None) -> np.ndarray:
        n, trained = len(texts), self.n_trained
        out = np.zeros((n, len(self.codes), len(FEATURES)), dtype=np.float32)
        q_char = self.char_vec.transform(texts)
        if self.train_char.shape[1]:
            out[:, :trained, 0] = group_max(dense_scores(q_char, self.train_char), self.starts)
            out[:, :trained, 1] = dense_scores(q_char, self.centroid_char)
        out[:, :, 2] = dense_scores(q_char, self.label_char)
        if dense is not None and self.train_dense is not None:
            if self.train_dense.shape[1]:
                out[:, :trained, 3] = group_max(dense @ self.train_dense, self.starts)
                out[:, :trained, 4] = dense @ self.centroid_dense
            out[:, :, 5] = dense @ self.label_dense
        for i, area in enumerate(areas):
            if area in self.area_index:
                out[i, :, 6] = self.area_share[self.area_index[area]]
        out[:, :, 7] = self.code_prior
        return out


@dataclass
class EducationCoder:
    index: EducationIndex
    weights: np.ndarray
    bias: float
    embedder: Embedder | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["embedder"] = None
        return state

    def scores(self, texts: Sequence[str], areas: Sequence[str | None]) -> np.ndarray:
        queries = [normalise(t) for t in texts]
        dense = None
        if self.embedder is not None and self.index.train_dense is not None:
            dense = self.embedder.encode_uncached(queries)
        return sigmoid(self.index.features(queries, areas, dense) @ self.weights + self.bias)

    def code(self, texts: Sequence[str], areas: Sequence[str | None] | None = None, *,
             top_k: int = 5) -> list[list[EducationCandidate]]:
        if not texts:
            return []
        scores = self.scores(texts, areas or [None] * len(texts))
        return [
            [
                EducationCandidate(self.index.codes[c], self.index.labels[c], float(row[c]))
                for c in np.argsort(-row, kind="stable")[:top_k]
            ]
            for row in scores
        ]


def fit_education_coder(programmes: Sequence[TrainingProgramme], taxonomy: Taxonomy,
                        embedder: Embedder | None, *, extra_sun5: bool = True, folds: int = 5,
                        seed: int = 0) -> EducationCoder:
    """Fit weights on cross-validated training programmes, then index all of them.

    ``extra_sun5`` adds the MYH SUN5 code list as label-only candidates; evaluation turns it
    off so that codes first used in the test round stay unknown.
    """
    programmes = list(programmes)
    full = EducationIndex(programmes, taxonomy, embedder, extra_sun5=extra_sun5)
    code_index = {c: i for i, c in enumerate(full.codes)}
    feature_rows, positives = [], []
    for train, held in KFold(n_splits=folds, shuffle=True, random_state=seed).split(programmes):
        index = EducationIndex([programmes[i] for i in train], taxonomy, embedder,
                               extra_sun5=extra_sun5)
        held_rows = [programmes[i] for i in held]
        queries = [normalise(p.name) for p in held_rows]
        dense = embedder.encode(queries) if embedder is not None else None
        fold = index.features(queries, [p.area for p in held_rows], dense)
        # Re-align the fold's candidate columns with the full index's code order.
        aligned = np.zeros((len(held_rows), len(full.codes), len(FEATURES)), dtype=np.float32)
        aligned[:, [code_index[c] for c in index.codes]] = fold
        feature_rows.append(aligned)
        targets = np.asarray([code_index[p.sun_code] for p in held_rows])
        positives.append(np.arange(len(full.codes))[None, :] == targets[:, None])
    features = np.concatenate(feature_rows)
    positive = np.concatenate(positives)
    weights = fit_conditional_logit(features, positive)
    slope, intercept = fit_calibration((features @ weights).ravel(), positive.ravel())
    return EducationCoder(full, weights * slope, intercept, embedder)
