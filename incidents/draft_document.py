"""One-page PDF of a report draft (reportlab), from the draft alone."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from incidents.drafts import Draft
from nis2.pdf import text


def render_draft_pdf(draft: Draft, *, step_label: str, authority: str, incident_title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{step_label} — {incident_title}",
        author="Rempart",
    )
    story = [
        text(_("DRAFT — to be checked, then filed with %(authority)s") % {"authority": authority}, "warning"),
        text(step_label, "title"),
        text(incident_title, "h2"),
    ]
    rows = [[text(field.label, "label"), text(field.value or "—")] for field in draft.fields]
    table = Table(rows, colWidths=[55 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story += [Spacer(1, 4 * mm), table, Spacer(1, 4 * mm)]
    if draft.missing:
        story.append(text(_("Missing before filing: %(fields)s.") % {"fields": ", ".join(draft.missing)}, "warning"))
    story.append(
        text(
            _("Prepared by Rempart on %(date)s (Europe/Paris).")
            % {"date": date_format(timezone.localtime(), "DATETIME_FORMAT")},
            "small",
        )
    )
    document.build(story)
    return buffer.getvalue()
