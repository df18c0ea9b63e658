"""Page 1 of a report's PDF: what an executive reads in one minute (``reports.verdicts``), and the approvals of
the management body in force (NIS 2 Art. 20)."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from nis2.pdf import FONT_BOLD, RULE, text
from reports import labels, verdicts
from reports.rendering.common import WIDTH, day, period_label
from reports.snapshot_types import Governance, Meta, Snapshot
from reports.verdicts import STATUS_LABELS, Decision, Status, Verdict, trend_label

STATUS_COLOURS = {
    Status.ON_TRACK: colors.HexColor("#18753C"),
    Status.WATCH: colors.HexColor("#B34000"),
    Status.ACT: colors.HexColor("#CE0500"),
    Status.UNKNOWN: colors.HexColor("#666666"),
}


class StatusMark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints: Flowable is Any
    """A status as a drawn shape and its words: the meaning never rests on the colour alone (and the shapes
    need no glyph the embedded font may lack)."""

    def __init__(self, status: Status, width: float = 34 * mm) -> None:
        super().__init__()
        self.status, self.width, self.height = status, width, 14

    def draw(self) -> None:
        canvas, colour = self.canv, STATUS_COLOURS[self.status]
        canvas.saveState()
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        canvas.setLineWidth(1.6)
        centre_x, centre_y, radius = 6, 7, 5.5
        canvas.circle(centre_x, centre_y, radius, stroke=1, fill=0)
        if self.status is Status.ON_TRACK:  # a tick
            canvas.lines([(3.2, 7.2, 5.3, 4.8), (5.3, 4.8, 8.9, 9.6)])
        elif self.status is Status.ACT:  # a cross
            canvas.lines([(3.8, 4.8, 8.2, 9.2), (3.8, 9.2, 8.2, 4.8)])
        else:  # "!" to watch, "?" not assessed
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawCentredString(centre_x, 4.3, "!" if self.status is Status.WATCH else "?")
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(15, 4.3, str(STATUS_LABELS[self.status]))
        canvas.restoreState()


def _heading(meta: Meta) -> list[Flowable]:
    """The kind of report, the organisation, the period and the NIS 2 status with what it rests on."""
    title = _("NIS 2 compliance report") if meta.get("kind") != "annual" else _("Annual cybersecurity report")
    organisation = (
        _("Consolidated report: %(organisation)s and its member communes") % {"organisation": meta["organisation"]}
        if meta["consolidated"]
        else meta["organisation"]
    )
    story: list[Flowable] = [
        text(title, "title"),
        text(organisation, "h1"),
        text(
            _("%(period)s (%(start)s – %(end)s) · SIREN %(siren)s · %(status)s")
            % {
                "period": period_label(meta),
                "start": day(meta["start"]),
                "end": day(meta["end"]),
                "siren": meta["siren"],
                "status": labels.nis2_status(meta["nis2_status"]),
            },
            "small",
        ),
    ]
    basis = meta.get("legal_basis")
    if basis:
        story.append(text(basis["explanation"], "small"))
    return story


def _essentials(page_verdicts: list[Verdict], *, annual: bool) -> list[Flowable]:
    """One line per pillar: its status mark, its verdict, its trend."""
    rows = [
        [
            StatusMark(verdict.status),
            [text(verdict.pillar, "label"), text(verdict.sentence, "small")],
            text(trend_label(verdict.trend, annual=annual), "small"),
        ]
        for verdict in page_verdicts
    ]
    essentials = Table(rows, colWidths=[36 * mm, WIDTH - 36 * mm - 34 * mm, 34 * mm])
    essentials.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [text(_("The essentials"), "h2"), essentials]


def _decisions(decisions: list[Decision]) -> list[Flowable]:
    story: list[Flowable] = [text(_("Decisions asked of you"), "h2")]
    if not decisions:
        return [*story, text(_("No decision is asked of you this period."))]
    for index, decision in enumerate(decisions, start=1):
        story.append(text(f"{index}. {decision.title}", "label"))
        details = _("Why: %(reason)s") % {"reason": decision.reason}
        if decision.deadline:
            details += " " + _("When: %(deadline)s.") % {"deadline": decision.deadline}
        if decision.cost:
            details += " " + _("Cost at stake: %(cost)s.") % {"cost": decision.cost}
        story.append(text(details, "small"))
    return story


def _how_to_read(meta: Meta) -> list[Flowable]:
    """The thresholds behind the statuses (Rempart's choices) and who the page is for."""
    return [
        Spacer(1, 4 * mm),
        text(
            _(
                "How to read this page: “Under control” means the security level reaches at least %(on_track)s %% of "
                "its target, no legal report is late, less than %(watch_spend)s %% of the IT spend depends on "
                "non-European vendors and no action is overdue; “To watch” and “Action needed” mark the way "
                "there. These thresholds are Rempart's choices, not the law. The details and their sources are in "
                "the annexes."
            )
            % {
                "on_track": verdicts.MATURITY_ON_TRACK_PERCENT,
                "watch_spend": verdicts.EXPOSED_SPEND_WATCH_PERCENT,
            },
            "small",
        ),
        text(
            _("Restricted — for the executives of %(organisation)s. Issued on %(date)s; figures as at %(end)s.")
            % {"organisation": meta["organisation"], "date": day(meta["issued_at"]), "end": day(meta["end"])},
            "small",
        ),
    ]


def decision_page(snapshot: Snapshot) -> list[Flowable]:
    """Page 1: the organisation, the period, a verdict per pillar, the decisions asked, the approvals in force."""
    meta = snapshot["meta"]
    page = verdicts.decision_page(snapshot)
    return [
        *_heading(meta),
        *_essentials(page.verdicts, annual=meta.get("kind") == "annual"),
        *_decisions(page.decisions),
        *governance_summary(snapshot.get("governance")),
        *_how_to_read(meta),
    ]


def _approval_lines(governance: Governance) -> list[Flowable]:
    approvals = governance.get("approvals") or []
    if not approvals:
        return [text(_("No approval is on record: the management body is asked to approve the security measures."))]
    return [
        text(
            _("%(subject)s: %(act)s n° %(reference)s of %(date)s (%(body)s).")
            % {
                "subject": capfirst(labels.approval_subject(approval["subject"])),
                "act": labels.act_type(approval["act_type"]),
                "reference": approval["act_reference"],
                "date": day(approval["decided_on"]),
                "body": labels.assembly_body(approval["body"]),
            },
            "small",
        )
        for approval in approvals
    ]


def governance_summary(governance: Governance | None) -> list[Flowable]:
    """The approvals in force and the management body's training (NIS 2 Art. 20), in a few lines."""
    if governance is None:
        return []
    story: list[Flowable] = [text(_("Approvals in force (NIS 2, Art. 20)"), "h2"), *_approval_lines(governance)]
    for change in governance.get("changes") or []:
        sentence = verdicts.change_sentence(change)
        if sentence:
            story.append(text("• " + sentence, "small"))
    training = governance.get("training")
    if training and training.get("members"):
        sentence = _(
            "%(trained)s of the %(members)s members of the management body were trained in the last 24 months."
        ) % {"trained": training["trained"], "members": training["members"]}
        if training["not_trained"]:
            sentence += " " + _("Not trained: %(names)s.") % {"names": ", ".join(training["not_trained"])}
        story.append(text(sentence, "small"))
    return story
