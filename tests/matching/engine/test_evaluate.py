import numpy as np
import pytest

from matching.engine.evaluate import (
    EvalRow,
    bootstrap_intervals,
    format_table,
    per_query_metrics,
    ranking_metrics,
)


def test_ranking_metrics_match_a_hand_computed_example():
    scores = np.array([[0.9, 0.8, 0.1], [0.1, 0.2, 0.9]])
    gains = np.array([[0.0, 3.0, 1.0], [3.0, 0.0, 0.0]])
    acc, recall, mrr, ndcg = ranking_metrics(scores, gains, gains == 3)
    assert acc == 0.0
    assert recall == 1.0
    assert mrr == pytest.approx((1 / 2 + 1 / 3) / 2)
    ideal_1 = 3 + 1 / np.log2(3)
    got_1 = 3 / np.log2(3) + 1 / np.log2(4)
    assert ndcg == pytest.approx((got_1 / ideal_1 + (3 / np.log2(4)) / 3) / 2)


def test_recall_at_10_counts_right_answers_ranked_sixth_to_tenth():
    scores = -np.arange(12, dtype=float)[None, :]
    relevant = np.zeros((1, 12), dtype=bool)
    relevant[0, [0, 7, 11]] = True
    values = per_query_metrics(scores, relevant.astype(float), relevant)[0]
    assert values[1] == pytest.approx(1 / 3)   # recall@5: one of three
    assert values[2] == pytest.approx(2 / 3)   # recall@10: two of three


def test_the_bootstrap_interval_holds_the_mean_and_narrows_with_more_queries():
    rng = np.random.default_rng(1)
    small = rng.random((30, 1)) < 0.6
    large = rng.random((3000, 1)) < 0.6
    low, high = bootstrap_intervals(small.astype(float))
    assert low[0] <= small.mean() <= high[0]
    big_low, big_high = bootstrap_intervals(large.astype(float))
    assert big_high[0] - big_low[0] < (high[0] - low[0]) / 3


def test_format_table_lists_every_method_of_every_set_with_its_interval():
    rows = [EvalRow("set a", "full matcher", 10, 0.5, 0.6, 0.55, 0.7, 0.8, {"acc@1": (0.2, 0.8)}),
            EvalRow("set a", "TF-IDF only", 10, 0.4, 0.5, 0.45, 0.6)]
    table = format_table(rows)
    assert "acc@1" in table.splitlines()[0] and "recall@10" in table.splitlines()[0]
    assert "full matcher" in table and "0.550" in table and "TF-IDF only" in table
    assert "0.500 [0.20–0.80]" in table
