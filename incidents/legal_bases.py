"""The legal bases of the shipped reporting rules (incidents/data/reporting-rules.yaml), as a reader of each
language cites them. A rule stores its legal basis as one citation; this is how it is shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEGAL_BASES = {
    "Directive (EU) 2022/2555, Art. 23(4)(a)": _("Directive (EU) 2022/2555, Art. 23(4)(a)"),
    "Directive (EU) 2022/2555, Art. 23(4)(b)": _("Directive (EU) 2022/2555, Art. 23(4)(b)"),
    "Directive (EU) 2022/2555, Art. 23(4)(c)": _("Directive (EU) 2022/2555, Art. 23(4)(c)"),
    "Directive (EU) 2022/2555, Art. 23(4)(d) and (e)": _("Directive (EU) 2022/2555, Art. 23(4)(d) and (e)"),
    "Directive (EU) 2022/2555, Art. 23(1) and (2)": _("Directive (EU) 2022/2555, Art. 23(1) and (2)"),
    "Regulation (EU) 2016/679, Art. 33(1)": _("Regulation (EU) 2016/679, Art. 33(1)"),
    "Regulation (EU) 2016/679, Art. 34(1)": _("Regulation (EU) 2016/679, Art. 34(1)"),
}


def legal_basis_label(citation: str) -> str:
    """The citation in the active language; a citation the shipped rules do not hold, as it was written."""
    return str(LEGAL_BASES.get(citation, citation))
