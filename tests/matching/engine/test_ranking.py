from dataclasses import replace
from datetime import date

import numpy as np

from matching.engine.documents import Intake, NeedDoc, ProgrammeDoc
from matching.engine.features import CODING_DESCRIPTION_CHARS, FEATURES, coding_text
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


def test_reasons_are_the_features_that_raised_the_score_and_can_name_why(matcher):
    index = index_of(matcher, CARE_HERE, JAVA_HERE, CARE_DISTANCE)
    space, ranker = matcher.space, matcher.ranker
    query = space.need_queries([NEED], today=TODAY)[0]
    for result in index.rank(NEED, today=TODAY):
        row = space.features(space.programme_block([result.programme]), query)[0]
        positive = {FEATURES[i] for i in np.flatnonzero(ranker.contributions(row) > 0)}
        shown = {r["code"] for r in result.reasons}
        assert shown <= positive
        left_open = {"level_fit", "purpose_fit"}  # NEED names no level and no purpose
        assert positive - shown <= {"lexical", "dense"} | left_open
        assert all(r["text"] and r["text_en"] for r in result.reasons)


def test_every_feature_has_a_plain_reason_naming_what_was_shared(matcher):
    every_feature_counts = Ranker(np.ones(len(FEATURES), dtype=np.float32), 0.0,
                                  matcher.ranker.base_features, matcher.ranker.base_labels)
    need = NeedDoc(id="n2", title="Specialistundersköterska äldreomsorg", ssyk4="5321",
                   kommun=KARLSTAD, needed_by=date(2027, 1, 1), seqf=5, headcount=12,
                   purpose="upskilling")
    care = replace(CARE_HERE, ssyk4=("5321",), distance=True)
    [result] = index_of(replace(matcher, ranker=every_feature_counts), care).rank(need, today=TODAY)
    texts = {r["code"]: r["text"] for r in result.reasons}
    assert set(texts) == set(FEATURES)
    group = "Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering (SSYK 5321)"
    assert texts["same_ssyk4"] == f"Utbildar för samma yrke: {group}"
    assert texts["same_ssyk3"] == "Närliggande yrken: Undersköterskor (SSYK 532)"
    assert texts["same_field"] == "Samma yrkesområde: Hälso- och sjukvård"
    assert texts["sun_link"] == ("Inriktningen Vidareutbildningar för undersköterskor – äldreomsorg "
                                 f"(SUN 723rb) leder till yrket {group}")
    assert texts["same_kommun"] == "Ges i samma kommun: Karlstad"
    assert texts["same_lan"] == "Ges i samma län: Värmlands län"
    assert texts["distance"] == "Går att läsa på distans"
    assert texts["level_fit"] == "Rätt nivå: SeQF-nivå 5, som behovet anger"
    assert texts["in_time"] == "Startar i tid: 2026-08-20, före 2027-01-01 då behovet ska vara mött"
    assert texts["capacity"] == "30 platser per start (behovet gäller 12 personer)"
    assert texts["lexical"] == "Samma ord i behovet och utbildningen: specialistundersköterska, äldreomsorg"
    assert texts["dense"].startswith("Liknande innebörd: ”Specialistundersköterska äldreomsorg”")
    assert texts["purpose_fit"] == ("Vidareutbildar dem som redan arbetar i yrket, som behovet av "
                                    "kompetensutveckling kräver")


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


def test_a_programme_in_the_needs_kommun_outranks_one_elsewhere_in_the_lan(matcher):
    kil = "1715"  # Värmland, like Karlstad
    in_lan = replace(CARE_HERE, id="care-kil", kommuner=(kil,))
    ranked = index_of(matcher, in_lan, CARE_HERE).rank(NEED, today=TODAY)
    assert [r.programme.id for r in ranked] == ["care-here", "care-kil"]
    assert ranked[0].score > ranked[1].score


INTO = programme("into", "Undersköterska", sun="723py")
FURTHER = replace(INTO, id="further", purpose="further")
INTO = replace(INTO, purpose="into")


def test_a_recruitment_need_ranks_training_into_the_occupation_above_further_education(matcher):
    need = replace(NEED, purpose="recruitment")
    assert ranked_ids(index_of(matcher, FURTHER, INTO), need) == ["into", "further"]


def test_an_upskilling_need_ranks_further_education_above_training_into_the_occupation(matcher):
    need = replace(NEED, purpose="upskilling")
    assert ranked_ids(index_of(matcher, INTO, FURTHER), need) == ["further", "into"]


def test_a_validation_path_fits_both_purposes_and_says_what_it_gives(matcher):
    path = replace(INTO, id="path", kind="validation", purpose=None)
    for purpose in ("recruitment", "upskilling"):
        [result] = index_of(matcher, path).rank(replace(NEED, purpose=purpose), today=TODAY)
        reason = next(r for r in result.reasons if r["code"] == "purpose_fit")
        assert reason["text"] == "Validering: ger intyg på kunnande som personerna redan har"
        assert reason["params"]["programme_purpose"] == "both"


def test_programme_purpose_is_read_from_the_sun_label_and_the_name(matcher):
    assert matcher.space.purpose_of(CARE_HERE) == "further"  # 723rb Vidareutbildningar för …
    assert matcher.space.purpose_of(JAVA_HERE) is None
    assert matcher.space.purpose_of(replace(JAVA_HERE, purpose="into")) == "into"


def test_a_programme_without_codes_is_coded_from_the_opening_of_its_description_too(matcher):
    vague = ProgrammeDoc(id="vague", name="Yrkespaket grund")
    described = replace(vague, id="described",
                        description="Målet är att bli anställningsbar som undersköterska i hemtjänsten.")
    need = NeedDoc(id="n2", title="Undersköterskor", ssyk4="5321")
    space = matcher.space
    query = space.need_queries([need], today=TODAY)[0]
    same_ssyk4 = space.features(space.programme_block([vague, described]), query)[:, FEATURES.index("same_ssyk4")]
    assert same_ssyk4[1] > same_ssyk4[0]
    assert [r.programme.id for r in index_of(matcher, vague, described).rank(need, today=TODAY)][0] == "described"


def test_only_the_opening_of_a_long_description_is_coded():
    long = ProgrammeDoc(id="p", name="Golvläggare", description="Om yrket. " + "x" * 2000)
    assert coding_text(long) == "Golvläggare. Om yrket. " + "x" * (CODING_DESCRIPTION_CHARS - len("Om yrket. "))
    assert coding_text(ProgrammeDoc(id="p", name="Golvläggare")) == "Golvläggare"
