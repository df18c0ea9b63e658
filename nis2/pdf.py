"""PDF building blocks shared by every document Rempart prints (report drafts, quarterly reports):
a Unicode font shipped with reportlab (accents, œ, €), one set of styles, and paragraphs that escape
user-written text so it can never be read as reportlab markup."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "RempartSans", "RempartSans-Bold"
ACCENT = colors.HexColor("#000091")


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
