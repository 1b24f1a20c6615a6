import io
import json
from datetime import date

import pytest

from matching.engine.cli import code_education, code_occupation, parse_need, parse_programme, rank_programmes
from matching.engine.errors import EngineInputError
from matching.engine.text import MAX_TEXT_CHARS

TODAY = date(2026, 1, 1)
PROGRAMMES = "\n".join(json.dumps(p, ensure_ascii=False) for p in [
    {"id": "p1", "name": "Specialistundersköterska äldreomsorg", "sun_code": "723rb",
     "kommun": "Karlstad", "start": "2026-08-20", "unknown_field": 1},
    {"id": "p2", "name": "Javautvecklare", "sun_code": "481ac", "kommun": ["1780"],
     "distance": True, "start": ["2026-08-20", "2027-01-15"]},
    {"id": "p3", "name": "Lärarassistent"},
])


def test_code_occupation_yields_top_k_candidates_for_each_nonblank_line(matcher):
    lines = io.StringIO("Vi söker undersköterskor\n\n  \nSystemutvecklare Java\n")
    results = list(code_occupation(lines, matcher, top_k=3))
    assert [r["text"] for r in results] == ["Vi söker undersköterskor", "Systemutvecklare Java"]
    assert all(len(r["candidates"]) == 3 for r in results)
    assert set(results[0]["candidates"][0]) == {"ssyk4", "occupation_id", "label", "score"}
    assert results[1]["candidates"][0]["ssyk4"] == "2512"


def test_code_education_accepts_name_and_tab_separated_area(matcher):
    lines = ["Specialistundersköterska psykiatri\tHälso- och sjukvård samt socialt arbete\n",
             "Webbutvecklare\n"]
    results = list(code_education(lines, matcher, top_k=2))
    assert results[0]["candidates"][0]["sun_code"] == "723qb"
    assert set(results[1]["candidates"][0]) == {"sun_code", "label", "score"}


def test_rank_programmes_gives_each_need_ranked_results_with_reasons(matcher):
    needs = io.StringIO(
        '{"id": "n1", "title": "Vi söker 12 undersköterskor", "kommun": "Karlstad", "horizon": "1y"}\n'
        '{"id": 7, "title": "Lärarassistenter", "ssyk4": "5312", "kommun": "1780"}\n'
    )
    results = list(rank_programmes(needs, io.StringIO(PROGRAMMES), matcher, top_k=2, today=TODAY))
    assert [r["need_id"] for r in results] == ["n1", "7"]
    assert results[0]["results"][0]["programme_id"] == "p1"
    assert len(results[0]["results"]) == 2
    top = results[0]["results"][0]
    assert set(top) == {"programme_id", "kind", "score", "fit", "above_floor", "reasons"}
    assert {"same_lan", "in_time"} <= {r["code"] for r in top["reasons"]}
    assert {"code", "text", "contribution"} <= set(top["reasons"][0])
    assert results[1]["results"][0]["programme_id"] == "p3"


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "n1", "title": "Elektriker", "horizon": "soon"}', "'horizon' must be one of"),
    ('{"id": "n1"}', "'title' is required"),
    ('{"id": "n1", "title": "Elektriker", "kommun": "Atlantis"}', "unknown kommun"),
    ('{"id": "n1", "title": "Elektriker", "ssyk4": "74"}', "4-digit SSYK"),
    ('{"id": "n1", "title": "Elektriker", "purpose": "hiring"}', "'purpose' must be one of recruitment, upskilling"),
    ('{"id": "n1", "title": "Elektriker"', "invalid JSON"),
    ('["n1", "Elektriker"]', "expected a JSON object"),
])
def test_a_malformed_need_line_raises_an_error_naming_the_line(matcher, line, problem):
    needs = io.StringIO('{"id": "ok", "title": "Elektriker"}\n\n' + line + "\n")
    with pytest.raises(EngineInputError, match="needs line 3") as error:
        list(rank_programmes(needs, io.StringIO(PROGRAMMES), matcher, today=TODAY))
    assert problem in str(error.value)


def test_a_malformed_programme_line_raises_before_any_output(matcher):
    programmes = PROGRAMMES + '\n{"id": "p4", "name": "X", "start": "next year"}\n'
    results = rank_programmes(io.StringIO('{"id": "n", "title": "Elektriker"}'),
                              io.StringIO(programmes), matcher, today=TODAY)
    with pytest.raises(EngineInputError, match=r"programmes line 4: 'start' must be an ISO date"):
        next(results)


def test_empty_input_gives_no_output(matcher):
    assert list(code_occupation(io.StringIO(""), matcher)) == []
    assert list(code_education(io.StringIO("\n"), matcher)) == []
    assert list(rank_programmes(io.StringIO(""), io.StringIO(PROGRAMMES), matcher)) == []
    assert list(rank_programmes(io.StringIO('{"id": "n", "title": "Elektriker"}'),
                                io.StringIO(""), matcher)) == [{"need_id": "n", "results": []}]


def test_very_long_input_is_truncated_and_still_coded(matcher):
    text = "Undersköterska till hemtjänsten. " + "Vi erbjuder trevliga kollegor. " * 5000
    [result] = code_occupation([text], matcher, top_k=1)
    assert len(result["text"]) == MAX_TEXT_CHARS
    assert result["candidates"][0]["ssyk4"] == "5321"
    need = json.dumps({"id": "long", "title": "Undersköterska", "description": text})
    [ranked] = rank_programmes([need], io.StringIO(PROGRAMMES), matcher, today=TODAY)
    assert ranked["results"][0]["programme_id"] == "p1"


def test_need_and_programme_lines_carry_their_purpose(matcher):
    need = parse_need({"id": "n", "title": "Undersköterskor", "purpose": "upskilling"}, 1, matcher, TODAY)
    programme = parse_programme({"id": "p", "name": "Undersköterska", "purpose": "further"}, 1, matcher)
    assert (need.purpose, programme.purpose) == ("upskilling", "further")
    with pytest.raises(EngineInputError, match="programmes line 2: 'purpose' must be one of into"):
        parse_programme({"id": "p", "name": "X", "purpose": "other"}, 2, matcher)
