import csv

import numpy as np
import pytest

from matching.engine.scoring import (
    FIT_LEVELS,
    FLOOR,
    fit_level,
    reliability_bins,
    reliability_table,
    split_at_floor,
)

from .test_ranking import CARE_HERE, JAVA_HERE, NEED, TODAY, index_of


def test_fit_levels_follow_the_documented_cut_offs():
    assert [level.label for level in FIT_LEVELS] == ["Mycket god", "God", "Möjlig"]
    assert fit_level(0.95).key == "very_good"
    assert fit_level(FIT_LEVELS[0].minimum - 0.01).key == "good"
    assert fit_level(FLOOR).key == "possible"
    assert fit_level(FLOOR - 0.01).key == "weak"


def test_results_below_the_floor_are_split_off_as_weaker_in_their_order(matcher):
    results = index_of(matcher, JAVA_HERE, CARE_HERE).rank(NEED, today=TODAY)
    listed, weaker = split_at_floor(results)
    assert [r.programme.id for r in listed] == ["care-here"]
    assert [r.programme.id for r in weaker] == ["java-here"]
    assert results[0].as_dict()["above_floor"] is True
    assert results[1].as_dict()["above_floor"] is False
    assert results[1].as_dict()["fit"] == "weak"


def test_reliability_bins_compare_predicted_and_observed_relevance_per_bin():
    rows, ece = reliability_bins(np.asarray([0.05, 0.05, 0.95, 0.95]), np.asarray([0, 1, 1, 1]))
    assert [(r.low, r.n, r.predicted, r.observed) for r in rows] == [
        (0.0, 2, 0.05, 0.5), (0.9, 2, 0.95, 1.0)]
    assert ece == pytest.approx(0.5 * 0.45 + 0.5 * 0.05)


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_reliability_table_judges_real_style_pairs_by_their_tagged_groups(matcher, tmp_path):
    offerings = _write(tmp_path / "offerings.csv", [
        {"offering_id": "o1", "utbildningsnamn": "Vårdbiträdesutbildning",
         "beskrivning": "Utbildning till vårdbiträde inom äldreomsorgen", "ort": "Karlstad",
         "ssyk4_codes": "5330", "ssyk4_labels": "Vårdbiträden"},
        {"offering_id": "o2", "utbildningsnamn": "Elteknik: Installationselektriker",
         "beskrivning": "Utbildning till elektriker", "ort": "Malmö",
         "ssyk4_codes": "7411", "ssyk4_labels": "Installations- och serviceelektriker"},
    ])
    titles = _write(tmp_path / "titles.csv", [
        {"job_title_concept_id": "t1", "job_title": "Vårdbiträde", "occupation_ids": "x",
         "occupation_labels": "Vårdbiträde", "ssyk4_codes": "5330"},
        {"job_title_concept_id": "t2", "job_title": "Elinstallatör", "occupation_ids": "y",
         "occupation_labels": "Elektriker", "ssyk4_codes": "7411|7412"},
        {"job_title_concept_id": "t3", "job_title": "Javautvecklare", "occupation_ids": "z",
         "occupation_labels": "Utvecklare", "ssyk4_codes": "2512"},
    ])
    table = reliability_table(matcher.space, matcher.ranker, offerings, titles,
                              kommun_code=matcher.kommun_code, today=TODAY)
    assert (table.n_needs, table.n_programmes, table.n_pairs, table.n_relevant) == (3, 2, 6, 2)
    assert sum(r.n for r in table.rows) == 6
    assert sum(r.n * r.observed for r in table.rows) == pytest.approx(2)
    assert 0.0 <= table.ece <= 1.0
    assert table.n_listed == sum(r.n for r in table.rows if r.low >= FLOOR)
    assert 0.0 <= table.precision_listed <= 1.0 and 0.0 <= table.recall_listed <= 1.0
    assert "expected calibration error (ECE)" in table.format()
