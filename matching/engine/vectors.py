"""Shared TF-IDF vectorisers and small sparse/dense helpers."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from .text import normalise, tokens


def word_analyzer(text: str) -> list[str]:
    """Stemmed content words; module-level so fitted vectorisers pickle."""
    return tokens(normalise(text))


def char_vectorizer() -> TfidfVectorizer:
    """Character 2–5-grams inside word boundaries: robust to compounds and inflection."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        preprocessor=normalise,
        sublinear_tf=True,
        dtype=np.float32,
    )


def word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=word_analyzer, sublinear_tf=True, dtype=np.float32)


def binary_word_vectorizer(vocabulary: dict[str, int]) -> CountVectorizer:
    """Stem presence indicators over a fixed vocabulary (for containment features)."""
    return CountVectorizer(
        analyzer=word_analyzer, vocabulary=vocabulary, binary=True, dtype=np.float32
    )


def transposed(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """The transpose as CSR, so that ``query @ transposed(items)`` needs no conversion per call."""
    return sparse.csr_matrix(matrix.T)


def dense_scores(left: sparse.spmatrix, right_t: sparse.csr_matrix) -> np.ndarray:
    """Dense (n_left, n_items) dot products; ``right_t`` is the items matrix already transposed."""
    return (left @ right_t).toarray().astype(np.float32, copy=False)


def group_max(scores: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Column-wise maximum over consecutive column groups that begin at ``starts``."""
    return np.maximum.reduceat(scores, starts, axis=1)


def one_hot_rows(indices: list[list[int]], n_cols: int, values: list[list[float]] | None = None
                 ) -> sparse.csr_matrix:
    """A CSR matrix whose row i has ``values[i]`` (default 1.0) at columns ``indices[i]``."""
    indptr = np.zeros(len(indices) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(row) for row in indices])
    cols = np.fromiter((c for row in indices for c in row), dtype=np.int32, count=int(indptr[-1]))
    if values is None:
        data = np.ones(len(cols), dtype=np.float32)
    else:
        data = np.fromiter((v for row in values for v in row), dtype=np.float32, count=len(cols))
    return sparse.csr_matrix((data, cols, indptr), shape=(len(indices), n_cols))
