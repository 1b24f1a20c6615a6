"""A calendar file (iCalendar, RFC 5545) for a session: one VEVENT in a VCALENDAR.

Written by hand because it is small: text values are escaped (backslash, semicolon, comma and
newlines, section 3.3.11), times are UTC (``...Z``, 3.3.5), lines end in CRLF and are folded at
75 octets without splitting a UTF-8 character (3.1). Pure functions, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//Matchplats//Branscharenor//SV"
MAX_LINE_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    stamp: dt.datetime
    location: str = ""
    url: str = ""
    description: str = ""
    sequence: int = 0


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form (``20261130T150000Z``); a naive time is refused."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, continuation lines starting with a
    space, joined by CRLF; a multi-byte character is never split."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def ics_document(events: list[CalendarEvent]) -> bytes:
    """The VCALENDAR with one VEVENT per event, as UTF-8 bytes with CRLF line endings."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{escape_text(event.uid)}", f"DTSTAMP:{utc(event.stamp)}",
                  f"DTSTART:{utc(event.starts_at)}", f"DTEND:{utc(event.ends_at)}",
                  f"SEQUENCE:{event.sequence}", f"SUMMARY:{escape_text(event.summary)}"]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
