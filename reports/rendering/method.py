"""The annexes of a report's PDF that explain and extend it: the year at a glance (annual report), the method
with its sources, and the draft délibération (annual report)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, PageBreak

from nis2.pdf import text
from reports import labels
from reports.deliberation import deliberation_lines
from reports.rendering.common import columns, localised, percent, table
from reports.snapshot_types import IncidentRow, Maturity, QuarterOfTheYear, RequirementLevel, Snapshot

# A figure from outside Rempart's data, with its source (printed in the method annex, never compared with the
# organisation's own figures: another population and another measure).
CAUSE_NOT_FOUND_SHARE_2024 = 45
# The style of each kind of line of the draft délibération.
DELIBERATION_STYLES = {"title": "h1", "heading": "h2", "body": "body", "article": "body", "note": "small"}


def sources() -> list[str]:
    return [
        _(
            "Cybermalveillance.gouv.fr and OpinionWay, third barometer of local authorities' cyber maturity (November "
            "2024): "
            "%(share)s %% of the attacked authorities of fewer than 25,000 inhabitants did not learn the cause of "
            "the attack. A different population and measure from this report's share of closed incidents with a "
            "known cause: given for context, not compared."
        )
        % {"share": CAUSE_NOT_FOUND_SHARE_2024}
    ]


def _method_sentences() -> tuple[str, ...]:
    return (
        _(
            "The security level is rated per requirement from 0 (not performed) to 5 (optimising); a requirement "
            "not rated counts as 0; scores are weighted means over the applicable requirements."
        ),
        _(
            "The dependency score is D = 100 × C × E × L / 64, with criticality C (1–4), exposure to non-European "
            "decisions E (0–4: E0 not exposed to E4 fully exposed) and lock-in L (1–4); classes 1 to 5."
        ),
        _(
            "Reporting deadlines follow Directive (EU) 2022/2555, Article 23(4): early warning within 24 hours, "
            "notification within 72 hours, final report one month later."
        ),
        _(
            "Directive (EU) 2022/2555, Article 20: the management body approves the cybersecurity risk-management "
            "measures, oversees their implementation and follows training."
        ),
        _("All figures describe the state at the end of the period, read from the change history."),
    )


def _requirement_level(requirement: RequirementLevel) -> str:
    if not requirement["applicable"]:
        return _("N/A")
    level = str(requirement["level"]) if requirement["level"] is not None else "—"
    if requirement.get("alternative"):
        return _("%(level)s (alternative measure)") % {"level": level}
    return level


def _requirements(maturity: Maturity, language: str) -> list[Flowable]:
    rows = [[_("Requirement"), _("Level"), _("Target")]]
    rows += [
        [
            f"{req['ref']} {localised(req['title'], language) or req['title']['fr']}",
            _requirement_level(req),
            str(req["target"]),
        ]
        for req in maturity["requirements"]
    ]
    return [text(_("Requirements and their level"), "h2"), table(rows, columns(0.68, 0.2, 0.12))]


def method_annex(snapshot: Snapshot) -> list[Flowable]:
    story: list[Flowable] = [text(_("Annex 5 — Method and sources"), "h1")]
    story += [text("• " + sentence, "small") for sentence in _method_sentences()]
    basis = snapshot["meta"].get("legal_basis")
    if basis:
        story.append(text("• " + basis["explanation"], "small"))
    story.append(text(_("Sources of figures from outside Rempart"), "h2"))
    story += [text("• " + source, "small") for source in sources()]
    maturity = snapshot["maturity"]
    if maturity:
        story += _requirements(maturity, snapshot["meta"]["language"])
    return story


def _quarter_row(row: QuarterOfTheYear) -> list[Any]:
    return [
        row["quarter"],
        percent(row["maturity_percent"], unknown=_("not assessed")),
        f"{row['incidents']} ({row['significant']})",
        percent(row["exposed_spend_share"]),
        str(row["overdue_actions"]),
    ]


def _causes(rows: list[IncidentRow]) -> Flowable:
    """The year's incidents counted by root cause."""
    causes: dict[str, int] = {}
    for row in rows:
        label = labels.root_cause(row["root_cause"])
        causes[label] = causes.get(label, 0) + 1
    if not causes:
        return text(_("No incident was recorded this year."))
    return table(
        [[_("Root cause"), _("Incidents")], *[[label, str(count)] for label, count in sorted(causes.items())]],
        columns(0.7, 0.3),
    )


def year_annex(snapshot: Snapshot) -> list[Flowable]:
    """The annual report's year at a glance: the four quarters, the causes of the incidents, the approvals."""
    quarters = snapshot.get("year_by_quarter")
    if not quarters:
        return []
    rows: list[list[Any]] = [
        [
            _("Quarter"),
            _("Security level (share of its target)"),
            _("Incidents (reported)"),
            _("Spend exposed"),
            _("Overdue actions"),
        ]
    ]
    rows += [_quarter_row(row) for row in quarters]
    return [
        text(_("The year at a glance"), "h1"),
        table(rows, columns(0.16, 0.24, 0.2, 0.2, 0.2)),
        text(_("Causes of the year's incidents"), "h2"),
        _causes(snapshot["incidents"]["rows"]),
        PageBreak(),
    ]


def deliberation_annex(snapshot: Snapshot) -> list[Flowable]:
    """The draft délibération (in French: an act of a French assembly), also delivered as an OpenDocument text."""
    if snapshot["meta"].get("kind") != "annual":
        return []
    story: list[Flowable] = [
        PageBreak(),
        text(_("Annex 6 — Draft deliberation (in French, the language of the assembly's acts)"), "h1"),
    ]
    story += [text(line.text, DELIBERATION_STYLES[line.style]) for line in deliberation_lines(snapshot)]
    return story
