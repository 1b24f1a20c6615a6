from dataclasses import replace
from datetime import date

import numpy as np

from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc
from matching.engine.features import FEATURES
from matching.engine.model import Feedback
from matching.engine.ranker import Ranker

TODAY = date(2026, 1, 1)
KARLSTAD, MALMO = "1780", "1280"


def programme(id_, name, *, sun=None, kommun=KARLSTAD, distance=False, start=date(2026, 8, 20),
              ssyk4=()):
    return ProgrammeDoc(id=id_, name=name, sun_code=sun, kommuner=(kommun,), distance=distance,
                        intakes=(Intake(start, 30),), seqf=5, ssyk4=ssyk4)


CARE_HERE = programme("care-here", "Specialistundersköterska äldreomsorg", sun="723rb")
CARE_FAR = programme("care-far", "Specialistundersköterska äldreomsorg", sun="723rb", kommun=MALMO)
CARE_DISTANCE = programme("care-distance", "Specialistundersköterska äldreomsorg", sun="723rb",
                          kommun=MALMO, distance=True)
JAVA_HERE = programme("java-here", "Javautvecklare", sun="481ac")
NEED = NeedDoc(id="n1", title="Vi söker 12 undersköterskor till hemtjänsten", kommun=KARLSTAD,
               needed_by=date(2027, 1, 1), headcount=12)


def ranked_ids(index, need=NEED):
    return [r.programme.id for r in index.rank(need, today=TODAY)]


def index_of(matcher, *programmes):
    index = matcher.new_index()
    index.add_many(programmes)
    return index


def test_ranking_puts_the_same_occupation_in_the_same_lan_first(matcher):
    ids = ranked_ids(index_of(matcher, JAVA_HERE, CARE_FAR, CARE_HERE))
    assert ids[0] == "care-here"
    assert ids.index("care-far") < ids.index("java-here")


def test_scores_are_probabilities_in_descending_order(matcher):
    results = index_of(matcher, JAVA_HERE, CARE_FAR, CARE_HERE).rank(NEED, today=TODAY)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s < 1.0 for s in scores)


def test_reasons_are_exactly_the_features_that_raised_the_score(matcher):
    index = index_of(matcher, CARE_HERE, JAVA_HERE, CARE_DISTANCE)
    space, ranker = matcher.space, matcher.ranker
    query = space.need_queries([NEED], today=TODAY)[0]
    for result in index.rank(NEED, today=TODAY):
        row = space.features(space.programme_block([result.programme]), query)[0]
        positive = {FEATURES[i] for i in np.flatnonzero(ranker.contributions(row) > 0)}
        assert {r["code"] for r in result.reasons} == positive
        assert all(r["text"] for r in result.reasons)


def test_every_feature_has_a_swedish_reason_naming_what_was_shared(matcher):
    every_feature_counts = Ranker(np.ones(len(FEATURES), dtype=np.float32), 0.0,
                                  matcher.ranker.base_features, matcher.ranker.base_labels)
    need = NeedDoc(id="n2", title="Undersköterskor", ssyk4="5321", kommun=KARLSTAD,
                   needed_by=date(2027, 1, 1), seqf=5, headcount=12)
    care = replace(CARE_HERE, ssyk4=("5321",), distance=True)
    [result] = index_of(replace(matcher, ranker=every_feature_counts), care).rank(need, today=TODAY)
    texts = {r["code"]: r["text"] for r in result.reasons}
    assert set(texts) == set(FEATURES)
    assert texts["same_ssyk4"].startswith("Samma yrkesgrupp 5321 Undersköterskor, hemtjänst")
    assert texts["same_ssyk3"] == "Närliggande yrken: 532 Undersköterskor"
    assert texts["same_field"] == "Samma yrkesområde: Hälso- och sjukvård"
    assert texts["sun_link"].startswith("Utbildningsinriktningen 723rb")
    assert texts["same_kommun"] == "Ges i samma kommun: Karlstad"
    assert texts["same_lan"] == "Ges i samma län: Värmlands län"
    assert texts["distance"] == "Går att läsa på distans"
    assert texts["level_fit"] == "Nivån passar: SeQF 5 (behovet anger SeQF 5)"
    assert texts["in_time"].startswith("Startar i tid: 2026-08-20")
    assert texts["capacity"] == "Platser per start: 30 (behovet gäller 12)"
    assert texts["lexical"].startswith("Gemensamma ord") or texts["lexical"] == "Liknande ordalydelse"


def test_need_and_programme_with_only_required_fields_are_ranked(matcher):
    bare = ProgrammeDoc(id="bare", name="Specialistundersköterska")
    results = index_of(matcher, bare).rank(NeedDoc(id="n", title="undersköterska"), today=TODAY)
    assert [r.programme.id for r in results] == ["bare"]
    assert {r["code"] for r in results[0].reasons} <= set(FEATURES)
    assert not {"same_kommun", "same_lan", "in_time", "level_fit"} & {
        r["code"] for r in results[0].reasons
    }


def test_feedback_refit_changes_the_ranking(matcher):
    before = ranked_ids(index_of(matcher, CARE_HERE, CARE_DISTANCE))
    preferred, rejected = before[1], before[0]
    docs = {"care-here": CARE_HERE, "care-distance": CARE_DISTANCE}
    feedback = [Feedback(NEED, docs[preferred], True), Feedback(NEED, docs[rejected], False)]
    refitted = matcher.refit_from_feedback(feedback * 3, today=TODAY)
    after = ranked_ids(index_of(refitted, CARE_HERE, CARE_DISTANCE))
    assert after == [preferred, rejected]
    assert matcher.ranker.weights_by_feature() != refitted.ranker.weights_by_feature()


def test_rank_needs_orders_needs_for_a_programme(matcher):
    care_need = NeedDoc(id="care", title="Undersköterskor till äldreboende", kommun=KARLSTAD)
    it_need = NeedDoc(id="it", title="Systemutvecklare Java", kommun=KARLSTAD)
    ranked = matcher.rank_needs(CARE_HERE, [it_need, care_need], today=TODAY)
    assert [need.id for need, _, _ in ranked] == ["care", "it"]
    assert ranked[0][2]
