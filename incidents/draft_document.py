"""PDF of a report draft or of a notice to people (reportlab), from the draft alone. Values of any length
flow across pages: a description of 50,000 characters gives as many pages as it needs."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from incidents.drafts import Audience, Draft
from nis2.pdf import build_document, label_value_list, paragraphs, text

LABEL_WIDTH = 55 * mm


def render_draft_pdf(draft: Draft, *, step_label: str, authority: str, incident_title: str) -> bytes:
    if draft.audience is Audience.PEOPLE:
        warning = _("DRAFT NOTICE — to be checked, then sent to: %(recipients)s") % {"recipients": authority}
        body = _notice(draft)
        missing = _("Missing before sending: %(fields)s.")
    else:
        warning = _("DRAFT — to be checked, then filed with %(authority)s") % {"authority": authority}
        body = label_value_list([(field.label, field.value) for field in draft.fields], label_width=LABEL_WIDTH)
        missing = _("Missing before filing: %(fields)s.")
    story = [text(warning, "warning"), text(step_label, "title"), text(incident_title, "h2")]
    story += [Spacer(1, 4 * mm), *body, Spacer(1, 4 * mm)]
    if draft.missing:
        story.append(text(missing % {"fields": ", ".join(draft.missing)}, "warning"))
    story.append(
        text(
            _("Prepared by Rempart on %(date)s (Europe/Paris).")
            % {"date": date_format(timezone.localtime(), "DATETIME_FORMAT")},
            "small",
        )
    )
    return build_document(story, title=f"{step_label} — {incident_title}")


def _notice(draft: Draft) -> list[Flowable]:
    """A letter: the opening lines, then one heading per item, each followed by its text."""
    flowables = paragraphs(draft.introduction)
    for field in draft.fields:
        heading = text(field.label, "h2")
        heading.keepWithNext = True
        flowables += [heading, *paragraphs(field.value)]
    return flowables
