import numpy as np
import pytest

from matching.engine.evaluate import EvalRow, format_table, ranking_metrics


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


def test_format_table_lists_every_method_of_every_set():
    rows = [EvalRow("set a", "full matcher", 10, 0.5, 0.6, 0.55, 0.7),
            EvalRow("set a", "TF-IDF only", 10, 0.4, 0.5, 0.45, 0.6)]
    table = format_table(rows)
    assert "acc@1" in table.splitlines()[0]
    assert "full matcher" in table and "0.550" in table and "TF-IDF only" in table
