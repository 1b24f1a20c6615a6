"""The command-line contracts of docs/matching.md, on files, with an empty database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def _run(name, *args, stdin: str = "", monkeypatch) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def shipped(matcher, monkeypatch):
    from matching import runtime

    runtime.use_matcher(matcher)
    yield matcher
    runtime.use_matcher(None)


def test_code_occupation_answers_each_line_in_order_with_at_most_k_groups(shipped, monkeypatch):
    lines = _run("code_occupation", "--top", "3", monkeypatch=monkeypatch,
                 stdin="Vi söker 12 undersköterskor till hemtjänsten\n\nlärare i svenska som andraspråk\n")
    assert [line["text"] for line in lines] == ["Vi söker 12 undersköterskor till hemtjänsten",
                                                "lärare i svenska som andraspråk"]
    first = lines[0]["candidates"]
    assert len(first) <= 3 and len({c["ssyk4"] for c in first}) == len(first)
    assert first[0]["ssyk4"] == "5321" and set(first[0]) == {"ssyk4", "occupation_id", "label", "score"}
    assert [c["score"] for c in first] == sorted((c["score"] for c in first), reverse=True)


def test_code_education_reads_an_area_after_a_tab(shipped, monkeypatch):
    lines = _run("code_education", "--top", "2", monkeypatch=monkeypatch,
                 stdin="Undersköterska inom äldreomsorg\tHälso- och sjukvård samt socialt arbete\n")
    assert lines[0]["text"] == "Undersköterska inom äldreomsorg\tHälso- och sjukvård samt socialt arbete"
    assert len(lines[0]["candidates"]) == 2 and lines[0]["candidates"][0]["sun_code"].startswith("72")


def test_rank_programmes_ranks_files_with_reasons(shipped, monkeypatch, tmp_path):
    needs = tmp_path / "needs.jsonl"
    needs.write_text(json.dumps({"id": "n1", "title": "Undersköterskor", "kommun": "Karlstad", "horizon": "1y",
                                 "unknown": "ignored"}) + "\n", encoding="utf-8")
    programmes = tmp_path / "programmes.jsonl"
    programmes.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in [
        {"id": "a", "name": "Undersköterska", "kommun": "1780", "start": "2027-08-30"},
        {"id": "b", "name": "Mjukvaruutvecklare", "distance": True},
    ]) + "\n", encoding="utf-8")
    lines = _run("rank_programmes", "--needs", str(needs), "--programmes", str(programmes), monkeypatch=monkeypatch)
    assert lines[0]["need_id"] == "n1"
    assert [r["programme_id"] for r in lines[0]["results"]] == ["a", "b"]
    assert all({"code", "text"} <= set(reason) for reason in lines[0]["results"][0]["reasons"])


def test_a_malformed_line_is_named_and_exits_2(shipped, monkeypatch, tmp_path):
    needs = tmp_path / "needs.jsonl"
    needs.write_text('{"id": "n1", "title": "Kock"}\n{not json\n', encoding="utf-8")
    programmes = tmp_path / "programmes.jsonl"
    programmes.write_text('{"id": "a", "name": "Kock"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="needs line 2") as error:
        _run("rank_programmes", "--needs", str(needs), "--programmes", str(programmes), monkeypatch=monkeypatch)
    assert error.value.returncode == 2


def test_empty_input_gives_empty_output(shipped, monkeypatch):
    assert _run("code_occupation", monkeypatch=monkeypatch, stdin="") == []
