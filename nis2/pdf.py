"""PDF building blocks shared by every document Rempart prints (report drafts, quarterly reports):
one page template (A4, margins, an optional footer with the page number), a Unicode font shipped with
reportlab (accents, œ, €), one set of styles, paragraphs that escape user-written text so it can never be
read as reportlab markup, and label/value lists that split across pages whatever the length of the values."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "RempartSans", "RempartSans-Bold"
ACCENT = colors.HexColor("#000091")
RULE = colors.HexColor("#CCCCCC")
# A value this short fits in a table cell of a few lines: a table row cannot split across pages, so
# anything longer flows as full-width paragraphs under its label.
SHORT_VALUE_CHARACTERS = 400
SHORT_VALUE_LINES = 6
# The page: A4, the same margins for every document; a page with a footer keeps room for it at the bottom.
PAGE_SIZE = A4
SIDE_MARGIN = 16 * mm
TOP_MARGIN = 14 * mm
BOTTOM_MARGIN = 14 * mm
BOTTOM_MARGIN_WITH_FOOTER = 16 * mm
FOOTER_BASELINE = 9 * mm
FOOTER_FONT_SIZE = 7.5
#: The width a flowable may take between the margins.
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * SIDE_MARGIN


@dataclass(frozen=True)
class Footer:
    """The line at the foot of every page: ``left`` on the left margin, ``right`` and the page number on the
    right (``"Q3 2026 · 2"``)."""

    left: str
    right: str

    def draw(self, canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_FONT_SIZE)
        canvas.drawString(SIDE_MARGIN, FOOTER_BASELINE, self.left)
        canvas.drawRightString(PAGE_SIZE[0] - SIDE_MARGIN, FOOTER_BASELINE, f"{self.right} · {document.page}")
        canvas.restoreState()


def build_document(
    story: Sequence[Flowable], *, title: str, subject: str | None = None, footer: Footer | None = None
) -> bytes:
    """The PDF of ``story`` on Rempart's page template: A4, its margins, authored by Rempart, with ``footer``
    on every page when one is given."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN_WITH_FOOTER if footer else BOTTOM_MARGIN,
        title=title,
        author="Rempart",
        creator="Rempart",
        **({"subject": subject} if subject is not None else {}),
    )
    if footer is None:
        document.build(list(story))
    else:
        document.build(list(story), onFirstPage=footer.draw, onLaterPages=footer.draw)
    return buffer.getvalue()


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT, spaceAfter=8
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD),
        "warning": ParagraphStyle("warning", parent=body, textColor=colors.HexColor("#B00020")),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain (possibly user-written) text: escaped, line breaks kept."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), styles()[style])


def paragraphs(value: object, style: str = "body") -> list[Flowable]:
    """Plain (possibly user-written) text of any length as flowing paragraphs, one per line, that the page
    layout splits wherever it needs to (a single cell or paragraph of 50,000 characters cannot)."""
    flowables: list[Flowable] = []
    blank_before = False
    for line in str(value).split("\n"):
        if not line.strip():
            blank_before = bool(flowables)
            continue
        if blank_before:
            flowables.append(Spacer(1, styles()[style].leading / 2))
            blank_before = False
        flowables.append(text(line, style))
    return flowables or [text("—", style)]


def _fits_in_a_cell(value: str) -> bool:
    return len(value) <= SHORT_VALUE_CHARACTERS and value.count("\n") < SHORT_VALUE_LINES


def label_value_list(rows: list[tuple[str, str]], *, label_width: float) -> list[Flowable]:
    """Label/value pairs in their order: runs of short values as a two-column table, each long value as its
    label followed by full-width paragraphs. Whatever the values' length, the list splits across pages."""
    flowables: list[Flowable] = []
    short_rows: list[tuple[str, str]] = []

    def flush_table() -> None:
        if short_rows:
            flowables.append(_label_value_table(short_rows, label_width=label_width))
            short_rows.clear()

    for label, value in rows:
        if _fits_in_a_cell(value):
            short_rows.append((label, value))
            continue
        flush_table()
        heading = text(label, "label")
        heading.keepWithNext = True  # never a label alone at the foot of a page
        flowables += [Spacer(1, 4), heading, *paragraphs(value), Spacer(1, 4)]
    flush_table()
    return flowables


def _label_value_table(rows: list[tuple[str, str]], *, label_width: float) -> Table:
    table = Table([[text(label, "label"), text(value or "—")] for label, value in rows], colWidths=[label_width, None])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
