"""Heat-map labels are drawn whole (issue 14: domain labels were cut mid-word)."""

from reportlab.graphics.shapes import String
from reportlab.pdfbase.pdfmetrics import stringWidth

from nis2.charts import FONT, heat_map

LONG = "D07 Gestion de la relation aux usagers, état civil, élections et cimetières"


def _strings(drawing) -> list[String]:
    return [shape for shape in drawing.contents if isinstance(shape, String)]


def test_a_long_label_is_drawn_whole_inside_the_drawing() -> None:
    drawing = heat_map([LONG, "D01 Messagerie"], ["E0", "E1"], [[1, None], [None, 2]], value_max=2)
    labels = [shape for shape in _strings(drawing) if shape.textAnchor == "end"]
    assert " ".join(shape.text for shape in labels[:-1]) == LONG
    for shape in labels:
        assert shape.x - stringWidth(shape.text, FONT, shape.fontSize) >= 0


def test_a_label_wider_than_the_limit_wraps_at_word_boundaries_and_its_row_grows() -> None:
    narrow = heat_map([LONG], ["E0"], [[1]], value_max=1, label_width=100, max_label_width=160)
    lines = [shape.text for shape in _strings(narrow) if shape.textAnchor == "end"]
    assert len(lines) > 1
    assert " ".join(lines) == LONG
    assert all(stringWidth(line, FONT, 9) <= 160 - 12 for line in lines)
    assert narrow.width <= 160 + 60 + 10
    one_line = heat_map(["D01 Messagerie"], ["E0"], [[1]], value_max=1)
    assert narrow.height > one_line.height


def test_cells_widen_to_hold_their_column_label() -> None:
    drawing = heat_map(["A"], ["Très exposé (E4)"], [[3]], value_max=3, cell_width=20)
    header = next(shape for shape in _strings(drawing) if shape.text == "Très exposé (E4)")
    assert drawing.width >= header.x + stringWidth(header.text, FONT, 9) / 2
