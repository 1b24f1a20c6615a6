"""Occupation coding: free Swedish text → ranked SSYK4 groups with their best occupation name.

Every SSYK4 group is a candidate. For a query the coder computes a handful of similarity
features per group (character and word TF-IDF against the group's occupation names, label
and documents, stem containment, dense embeddings, group size) and, from employers' job
titles (:class:`TitleMemory`), the nearest known titles, a vote of the nearest titles and
names, and what the query's head word (the last part of a compound: *lager|arbetare*) says
about the group. They are combined with logistic-regression weights fitted on occupation
names held out of the index and on job titles held out of the memory
(:func:`fit_occupation_coder`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.model_selection import KFold

from .embeddings import EMBEDDING_DIM, Embedder
from .learning import fit_calibration, fit_conditional_logit, sigmoid
from .taxonomy import JobTitle, Occupation, Taxonomy, label_variants
from .text import normalise, place_set, strip_noise
from .vectors import (
    binary_word_vectorizer,
    char_vectorizer,
    dense_scores,
    group_max,
    transposed,
    word_vectorizer,
)

BASE_FEATURES = (
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
"""Features computed against the taxonomy (:class:`OccupationIndex`)."""
MEMORY_FEATURES = ("title_char", "title_dense", "neighbour_vote", "dense_vote", "head_share")
"""Features computed against known job titles and names (:class:`TitleMemory`)."""
FEATURES = BASE_FEATURES + MEMORY_FEATURES
NEIGHBOURS = 20
"""Titles and names that vote in ``neighbour_vote`` and ``dense_vote``."""
DENSE_TEMPERATURE = 0.1
"""A neighbour's vote in ``dense_vote`` is exp((cosine − best cosine) / temperature), so the
few nearest neighbours decide and the rest of the 20 only break ties."""

HEAD_MIN_CHARS = 4
"""Shortest word ending that counts as a head ("tare" of "arbetare" is too short to say much)."""
_HEAD_BREAKS = frozenset("i inom på för med till mot av vid hos of for in at".split())
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
        """Base features (n_queries, n_groups, n_base_features) for normalised query texts.

        Also returns the alias-level score matrices needed to pick each group's best name.
        """
        q_char = self.char_vec.transform(queries)
        q_word = self.word_vec.transform(queries)
        q_stems = self.stem_vec.transform(queries)
        alias_char = dense_scores(q_char, self.alias_char)
        alias_word = dense_scores(q_word, self.alias_word)
        contained = np.asarray((q_stems @ self.alias_stems).todense()) / self.alias_stem_count
        n, g = len(queries), len(self.group_codes)
        out = np.zeros((n, g, len(BASE_FEATURES)), dtype=np.float32)
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



def head_word(text: str) -> str:
    """The word that names the occupation: the last word before a comma, a bracket or a
    preposition ("Lärare i matematik" → "lärare", "Key account manager" → "manager").

    Its ending is matched against known heads, which splits compounds: *bilmekaniker* is
    found as *…mekaniker*."""
    first = text.lower().split(",")[0].split("(")[0]
    words = normalise(first).split()
    for position, word in enumerate(words[1:], start=1):
        if word in _HEAD_BREAKS:
            words = words[:position]
            break
    return words[-1] if words else ""


class TitleMemory:
    """Known job titles and occupation names with their groups, for nearest-neighbour and
    head-word features.

    The titles' and names' vectors are stored once per (text, group) pair, ordered by group
    with one zero column per group, so per-group maxima are one ``reduceat``. Head-word
    statistics count, for every word ending of at least ``HEAD_MIN_CHARS`` characters of a
    known head word, how often each group has it; a query uses its longest known ending.
    """

    def __init__(self, group_codes: Sequence[str], names: Sequence[Occupation],
                 titles: Sequence[JobTitle], embedder: Embedder | None) -> None:
        group_of = {code: i for i, code in enumerate(group_codes)}
        n_groups = len(group_codes)
        name_pairs = [(v, group_of[o.ssyk4]) for o in names if o.ssyk4 in group_of
                      for v in label_variants(o.label)]
        title_pairs = [(t.title, group_of[c]) for t in titles for c in t.ssyk4 if c in group_of]
        self.n_groups = n_groups
        self.n_titles = len(titles)
        ordered = sorted(title_pairs, key=lambda pair: pair[1])
        title_texts = [normalise(t) for t, _ in ordered]
        title_group = np.asarray([g for _, g in ordered], dtype=np.int64)
        # One zero column per group first, then that group's titles.
        columns = np.concatenate([np.arange(n_groups), title_group]) if ordered else np.arange(n_groups)
        order = np.argsort(columns, kind="stable")
        self.title_starts = np.flatnonzero(np.r_[True, np.diff(columns[order]) != 0])
        self.vote_texts = title_texts + [normalise(t) for t, _ in name_pairs]
        self.vote_group = np.concatenate([title_group, np.asarray([g for _, g in name_pairs], dtype=np.int64)])

        self.char_vec = char_vectorizer().fit(self.vote_texts or ["-"])
        vote_char = self.char_vec.transform(self.vote_texts)
        title_char = sparse.vstack([sparse.csr_matrix((n_groups, vote_char.shape[1]), dtype=np.float32),
                                    vote_char[: len(title_texts)]]).tocsr()[order]
        self.title_char = transposed(title_char)
        self.vote_char = transposed(vote_char)
        if embedder is not None:
            vote_dense = embedder.encode(self.vote_texts) if self.vote_texts else np.zeros((0, EMBEDDING_DIM))
            title_dense = np.vstack([np.zeros((n_groups, vote_dense.shape[1]), np.float32),
                                     vote_dense[: len(title_texts)]])[order]
            self.title_dense = title_dense.T.astype(np.float32).copy()
            self.vote_dense = vote_dense.T.astype(np.float32).copy()
        else:
            self.title_dense = self.vote_dense = None

        heads: dict[str, np.ndarray] = {}
        for text, group in title_pairs + name_pairs:
            head = head_word(text)
            for start in range(0, max(len(head) - HEAD_MIN_CHARS + 1, 0)):
                counts = heads.setdefault(head[start:], np.zeros(n_groups, dtype=np.float32))
                counts[group] += 1.0
        self.heads = heads

    def head_share(self, text: str) -> np.ndarray:
        """Per group: its share of the known words that end like the query's head word."""
        head = head_word(text)
        for start in range(0, max(len(head) - HEAD_MIN_CHARS + 1, 0)):
            counts = self.heads.get(head[start:])
            if counts is not None:
                return counts / (counts.sum() + 1.0)
        return np.zeros(self.n_groups, dtype=np.float32)

    def features(self, texts: Sequence[str], queries: Sequence[str], dense: np.ndarray | None
                 ) -> np.ndarray:
        """Memory features (n_queries, n_groups, n_memory_features); ``texts`` are the raw
        texts (for the head word), ``queries`` the noise-stripped ones."""
        n = len(queries)
        out = np.zeros((n, self.n_groups, len(MEMORY_FEATURES)), dtype=np.float32)
        if not n:
            return out
        q_char = self.char_vec.transform(queries)
        out[:, :, 0] = group_max(dense_scores(q_char, self.title_char), self.title_starts)
        out[:, :, 2] = self._vote(dense_scores(q_char, self.vote_char), None)
        if dense is not None and self.title_dense is not None:
            out[:, :, 1] = group_max(dense @ self.title_dense, self.title_starts)
            out[:, :, 3] = self._vote(dense @ self.vote_dense, DENSE_TEMPERATURE)
        out[:, :, 4] = np.stack([self.head_share(t) for t in texts])
        return out

    def _vote(self, similarity: np.ndarray, temperature: float | None) -> np.ndarray:
        """Per group, its share of the votes of the query's nearest titles and names; a vote
        weighs the similarity itself or, with a temperature, its softmax weight."""
        n = len(similarity)
        votes = np.zeros((n, self.n_groups), dtype=np.float32)
        k = min(NEIGHBOURS, similarity.shape[1])
        if not k:
            return votes
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        weight = np.take_along_axis(similarity, nearest, axis=1)
        if temperature:
            weight = np.exp((weight - weight.max(axis=1, keepdims=True)) / temperature)
        weight = np.maximum(weight, 0.0)
        np.add.at(votes, (np.repeat(np.arange(n), k), self.vote_group[nearest].ravel()), weight.ravel())
        return votes / np.maximum(weight.sum(axis=1, keepdims=True), 1e-9)


@dataclass
class OccupationCoder:
    """A fitted occupation coder: an index, a title memory and the combination weights."""

    index: OccupationIndex
    weights: np.ndarray
    bias: float
    embedder: Embedder | None = None
    memory: TitleMemory | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["embedder"] = None
        return state

    def features(self, texts: Sequence[str], dense: np.ndarray | None = None
                 ) -> tuple[np.ndarray, dict]:
        """All features (n, n_groups, n_features) of raw texts, plus the alias scores."""
        queries = self.index.query_texts(texts)
        if dense is None and self.embedder is not None and self.index.alias_dense is not None:
            dense = self.embedder.encode_uncached(queries)
        base, alias_scores = self.index.features(queries, dense)
        return with_memory(base, self.memory, texts, queries, dense), alias_scores

    def code(self, texts: Sequence[str], *, top_k: int = 5,
             dense: np.ndarray | None = None) -> list[list[OccupationCandidate]]:
        """Ranked candidates (one per SSYK4 group) for each text."""
        if not texts:
            return []
        features, alias_scores = self.features(texts, dense)
        scores = self.score(features)
        return [
            self._candidates(i, scores[i], alias_scores, top_k, self.index.name_tiers(texts[i]))
            for i in range(len(texts))
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
        return top_k_distribution(self.score(self.features(texts, dense)[0]), top_k)


def with_memory(base: np.ndarray, memory: TitleMemory | None, texts: Sequence[str],
                queries: Sequence[str], dense: np.ndarray | None) -> np.ndarray:
    """Base features with the memory features appended (zeros without a memory)."""
    extra = (memory.features(texts, queries, dense) if memory is not None
             else np.zeros(base.shape[:2] + (len(MEMORY_FEATURES),), dtype=np.float32))
    return np.concatenate([base, extra], axis=2)


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
    """Out-of-fold features of occupation names coded by an index that never saw them.

    ``features`` holds the base features only until :func:`fit_occupation_coder` appends the
    memory features; ``folds`` is each name's fold."""

    occupation_ids: list[str]
    targets: np.ndarray
    features: np.ndarray
    folds: np.ndarray


def cross_fit_features(taxonomy: Taxonomy, embedder: Embedder | None, *, folds: int = 5,
                       seed: int = 0) -> CrossFit:
    """Code every occupation name with an index built from the other folds' names only."""
    occupations = list(taxonomy.occupations)
    group_codes = sorted(taxonomy.groups)
    group_of = {code: i for i, code in enumerate(group_codes)}
    features = np.zeros((len(occupations), len(group_codes), len(BASE_FEATURES)), dtype=np.float32)
    fold_of = np.zeros(len(occupations), dtype=np.int64)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (_, held) in enumerate(splitter.split(occupations)):
        held_ids = {occupations[i].id for i in held}
        index = OccupationIndex(taxonomy.holding_out(held_ids), embedder)
        queries = index.query_texts([occupations[i].label for i in held])
        dense = embedder.encode(queries) if embedder is not None else None
        features[held] = index.features(queries, dense)[0]
        fold_of[held] = fold
    targets = np.asarray([group_of[o.ssyk4] for o in occupations])
    return CrossFit([o.id for o in occupations], targets, features, fold_of)


@dataclass(frozen=True)
class TitleRows:
    """Job titles as training or test queries: base features against the whole taxonomy."""

    titles: list[JobTitle]
    base: np.ndarray
    positive: np.ndarray
    dense: np.ndarray | None

    def subset(self, rows: Sequence[int]) -> TitleRows:
        rows = np.asarray(rows, dtype=np.int64)
        return TitleRows([self.titles[i] for i in rows], self.base[rows], self.positive[rows],
                         None if self.dense is None else self.dense[rows])


def title_rows(index: OccupationIndex, titles: Sequence[JobTitle], embedder: Embedder | None) -> TitleRows:
    titles = list(titles)
    queries = index.query_texts([t.title for t in titles])
    dense = embedder.encode(queries) if embedder is not None and titles else None
    base = index.features(queries, dense)[0] if titles else np.zeros((0, len(index.group_codes), len(BASE_FEATURES)), np.float32)
    group_of = {code: i for i, code in enumerate(index.group_codes)}
    positive = np.zeros(base.shape[:2], dtype=bool)
    for i, title in enumerate(titles):
        positive[i, [group_of[c] for c in title.ssyk4 if c in group_of]] = True
    return TitleRows(titles, base, positive, dense)


def memory_features(memory: TitleMemory, index: OccupationIndex, rows: TitleRows) -> np.ndarray:
    texts = [t.title for t in rows.titles]
    return with_memory(rows.base, memory, texts, index.query_texts(texts), rows.dense)


def training_features(taxonomy: Taxonomy, index: OccupationIndex, cross_fit: CrossFit,
                      titles: TitleRows, embedder: Embedder | None, *, folds: int = 5, seed: int = 0
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full features of every query the weights learn from, each computed without itself.

    Names: the memory holds the other folds' names and the titles (minus titles that equal a
    held-out name). Titles: the memory holds every name and the other folds' titles. Returns
    the names' features, the titles' features and the titles' positive masks."""
    occupations = list(taxonomy.occupations)
    name_rows = np.zeros(cross_fit.features.shape[:2] + (len(FEATURES),), dtype=np.float32)
    name_rows[:, :, : len(BASE_FEATURES)] = cross_fit.features[:, :, : len(BASE_FEATURES)]
    for fold in np.unique(cross_fit.folds):
        held = np.flatnonzero(cross_fit.folds == fold)
        held_texts = {normalise(v) for i in held for v in label_variants(occupations[i].label)}
        memory = TitleMemory(
            index.group_codes, [o for i, o in enumerate(occupations) if cross_fit.folds[i] != fold],
            [t for t in titles.titles if normalise(t.title) not in held_texts], embedder,
        )
        texts = [occupations[i].label for i in held]
        queries = index.query_texts(texts)
        dense = embedder.encode(queries) if embedder is not None else None
        name_rows[held, :, len(BASE_FEATURES):] = memory.features(texts, queries, dense)
    title_features = np.zeros(titles.base.shape[:2] + (len(FEATURES),), dtype=np.float32)
    if len(titles.titles) >= folds:
        for train, held in KFold(n_splits=folds, shuffle=True, random_state=seed).split(titles.titles):
            memory = TitleMemory(index.group_codes, occupations, [titles.titles[i] for i in train], embedder)
            title_features[held] = memory_features(memory, index, titles.subset(held))
    else:
        title_features[:, :, : len(BASE_FEATURES)] = titles.base
    return name_rows, title_features, titles.positive


def fit_weights(features: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, float]:
    """Conditional-logit weights over each query's hardest candidates, then Platt-calibrated.

    ``positive`` marks each query's right group(s). Returns weights and bias such that
    ``sigmoid(features @ weights + bias)`` estimates the probability that a group is right.
    """
    prescore = sum(features[:, :, FEATURES.index(f)] for f in ("name_char", "doc_char", "title_char", "neighbour_vote"))
    top = np.argsort(-prescore, axis=1)[:, :CANDIDATES_PER_QUERY]
    rows = np.arange(len(features))[:, None]
    first_positive = np.argmax(positive, axis=1)
    missing = ~positive[rows, top].any(axis=1)
    top[missing, -1] = first_positive[missing]
    candidates = features[rows, top]
    chosen = positive[rows, top]
    weights = fit_conditional_logit(candidates, chosen)
    slope, intercept = fit_calibration((candidates @ weights).ravel(), chosen.ravel())
    return weights * slope, intercept


def fit_coder_weights(taxonomy: Taxonomy, index: OccupationIndex, cross_fit: CrossFit,
                      titles: TitleRows, embedder: Embedder | None, *, seed: int = 0
                      ) -> tuple[np.ndarray, float, np.ndarray]:
    """Weights from held-out names and held-out titles; also the names' full features."""
    name_features, title_features, title_positive = training_features(
        taxonomy, index, cross_fit, titles, embedder, seed=seed)
    name_positive = np.zeros(name_features.shape[:2], dtype=bool)
    name_positive[np.arange(len(cross_fit.targets)), cross_fit.targets] = True
    weights, bias = fit_weights(np.concatenate([name_features, title_features]),
                                np.concatenate([name_positive, title_positive]))
    return weights, bias, name_features


def fit_occupation_coder(taxonomy: Taxonomy, embedder: Embedder | None, *, folds: int = 5,
                         seed: int = 0) -> tuple[OccupationCoder, CrossFit]:
    """Fit weights on cross-fitted held-out names and titles, then index the whole taxonomy
    and remember every title."""
    cross_fit = cross_fit_features(taxonomy, embedder, folds=folds, seed=seed)
    index = OccupationIndex(taxonomy, embedder)
    titles = title_rows(index, taxonomy.job_titles, embedder)
    weights, bias, name_features = fit_coder_weights(taxonomy, index, cross_fit, titles, embedder, seed=seed)
    memory = TitleMemory(index.group_codes, taxonomy.occupations, taxonomy.job_titles, embedder)
    coder = OccupationCoder(index, weights, bias, embedder, memory)
    return coder, CrossFit(cross_fit.occupation_ids, cross_fit.targets, name_features, cross_fit.folds)
