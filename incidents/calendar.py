"""ICS (RFC 5545) rendering of reporting deadlines, so they appear in the team's calendars."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from nis2.clock import UTC


@dataclass(frozen=True)
class Deadline:
    uid: str
    summary: str
    due_at: datetime.datetime
    description: str
    url: str


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, and every line
    break (CRLF, a bare LF or a bare CR) written ``\\n``; a raw CR would end the content line."""
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545, 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for character in line:
        piece = character.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_calendar(name: str, deadlines: Iterable[Deadline], *, now: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rempart//NIS 2 reporting deadlines//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for deadline in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{deadline.uid}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(deadline.due_at)}",
            f"DTEND:{_stamp(deadline.due_at)}",
            f"SUMMARY:{_escape(deadline.summary)}",
            f"DESCRIPTION:{_escape(deadline.description)}",
            f"URL:{deadline.url}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT2H",
            f"DESCRIPTION:{_escape(deadline.summary)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
