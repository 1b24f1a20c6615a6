from dataclasses import replace
from datetime import date

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
