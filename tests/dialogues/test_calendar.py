"""The calendar file (RFC 5545), parsed back with a small reader written from the RFC: lines end in
CRLF, no line is longer than 75 octets, folded lines unfold to the original, text is escaped."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest

from dialogues.calendar import CalendarEvent, escape_text, fold, ics_document

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a bare LF"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def properties(lines: list[str]) -> dict[str, str]:
    start, end = lines.index("BEGIN:VEVENT"), lines.index("END:VEVENT")
    return dict(line.split(":", 1) for line in lines[start + 1:end])


def event(**overrides) -> CalendarEvent:
    values = {"uid": "session-7-abc@matchplats", "summary": "Branschråd vård, omsorg; höst",
              "starts_at": dt.datetime(2026, 12, 10, 13, 0, tzinfo=STOCKHOLM),
              "ends_at": dt.datetime(2026, 12, 10, 15, 30, tzinfo=STOCKHOLM),
              "stamp": dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC),
              "location": "Karlstads bibliotek, Västra Torggatan 26", "url": "https://example.se/arenor/moten/7/",
              "description": "Rad ett\nRad två med \\ och ;"}
    return CalendarEvent(**(values | overrides))


def test_the_file_has_one_vevent_with_every_field_in_utc_and_escaped():
    lines = unfold(ics_document([event()]))
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    props = properties(lines)
    assert props["UID"] == "session-7-abc@matchplats"
    assert props["DTSTAMP"] == "20261130T080000Z"
    assert props["DTSTART"] == "20261210T120000Z"  # 13:00 in Stockholm in winter is 12:00 UTC
    assert props["DTEND"] == "20261210T143000Z"
    assert props["SUMMARY"] == "Branschråd vård\\, omsorg\\; höst"
    assert unescape(props["SUMMARY"]) == "Branschråd vård, omsorg; höst"
    assert unescape(props["LOCATION"]) == "Karlstads bibliotek, Västra Torggatan 26"
    assert props["URL"] == "https://example.se/arenor/moten/7/"
    assert props["DESCRIPTION"] == "Rad ett\\nRad två med \\\\ och \\;"
    assert unescape(props["DESCRIPTION"]) == "Rad ett\nRad två med \\ och ;"
    assert "PRODID" in dict(line.split(":", 1) for line in lines[:5])


def test_summer_time_is_converted_to_utc_too():
    props = properties(unfold(ics_document([event(starts_at=dt.datetime(2027, 6, 1, 9, 0, tzinfo=STOCKHOLM),
                                                  ends_at=dt.datetime(2027, 6, 1, 10, 0, tzinfo=STOCKHOLM))])))
    assert (props["DTSTART"], props["DTEND"]) == ("20270601T070000Z", "20270601T080000Z")


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character_and_unfold_to_the_original():
    summary = "Kompetensförsörjning i äldreomsorgen – " * 6
    data = ics_document([event(summary=summary)])
    physical = data.decode("utf-8").split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    continuation = [line for line in physical if line.startswith(" ")]
    assert len(continuation) >= 3
    assert unescape(properties(unfold(data))["SUMMARY"]) == summary


def test_folding_counts_octets_not_characters():
    line = "SUMMARY:" + "ö" * 60  # 8 + 120 octets
    pieces = fold(line).split("\r\n")
    assert [len(p.encode("utf-8")) for p in pieces] == [74, 55]
    assert pieces[1].startswith(" ")
    assert "".join([pieces[0]] + [p[1:] for p in pieces[1:]]) == line


def test_a_short_line_is_not_folded():
    assert fold("UID:kort") == "UID:kort"


def test_text_escaping_covers_backslash_semicolon_comma_and_every_line_break():
    assert escape_text("a\\b;c,d\r\ne\rf\ng") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        ics_document([event(starts_at=dt.datetime(2026, 12, 10, 13, 0))])


def test_empty_location_and_url_are_left_out():
    props = properties(unfold(ics_document([event(location="", url="", description="")])))
    assert "LOCATION" not in props and "URL" not in props and "DESCRIPTION" not in props
