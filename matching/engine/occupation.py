"""Occupation coding: free Swedish text → ranked SSYK4 groups with their best occupation name.

Every SSYK4 group is a candidate. For a query the coder computes a handful of similarity
features per group (character and word TF-IDF against the group's occupation names, label
and documents, stem containment, dense embeddings, group size) and combines them with
logistic-regression weights fitted on occupation names held out of the index
(:func:`fit_occupation_coder`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import KFold

from .embeddings import Embedder
from .learning import fit_calibration, fit_conditional_logit, sigmoid
from .taxonomy import Taxonomy, label_variants
from .text import normalise, place_set, strip_noise
from .vectors import (
    binary_word_vectorizer,
    char_vectorizer,
    dense_scores,
    group_max,
    transposed,
    word_vectorizer,
)

FEATURES = (
    "name_char",
    "label_char",
    "name_word",
    "doc_word",
    "doc_char",
    "name_contained",
    "name_dense",
    "label_dense",
    "group_size",
    "ad_volume",
)
CANDIDATES_PER_QUERY = 40
"""Hard negatives per training query: the groups a cheap pre-score ranks highest."""


@dataclass(frozen=True)
class OccupationCandidate:
    ssyk4: str
    occupation_id: str | None
    label: str | None
    score: float

    def as_dict(self) -> dict:
        return {
            "ssyk4": self.ssyk4,
            "occupation_id": self.occupation_id,
            "label": self.label,
            "score": round(self.score, 4),
        }


class OccupationIndex:
    """The vectorised texts of one taxonomy, able to compute the coder's features.

    Aliases are the SSYK4 labels and the occupation names (with their slash-separated
    variants), ordered by group so per-group maxima are one ``reduceat``. Matrices are stored
    transposed (features × items) so scoring a query is a single product.
    """

    def __init__(self, taxonomy: Taxonomy, embedder: Embedder | None) -> None:
        self.group_codes = sorted(taxonomy.groups)
        self.places = place_set(taxonomy.place_names())
        by_group = taxonomy.occupations_by_group()
        alias_texts: list[str] = []
        alias_occupation: list[int] = []
        starts: list[int] = []
        self.occupation_ids: list[str] = []
        self.occupation_labels: list[str] = []
        docs_word: list[str] = []
        docs_char: list[str] = []
        exact: dict[str, set[int]] = defaultdict(set)
        heads: dict[str, set[int]] = defaultdict(set)
        for position, code in enumerate(self.group_codes):
            group = taxonomy.groups[code]
            exact[normalise(group.label)].add(position)
            for occupation in by_group.get(code, []):
                for variant in label_variants(occupation.label):
                    exact[normalise(variant)].add(position)
                    head = variant.split(",")[0]
                    if head != variant and len(head) > 2:
                        heads[normalise(head)].add(position)
            starts.append(len(alias_texts))
            alias_texts.append(group.label)
            alias_occupation.append(-1)
            names = by_group.get(code, [])
            for occupation in names:
                occ_index = len(self.occupation_ids)
                self.occupation_ids.append(occupation.id)
                self.occupation_labels.append(occupation.label)
                for variant in label_variants(occupation.label):
                    alias_texts.append(variant)
                    alias_occupation.append(occ_index)
            name_text = " ; ".join(o.label for o in names)
            descriptions = " ".join(d for o in names for d in taxonomy.descriptions.get(o.id, ()))
            skills = " ; ".join(taxonomy.skills.get(code, ()))
            docs_char.append(f"{group.label} ; {name_text} ; {group.definition}")
            docs_word.append(f"{group.label} {name_text} {group.definition} {skills} {descriptions}")
        self.exact_groups = {text: sorted(groups) for text, groups in exact.items()}
        self.head_groups = {text: sorted(groups) for text, groups in heads.items()}
        self.alias_starts = np.asarray(starts, dtype=np.int64)
        self.alias_occupation = np.asarray(alias_occupation, dtype=np.int64)
        self.alias_group = np.repeat(
            np.arange(len(starts)), np.diff(np.append(self.alias_starts, len(alias_texts)))
        )
        labels = [taxonomy.groups[c].label for c in self.group_codes]

        skills_corpus = [s for code in self.group_codes for s in taxonomy.skills.get(code, ())]
        self.char_vec = char_vectorizer().fit(alias_texts + skills_corpus)
        self.word_vec = word_vectorizer().fit(docs_word + alias_texts)
        self.stem_vec = binary_word_vectorizer(self.word_vec.vocabulary_)
        self.alias_char = transposed(self.char_vec.transform(alias_texts))
        self.label_char = transposed(self.char_vec.transform(labels))
        self.doc_char = transposed(self.char_vec.transform(docs_char))
        self.alias_word = transposed(self.word_vec.transform(alias_texts))
        self.doc_word = transposed(self.word_vec.transform(docs_word))
        alias_stems = self.stem_vec.transform(alias_texts)
        self.alias_stems = alias_stems.T.tocsr()
        self.alias_stem_count = np.maximum(np.asarray(alias_stems.sum(axis=1)).ravel(), 1.0)
        sizes = np.asarray([len(by_group.get(c, [])) for c in self.group_codes], dtype=np.float32)
        self.group_size = np.log1p(sizes) / np.log1p(max(sizes.max(), 1.0))
        ads = np.asarray([taxonomy.ad_volume.get(c, 0) for c in self.group_codes], dtype=np.float32)
        self.ad_volume = np.log1p(ads) / np.log1p(max(ads.max(), 1.0))
        if embedder is not None:
            self.alias_dense = embedder.encode([normalise(t) for t in alias_texts]).T.copy()
            self.label_dense = embedder.encode([normalise(t) for t in labels]).T.copy()
        else:
            self.alias_dense = self.label_dense = None

    def query_texts(self, texts: Sequence[str]) -> list[str]:
        return [strip_noise(t, self.places) for t in texts]

    def name_tiers(self, text: str) -> np.ndarray:
        """Per group: 2 if the text is one of its occupation names (or its label), 1 if it is
        the head of one ("Sjuksköterska" of "Sjuksköterska, grundutbildad"), else 0.

        The fitted weights cannot learn this — their training names are, by construction,
        absent from the index — so an exact name is looked up as in a dictionary."""
        tiers = np.zeros(len(self.group_codes), dtype=np.int8)
        key = normalise(text)
        tiers[self.head_groups.get(key, [])] = 1
        tiers[self.exact_groups.get(key, [])] = 2
        return tiers

    def features(self, queries: Sequence[str], dense: np.ndarray | None) -> tuple[np.ndarray, dict]:
        """Features (n_queries, n_groups, n_features) for normalised query texts.

        Also returns the alias-level score matrices needed to pick each group's best name.
        """
        q_char = self.char_vec.transform(queries)
        q_word = self.word_vec.transform(queries)
        q_stems = self.stem_vec.transform(queries)
        alias_char = dense_scores(q_char, self.alias_char)
        alias_word = dense_scores(q_word, self.alias_word)
        contained = np.asarray((q_stems @ self.alias_stems).todense()) / self.alias_stem_count
        n, g = len(queries), len(self.group_codes)
        out = np.zeros((n, g, len(FEATURES)), dtype=np.float32)
        out[:, :, 0] = group_max(alias_char, self.alias_starts)
        out[:, :, 1] = dense_scores(q_char, self.label_char)
        out[:, :, 2] = group_max(alias_word, self.alias_starts)
        out[:, :, 3] = dense_scores(q_word, self.doc_word)
        out[:, :, 4] = dense_scores(q_char, self.doc_char)
        out[:, :, 5] = group_max(contained.astype(np.float32), self.alias_starts)
        alias_dense = None
        if dense is not None and self.alias_dense is not None:
            alias_dense = dense @ self.alias_dense
            out[:, :, 6] = group_max(alias_dense, self.alias_starts)
            out[:, :, 7] = dense @ self.label_dense
        out[:, :, 8] = self.group_size
        out[:, :, 9] = self.ad_volume
        return out, {"name_char": alias_char, "name_dense": alias_dense}


@dataclass
class OccupationCoder:
    """A fitted occupation coder: an index plus the combination weights."""

    index: OccupationIndex
    weights: np.ndarray
    bias: float
    embedder: Embedder | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["embedder"] = None
        return state

    def code(self, texts: Sequence[str], *, top_k: int = 5,
             dense: np.ndarray | None = None) -> list[list[OccupationCandidate]]:
        """Ranked candidates (one per SSYK4 group) for each text."""
        if not texts:
            return []
        queries = self.index.query_texts(texts)
        if dense is None and self.embedder is not None and self.index.alias_dense is not None:
            dense = self.embedder.encode_uncached(queries)
        features, alias_scores = self.index.features(queries, dense)
        scores = self.score(features)
        return [
            self._candidates(i, scores[i], alias_scores, top_k, self.index.name_tiers(texts[i]))
            for i in range(len(queries))
        ]

    def score(self, features: np.ndarray) -> np.ndarray:
        return sigmoid(features @ self.weights + self.bias)

    def _candidates(self, row: int, scores: np.ndarray, alias_scores: dict, top_k: int,
                    tiers: np.ndarray) -> list[OccupationCandidate]:
        """Groups whose occupation name the text is come first, then groups it heads, each by
        score; a group moved up this way reports at least the score of the best group below it."""
        name_score = best_name_score(alias_scores, row)
        name_score[self.index.alias_occupation < 0] = -np.inf
        order = np.lexsort((-scores, -tiers))[:top_k]
        scores = scores.copy()
        for tier in (1, 2):
            lower = scores[tiers < tier]
            if lower.size:
                scores[tiers == tier] = np.maximum(scores[tiers == tier], lower.max())
        result = []
        for g in order:
            in_group = np.flatnonzero(self.index.alias_group == g)
            best = in_group[np.argmax(name_score[in_group])]
            occ = int(self.index.alias_occupation[best])
            result.append(
                OccupationCandidate(
                    ssyk4=self.index.group_codes[g],
                    occupation_id=self.index.occupation_ids[occ] if occ >= 0 else None,
                    label=self.index.occupation_labels[occ] if occ >= 0 else None,
                    score=float(scores[g]),
                )
            )
        return result

    def distribution(self, texts: Sequence[str], *, dense: np.ndarray | None = None,
                     top_k: int = 5) -> np.ndarray:
        """Per text, a vector over ``index.group_codes`` holding the top-k scores normalised to 1."""
        if not texts:
            return np.zeros((0, len(self.index.group_codes)), dtype=np.float32)
        queries = self.index.query_texts(texts)
        if dense is None and self.embedder is not None and self.index.alias_dense is not None:
            dense = self.embedder.encode_uncached(queries)
        return top_k_distribution(self.score(self.index.features(queries, dense)[0]), top_k)


def best_name_score(alias_scores: dict, row: int) -> np.ndarray:
    """How well each alias fits the query, for choosing a group's occupation name.

    Within one group the names are near-duplicates in meaning, so the plain character
    similarity (plus the dense one when available) picks the wording closest to the query.
    """
    score = alias_scores["name_char"][row].astype(np.float32)
    if alias_scores["name_dense"] is not None:
        score = score + alias_scores["name_dense"][row]
    return score


def top_k_distribution(scores: np.ndarray, top_k: int) -> np.ndarray:
    out = np.zeros_like(scores, dtype=np.float32)
    top = np.argsort(-scores, axis=1)[:, :top_k]
    rows = np.arange(scores.shape[0])[:, None]
    out[rows, top] = scores[rows, top]
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-9)


@dataclass(frozen=True)
class CrossFit:
    """Out-of-fold features of occupation names coded by an index that never saw them."""

    occupation_ids: list[str]
    targets: np.ndarray
    features: np.ndarray


def cross_fit_features(taxonomy: Taxonomy, embedder: Embedder | None, *, folds: int = 5,
                       seed: int = 0) -> CrossFit:
    """Code every occupation name with an index built from the other folds' names only."""
    occupations = list(taxonomy.occupations)
    group_codes = sorted(taxonomy.groups)
    group_of = {code: i for i, code in enumerate(group_codes)}
    features = np.zeros((len(occupations), len(group_codes), len(FEATURES)), dtype=np.float32)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for _, held in splitter.split(occupations):
        held_ids = {occupations[i].id for i in held}
        index = OccupationIndex(taxonomy.holding_out(held_ids), embedder)
        queries = index.query_texts([occupations[i].label for i in held])
        dense = embedder.encode(queries) if embedder is not None else None
        features[held] = index.features(queries, dense)[0]
    targets = np.asarray([group_of[o.ssyk4] for o in occupations])
    return CrossFit([o.id for o in occupations], targets, features)


def fit_weights(features: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, float]:
    """Conditional-logit weights over each query's hardest candidates, then Platt-calibrated.

    Returns weights and bias such that ``sigmoid(features @ weights + bias)`` estimates the
    probability that a group is the right one.
    """
    prescore = features[:, :, FEATURES.index("name_char")] + features[:, :, FEATURES.index("doc_char")]
    top = np.argsort(-prescore, axis=1)[:, :CANDIDATES_PER_QUERY]
    missing = ~(top == targets[:, None]).any(axis=1)
    top[missing, -1] = targets[missing]
    rows = np.arange(len(targets))[:, None]
    candidates = features[rows, top]
    positive = top == targets[:, None]
    weights = fit_conditional_logit(candidates, positive)
    slope, intercept = fit_calibration((candidates @ weights).ravel(), positive.ravel())
    return weights * slope, intercept


def fit_occupation_coder(taxonomy: Taxonomy, embedder: Embedder | None, *, folds: int = 5,
                         seed: int = 0) -> tuple[OccupationCoder, CrossFit]:
    """Fit weights on cross-fitted held-out names, then index the whole taxonomy."""
    cross_fit = cross_fit_features(taxonomy, embedder, folds=folds, seed=seed)
    weights, bias = fit_weights(cross_fit.features, cross_fit.targets)
    coder = OccupationCoder(OccupationIndex(taxonomy, embedder), weights, bias, embedder)
    return coder, cross_fit
