from dataclasses import replace
from datetime import date

import numpy as np

from matching.engine.documents import NeedDoc, ProgrammeDoc

from .test_ranking import CARE_FAR, CARE_HERE, JAVA_HERE, NEED, TODAY, ranked_ids


def test_index_add_update_and_remove_keep_rankings_fresh(matcher):
    index = matcher.new_index()
    index.add(CARE_HERE)
    index.add(JAVA_HERE)
    assert len(index) == 2 and ranked_ids(index)[0] == "care-here"

    index.update(replace(CARE_HERE, name="Javautvecklare", sun_code="481ac"))
    index.update(replace(JAVA_HERE, name="Specialistundersköterska äldreomsorg", sun_code="723rb"))
    assert len(index) == 2
    assert ranked_ids(index)[0] == "java-here"
    top = index.rank(NEED, today=TODAY)[0]
    assert top.programme.name == "Specialistundersköterska äldreomsorg"

    assert index.remove("java-here") is True
    assert index.remove("java-here") is False
    assert "java-here" not in index
    assert ranked_ids(index) == ["care-here"]


def test_index_after_compaction_ranks_like_a_freshly_built_index(matcher):
    fillers = [ProgrammeDoc(id=f"f{i}", name=f"Kurs {i} i ekonomi") for i in range(300)]
    index = matcher.new_index()
    index.add_many(fillers)
    index.add(CARE_FAR)
    index.add(CARE_HERE)
    for filler in fillers[:200]:
        index.remove(filler.id)
    fresh = matcher.new_index()
    fresh.add_many(fillers[200:] + [CARE_FAR, CARE_HERE])
    assert len(index) == len(fresh) == 102
    got = [(round(r.score, 5), r.programme.id) for r in index.rank(NEED, today=TODAY)]
    want = [(round(r.score, 5), r.programme.id) for r in fresh.rank(NEED, today=TODAY)]
    assert got[:2] == want[:2]
    # Below the two care programmes, fillers tie to 5 decimals and may come in any order.
    assert [score for score, _ in got] == [score for score, _ in want]


def test_ranking_an_empty_index_returns_nothing(matcher):
    assert matcher.new_index().rank(NeedDoc(id="n", title="Elektriker"), today=date(2026, 1, 1)) == []


CARE_NEEDS = [
    NeedDoc(id=f"care-{i}", title="Undersköterskor till äldreboende", kommun="1780",
            purpose="upskilling")
    for i in range(5)
]
OTHER_NEEDS = [NeedDoc(id="it", title="Systemutvecklare Java", kommun="1780"),
               NeedDoc(id="electrician", title="Elektriker", kommun="1280")]


def need_index(matcher):
    index = matcher.new_need_index()
    index.add_many(CARE_NEEDS + OTHER_NEEDS)
    return index


def test_the_need_index_scores_every_need_as_ranking_programmes_for_it_would(matcher):
    page = need_index(matcher).rank(CARE_HERE, limit=7, today=TODAY)
    space, ranker = matcher.space, matcher.ranker
    block = space.programme_block([CARE_HERE])
    for result in page.results:
        query = space.need_queries([result.need], today=TODAY)[0]
        expected = float(ranker.score(space.features(block, query))[0])
        assert abs(result.score - expected) < 1e-5
    assert [r.need.id for r in page.results][:5] == [n.id for n in CARE_NEEDS]
    assert page.results[0].reasons


def test_the_need_index_ranks_only_the_candidates_a_viewer_may_see(matcher):
    index = need_index(matcher)
    page = index.rank(CARE_HERE, candidates={"care-3", "it", "unknown"}, today=TODAY)
    assert [r.need.id for r in page.results] == ["care-3", "it"]
    assert page.total == 2
    mask = np.asarray([i == "electrician" for i in index.ids()])
    assert [r.need.id for r in index.rank(CARE_HERE, candidates=mask, today=TODAY).results] == [
        "electrician"]
    assert index.rank(CARE_HERE, candidates=set(), today=TODAY).results == []


def test_the_need_index_pages_through_the_ranking(matcher):
    index = need_index(matcher)
    everything = [r.need.id for r in index.rank(CARE_HERE, limit=10, today=TODAY).results]
    pages = [index.rank(CARE_HERE, offset=offset, limit=3, today=TODAY) for offset in (0, 3, 6)]
    assert [r.need.id for p in pages for r in p.results] == everything
    assert [len(p.results) for p in pages] == [3, 3, 1]
    assert all(p.total == 7 for p in pages)


def test_the_need_index_forgets_removed_needs_and_counts_those_above_the_floor(matcher):
    index = need_index(matcher)
    index.remove("care-0")
    index.update(replace(CARE_NEEDS[1], title="Elektriker", purpose=None))
    page = index.rank(CARE_HERE, limit=10, today=TODAY)
    ids = [r.need.id for r in page.results]
    assert "care-0" not in ids and page.total == 6
    assert ids.index("care-2") < ids.index("care-1")
    assert page.above_floor == sum(r.above_floor for r in page.results)
