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

# Colour-blind-safe palette (Okabe–Ito) with enough contrast on white; series also differ by legend text.
PALETTE = ("#0072B2", "#E69F00", "#999999", "#009E73", "#D55E00", "#CC79A7")
FONT = "Helvetica"


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
) -> Drawing:
    """A grid of cells shaded from light to dark by value; the value is written in each cell."""
    width = label_width + cell_width * len(columns) + 10
    height = cell_height * (len(rows) + 1) + 10
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
    for row_index, row in enumerate(rows):
        y = height - cell_height * (row_index + 2)
        drawing.add(String(label_width - 6, y + 7, row, fontName=FONT, fontSize=9, textAnchor="end"))
        for column_index, value in enumerate(values[row_index]):
            share = 0.0 if value is None or not value_max else min(value / value_max, 1.0)
            fill = colors.linearlyInterpolatedColor(colors.HexColor("#F1F5FB"), colors.HexColor("#08306B"), 0, 1, share)
            x = label_width + column_index * cell_width
            drawing.add(Rect(x, y, cell_width - 2, cell_height - 2, fillColor=fill, strokeColor=None))
            text = "—" if value is None else f"{value:g}"
            drawing.add(
                String(
                    x + cell_width / 2,
                    y + 7,
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
    svg = renderSVG.drawToString(drawing)
    start = svg.index("<svg")
    svg = svg[start:]
    return svg.replace("<svg", f'<svg role="img" aria-label="{escape(title)}"', 1)
