"""The ranking model: logistic regression over need × programme features, calibrated.

The weights are fitted on graded relevance in [0, 1] (see ``synthetic.relevance``). A
coordinator's judgement is yes or no, so the score is then Platt-scaled to the probability
that the graded relevance is at least ``RELEVANT_AT``: the programme trains for the need's
occupation and nothing (place, time, level, purpose) makes it a poor fit — e.g. same län
rather than same kommun (0.7) is still relevant, elsewhere without distance (0.2) is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import FEATURES
from .learning import fit_calibration, fit_nonnegative_logistic, sigmoid

FEEDBACK_ROW_WEIGHT = 200.0
"""A user's judgement counts as much as this many synthetic training pairs."""
RELEVANT_AT = 0.5
"""Graded relevance from which a pair counts as relevant for calibrating the score."""


@dataclass(frozen=True)
class Ranker:
    weights: np.ndarray
    bias: float
    base_features: np.ndarray
    base_labels: np.ndarray
    calibration: tuple[float, float] = (1.0, 0.0)
    """(slope, intercept) of the Platt scaling of ``linear`` into the score."""

    def linear(self, features: np.ndarray) -> np.ndarray:
        # einsum: numpy's float32 matrix @ vector takes ~20 ms for 100 000 rows, einsum ~5 ms
        return np.einsum("ij,j->i", features, self.weights) + self.bias

    def score(self, features: np.ndarray) -> np.ndarray:
        """P(a coordinator judges the pair relevant); ranks in the same order as ``linear``."""
        slope, intercept = self.calibration
        return sigmoid(slope * self.linear(features) + intercept)

    def contributions(self, row: np.ndarray) -> np.ndarray:
        return row * self.weights

    def weights_by_feature(self) -> dict[str, float]:
        return {name: round(float(w), 3) for name, w in zip(FEATURES, self.weights)}

    def refit_with(self, features: np.ndarray, labels: np.ndarray, *,
                   row_weight: float = FEEDBACK_ROW_WEIGHT) -> Ranker:
        """Refit on the base pairs plus judged pairs, which weigh ``row_weight`` each."""
        return fit_ranker(
            self.base_features, self.base_labels, extra_features=features, extra_labels=labels,
            extra_weight=row_weight,
        )


def fit_ranker(features: np.ndarray, labels: np.ndarray, *,
               extra_features: np.ndarray | None = None, extra_labels: np.ndarray | None = None,
               extra_weight: float = FEEDBACK_ROW_WEIGHT) -> Ranker:
    x, y = features, labels
    sample_weight = np.ones(len(y), dtype=np.float64)
    if extra_features is not None and len(extra_features):
        x = np.concatenate([x, extra_features])
        y = np.concatenate([y, extra_labels])
        sample_weight = np.concatenate([sample_weight, np.full(len(extra_labels), extra_weight)])
    weights, bias = fit_nonnegative_logistic(x, y, sample_weight=sample_weight)
    linear = x @ weights + bias
    slope, intercept = fit_calibration(linear, (y >= RELEVANT_AT).astype(int),
                                       sample_weight=sample_weight)
    return Ranker(weights, bias, features, labels, (max(slope, 1e-3), intercept))
