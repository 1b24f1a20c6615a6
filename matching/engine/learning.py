"""Small, deterministic learners for combining similarity features."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression


def fit_conditional_logit(features: np.ndarray, positive: np.ndarray, *, l2: float = 1e-5
                          ) -> np.ndarray:
    """Weights maximising the softmax likelihood of each query's positive candidate(s).

    ``features`` is (queries, candidates, features); ``positive`` is a boolean
    (queries, candidates) mask. This listwise objective optimises what accuracy@1 measures:
    the right candidate beating the other candidates of the same query.
    """
    x = features.astype(np.float64)
    pos = positive.astype(np.float64)
    pos /= np.maximum(pos.sum(axis=1, keepdims=True), 1.0)
    n = x.shape[0]

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        log_p = logits - log_z
        loss = -(pos * log_p).sum() / n + l2 * w @ w
        p = np.exp(log_p)
        grad = -np.einsum("qc,qcf->f", pos - p, x) / n + 2 * l2 * w
        return loss, grad

    result = minimize(objective, np.zeros(x.shape[2]), jac=True, method="L-BFGS-B",
                      options={"maxiter": 500})
    return result.x.astype(np.float32)


def fit_nonnegative_logistic(features: np.ndarray, labels: np.ndarray, *,
                             sample_weight: np.ndarray | None = None, l2: float = 1e-4
                             ) -> tuple[np.ndarray, float]:
    """Logistic regression whose feature weights are constrained to be ≥ 0.

    Every ranking feature is a "more of it is better" signal; the constraint keeps collinear
    features from cancelling each other out with opposite signs, so a feature that is present
    always counts in favour and can be shown as a reason.
    """
    x = features.astype(np.float64)
    y = labels.astype(np.float64)
    w_rows = np.ones(len(y)) if sample_weight is None else sample_weight.astype(np.float64)
    w_rows = w_rows / w_rows.sum()
    n_features = x.shape[1]

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias = params[:-1], params[-1]
        z = x @ weights + bias
        loss_rows = np.logaddexp(0.0, z) - y * z
        residual = w_rows * (1.0 / (1.0 + np.exp(-z)) - y)
        loss = float(w_rows @ loss_rows + l2 * weights @ weights)
        grad = np.concatenate([x.T @ residual + 2 * l2 * weights, [residual.sum()]])
        return loss, grad

    bounds = [(0.0, None)] * n_features + [(None, None)]
    result = minimize(objective, np.zeros(n_features + 1), jac=True, method="L-BFGS-B",
                      bounds=bounds, options={"maxiter": 1000})
    return result.x[:-1].astype(np.float32), float(result.x[-1])


def fit_calibration(linear_scores: np.ndarray, labels: np.ndarray, *,
                    sample_weight: np.ndarray | None = None) -> tuple[float, float]:
    """Platt scaling: (slope, intercept) so that sigmoid(slope * s + intercept) ≈ P(correct).

    With labels of one class only there is nothing to scale: (1, 0)."""
    if len(np.unique(labels)) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=100.0, max_iter=1000).fit(
        linear_scores.reshape(-1, 1), labels, sample_weight=sample_weight)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30.0, 30.0)))
