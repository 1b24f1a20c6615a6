"""Each reason appears only when its feature is positive for this pair and names what
produced it. The pairs start from the demo pair that showed false reasons: a need for
sjuksköterskor (SSYK 2221) against "Barnspecialiserad undersköterska"."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc
from matching.engine.features import FEATURES
from matching.engine.ranker import Ranker

TODAY = date(2026, 1, 1)
KARLSTAD, MALMO = "1780", "1280"
NURSES = NeedDoc(id="nurses", title="Sjuksköterskor till hemsjukvården", ssyk4="2221",
                 kommun=KARLSTAD, needed_by=date(2027, 1, 1), seqf=5, headcount=3,
                 purpose="recruitment")
CHILD_CARE = ProgrammeDoc(id="child-care", name="Barnspecialiserad undersköterska",
                          sun_code="723py", kommuner=(KARLSTAD,), distance=True,
                          intakes=(Intake(date(2026, 8, 20), 25),), seqf=5)


def reasons(matcher, need, programme, *, all_features_count=True):
    """The reasons of one pair; by default with every feature weighing 1, so that any feature
    that is positive for the pair would show."""
    ranker = matcher.ranker
    if all_features_count:
        ranker = Ranker(np.ones(len(FEATURES), dtype=np.float32), 0.0, ranker.base_features,
                        ranker.base_labels)
    index = replace(matcher, ranker=ranker).new_index()
    index.add(programme)
    [result] = index.rank(need, today=TODAY)
    return {r["code"]: r for r in result.reasons}


def test_the_demo_pair_names_only_what_need_and_programme_share(matcher):
    got = reasons(matcher, NURSES, replace(CHILD_CARE, ssyk4=("5323",)))
    assert not {"same_ssyk4", "same_ssyk3"} & set(got)
    assert got["same_field"]["text"] == "Samma yrkesområde: Hälso- och sjukvård"
    assert got["same_field"]["params"] == {"field": "Hälso- och sjukvård"}
    for reason in got.values():
        assert set(reason) == {"code", "text", "text_en", "params", "contribution"}
        assert reason["contribution"] > 0


def test_same_occupation_is_not_claimed_without_a_shared_group(matcher):
    assert "same_ssyk4" not in reasons(matcher, NURSES, replace(CHILD_CARE, ssyk4=("5323",)))
    shared = reasons(matcher, NURSES, replace(CHILD_CARE, ssyk4=("2221",)))["same_ssyk4"]
    assert shared["params"]["ssyk4"] == "2221"
    assert shared["text"].startswith("Utbildar för samma yrke: ")
    assert shared["text"].endswith("(SSYK 2221)")


def test_related_occupations_are_not_claimed_across_ssyk3_groups(matcher):
    assert "same_ssyk3" not in reasons(matcher, NURSES, replace(CHILD_CARE, ssyk4=("5323",)))
    care_need = replace(NURSES, title="Undersköterskor", ssyk4="5321")
    related = reasons(matcher, care_need, replace(CHILD_CARE, ssyk4=("5323",)))["same_ssyk3"]
    assert related["text"] == "Närliggande yrken: Undersköterskor (SSYK 532)"


def test_same_field_is_not_claimed_for_another_field(matcher):
    it = replace(CHILD_CARE, name="Javautvecklare", sun_code="481ac", ssyk4=("2512",))
    assert "same_field" not in reasons(matcher, NURSES, it)


def test_the_field_link_names_the_needs_own_group_or_is_absent(matcher):
    for programme in (CHILD_CARE, replace(CHILD_CARE, name="Javautvecklare", sun_code="481ac")):
        link = reasons(matcher, NURSES, programme).get("sun_link")
        assert link is None or link["params"]["ssyk4"] == "2221"
    assert "sun_link" not in reasons(matcher, NURSES, replace(CHILD_CARE, sun_code=None))


def test_place_reasons_are_absent_for_a_programme_elsewhere(matcher):
    got = reasons(matcher, NURSES, replace(CHILD_CARE, kommuner=(MALMO,), distance=False))
    assert not {"same_kommun", "same_lan", "distance"} & set(got)
    here = reasons(matcher, NURSES, CHILD_CARE)
    assert here["same_kommun"]["text"] == "Ges i samma kommun: Karlstad"
    assert here["same_lan"]["params"] == {"lan_code": "17", "lan": "Värmlands län"}
    assert here["distance"]["text_en"] == "Can be studied remotely"


def test_level_is_not_claimed_two_levels_apart_or_when_the_need_names_none(matcher):
    assert "level_fit" not in reasons(matcher, NURSES, replace(CHILD_CARE, seqf=7))
    assert "level_fit" not in reasons(matcher, replace(NURSES, seqf=None), CHILD_CARE)
    assert reasons(matcher, NURSES, CHILD_CARE)["level_fit"]["text"] == (
        "Rätt nivå: SeQF-nivå 5, som behovet anger")


def test_in_time_is_not_claimed_for_a_start_after_the_need_or_a_need_for_now(matcher):
    late = replace(CHILD_CARE, intakes=(Intake(date(2027, 8, 20), 25),))
    assert "in_time" not in reasons(matcher, NURSES, late)
    assert "in_time" not in reasons(matcher, replace(NURSES, needed_by=TODAY), CHILD_CARE)
    in_time = reasons(matcher, NURSES, CHILD_CARE)["in_time"]
    assert in_time["params"] == {"start": "2026-08-20", "needed_by": "2027-01-01"}


def test_capacity_is_not_claimed_without_known_places(matcher):
    unknown = replace(CHILD_CARE, intakes=(Intake(date(2026, 8, 20)),))
    assert "capacity" not in reasons(matcher, NURSES, unknown)
    assert reasons(matcher, NURSES, CHILD_CARE)["capacity"]["text"] == (
        "25 platser per start (behovet gäller 3 personer)")


def test_purpose_is_not_claimed_without_a_need_purpose_or_against_it(matcher):
    assert "purpose_fit" not in reasons(matcher, replace(NURSES, purpose=None), CHILD_CARE)
    further = replace(CHILD_CARE, purpose="further")
    assert "purpose_fit" not in reasons(matcher, NURSES, further)
    assert "purpose_fit" in reasons(matcher, replace(NURSES, purpose="upskilling"), further)


def test_shared_words_are_whole_words_never_stems_or_compound_parts(matcher):
    it = replace(CHILD_CARE, name="Javautvecklare", sun_code="481ac")
    assert "lexical" not in reasons(matcher, NURSES, it)
    need = replace(NURSES, title="Undersköterskor inom hälso- och sjukvård")
    programme = replace(CHILD_CARE, description="Utbildning inom hälso- och sjukvård")
    lexical = reasons(matcher, need, programme)["lexical"]
    assert "hälso" not in lexical["params"]["words"]
    assert "sjukvård" in lexical["params"]["words"]


def test_similar_meaning_is_not_claimed_for_a_weak_similarity_and_shows_no_number(matcher):
    it = replace(CHILD_CARE, name="Javautvecklare", sun_code="481ac")
    assert "dense" not in reasons(matcher, NURSES, it)
    close = reasons(matcher, NURSES, replace(CHILD_CARE, name="Sjuksköterska hemsjukvård"))
    assert close["dense"]["text"] == (
        "Liknande innebörd: ”Sjuksköterskor till hemsjukvården” och ”Sjuksköterska hemsjukvård”")


@pytest.mark.parametrize("code", ["same_ssyk4", "same_ssyk3", "same_field", "sun_link"])
def test_occupation_reasons_only_name_groups_of_the_need(matcher, code):
    programmes = [CHILD_CARE, replace(CHILD_CARE, sun_code="723rb"),
                  replace(CHILD_CARE, name="Javautvecklare", sun_code="481ac"),
                  replace(CHILD_CARE, name="Elektriker", sun_code="522ab")]
    for programme in programmes:
        reason = reasons(matcher, NURSES, programme).get(code)
        if reason is None:
            continue
        named = reason["params"].get("ssyk4") or reason["params"].get("ssyk3")
        if named:
            assert "2221".startswith(named)
        else:
            assert reason["params"]["field"] == "Hälso- och sjukvård"
