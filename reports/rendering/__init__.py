"""A compliance report as a PDF, rendered from its snapshot alone (reportlab), in French or English.

Page 1 is the decision page (``verdicts``): what an executive reads in one minute. The pages after it are the
annexes, where the reference numbers, indices and tables live, and the method with its sources. Each section is
one function of the snapshot; the page template is the one every Rempart PDF uses (``nis2.pdf``)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, PageBreak

from nis2.pdf import Footer, build_document
from reports.rendering.annexes import actions_annex, dependencies_annex, incidents_annex, maturity_annex, members_page
from reports.rendering.common import period_label
from reports.rendering.decision_page import decision_page
from reports.rendering.method import _requirement_level, deliberation_annex, method_annex, year_annex
from reports.snapshot_types import Snapshot

# ``_requirement_level`` is imported from here by tests written before the package existed.
__all__ = ["SECTIONS", "_requirement_level", "decision_page", "render_report"]

SECTIONS: tuple[Callable[[Snapshot], list[Flowable]], ...] = (
    members_page,
    year_annex,
    maturity_annex,
    actions_annex,
    incidents_annex,
    dependencies_annex,
    method_annex,
    deliberation_annex,
)


def render_report(snapshot: Snapshot) -> bytes:
    with translation.override(snapshot["meta"]["language"]):
        meta = snapshot["meta"]
        story = [*decision_page(snapshot), PageBreak()]
        for section in SECTIONS:
            story += section(snapshot)
        return build_document(
            story,
            title=_("NIS 2 compliance report — %(period)s") % {"period": period_label(meta)},
            subject=meta["organisation"],
            footer=Footer(
                left=_("Restricted — for the executives of %(organisation)s") % {"organisation": meta["organisation"]},
                right=period_label(meta),
            ),
        )
