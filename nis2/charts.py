"""Charts drawn once with reportlab graphics: embedded as SVG in web pages and as vector
drawings in PDF reports, so both show the same figures the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

# Colour-blind-safe palette (Okabe–Ito) with enough contrast on white; series also differ by legend text.
PALETTE = ("#0072B2", "#E69F00", "#999999", "#009E73", "#D55E00", "#CC79A7")
FONT = "Helvetica"
LINE_HEIGHT = 11  # points between two lines of a 9-point label


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    value_max: float,
    value_step: float,
    width: int = 560,
    height: int = 240,
) -> Drawing:
    """Bars grouped by category, one colour per series, with a legend under the plot."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 60
    chart.width, chart.height = width - 60, height - 80
    chart.data = [[value if value is not None else 0 for value in entry.values] for entry in series]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max
    chart.valueAxis.valueStep = value_step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 9
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 40, 22
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = FONT
    legend.fontSize = 9
    legend.dx = legend.dy = 8
    legend.deltax = 110
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[index % len(PALETTE)]), entry.label) for index, entry in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    value_max: float,
    cell_width: int = 60,
    cell_height: int = 22,
    label_width: int = 200,
    max_label_width: int = 320,
) -> Drawing:
    """A grid of cells shaded from light to dark by value; the value is written in each cell. Labels are
    never cut: the label column widens to the longest one up to ``max_label_width``, beyond which a label
    wraps at word boundaries and its row grows; cells widen to hold their column's label."""
    label_width = min(max([label_width, *(int(stringWidth(row, FONT, 9)) + 12 for row in rows)]), max_label_width)
    cell_width = max([cell_width, *(int(stringWidth(column, FONT, 9)) + 8 for column in columns)])
    row_lines = [simpleSplit(row, FONT, 9, label_width - 12) or [""] for row in rows]
    row_heights = [max(cell_height, LINE_HEIGHT * len(lines) + 8) for lines in row_lines]
    width = label_width + cell_width * len(columns) + 10
    height = cell_height + sum(row_heights) + 10
    drawing = Drawing(width, height)
    for column_index, column in enumerate(columns):
        drawing.add(
            String(
                label_width + column_index * cell_width + cell_width / 2,
                height - cell_height + 6,
                column,
                fontName=FONT,
                fontSize=9,
                textAnchor="middle",
            )
        )
    top = height - cell_height
    for row_index, lines in enumerate(row_lines):
        row_height = row_heights[row_index]
        y = top - row_height
        top = y
        first_baseline = y + row_height / 2 + (len(lines) - 1) * LINE_HEIGHT / 2 - 3
        for line_index, line in enumerate(lines):
            baseline = first_baseline - line_index * LINE_HEIGHT
            drawing.add(String(label_width - 6, baseline, line, fontName=FONT, fontSize=9, textAnchor="end"))
        for column_index, value in enumerate(values[row_index]):
            share = 0.0 if value is None or not value_max else min(value / value_max, 1.0)
            fill = colors.linearlyInterpolatedColor(colors.HexColor("#F1F5FB"), colors.HexColor("#08306B"), 0, 1, share)
            x = label_width + column_index * cell_width
            drawing.add(Rect(x, y, cell_width - 2, row_height - 2, fillColor=fill, strokeColor=None))
            text = "—" if value is None else f"{value:g}"
            drawing.add(
                String(
                    x + cell_width / 2,
                    y + row_height / 2 - 3,
                    text,
                    fontName=FONT,
                    fontSize=9,
                    textAnchor="middle",
                    fillColor=colors.white if share > 0.5 else colors.black,
                )
            )
    return drawing


def to_svg(drawing: Drawing, *, title: str) -> str:
    """Inline SVG for a web page, labelled for screen readers (the page also shows the figures as a table)."""
    svg = str(renderSVG.drawToString(drawing))
    start = svg.index("<svg")
    svg = svg[start:]
    return svg.replace("<svg", f'<svg role="img" aria-label="{escape(title)}"', 1)
