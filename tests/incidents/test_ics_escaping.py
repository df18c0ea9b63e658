"""TEXT values in the deadline calendar are escaped as RFC 5545, 3.3.11 says: a backslash, a semicolon
and a comma are escaped, and every line break (CRLF, LF or a bare CR) becomes ``\\n``, so that no value
ends its content line early."""

import datetime

import pytest

from incidents.calendar import Deadline, render_calendar
from nis2.clock import UTC

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def summary_line(summary: str) -> str:
    deadline = Deadline(
        uid="incident-1-early_warning@rempart",
        summary=summary,
        due_at=datetime.datetime(2026, 3, 3, 8, 0, tzinfo=UTC),
        description="",
        url="https://rempart.example/incidents/1/",
    )
    lines = render_calendar("Échéances", [deadline], now=NOW).split("\r\n")
    return next(line for line in lines if line.startswith("SUMMARY:"))


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        pytest.param("Alerte précoce", "SUMMARY:Alerte précoce", id="plain"),
        pytest.param("C:\\partage", "SUMMARY:C:\\\\partage", id="backslash"),
        pytest.param("Mairie; école", "SUMMARY:Mairie\\; école", id="semicolon"),
        pytest.param("Mairie, école", "SUMMARY:Mairie\\, école", id="comma"),
        pytest.param("ligne 1\nligne 2", "SUMMARY:ligne 1\\nligne 2", id="line feed"),
        pytest.param("ligne 1\r\nligne 2", "SUMMARY:ligne 1\\nligne 2", id="carriage return and line feed"),
        pytest.param("ligne 1\rligne 2", "SUMMARY:ligne 1\\nligne 2", id="bare carriage return"),
        pytest.param("a\r\rb", "SUMMARY:a\\n\\nb", id="two bare carriage returns"),
        pytest.param("a\n\r\nb", "SUMMARY:a\\n\\nb", id="line feed then CRLF"),
        pytest.param("\\;,\r", "SUMMARY:\\\\\\;\\,\\n", id="everything at once"),
    ],
)
def test_text_values_are_escaped(summary: str, expected: str) -> None:
    assert summary_line(summary) == expected


def test_no_carriage_return_is_left_inside_a_content_line() -> None:
    deadline = Deadline(
        uid="incident-1-early_warning@rempart",
        summary="Titre\rinjecté",
        due_at=datetime.datetime(2026, 3, 3, 8, 0, tzinfo=UTC),
        description="Description\rDTSTART:19700101T000000Z",
        url="https://rempart.example/incidents/1/",
    )

    calendar = render_calendar("Échéances\r", [deadline], now=NOW)

    assert "\r" not in calendar.replace("\r\n", "")
    assert "DESCRIPTION:Description\\nDTSTART:19700101T000000Z" in calendar.split("\r\n")
