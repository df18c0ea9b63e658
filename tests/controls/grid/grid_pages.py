"""Addresses and readers of the compact assessment grid, shared by its tests."""

import re

from django.urls import reverse

from controls.models import Assessment, RequirementAssessment, Section

HTMX = {"HTTP_HX_REQUEST": "true"}


def grid_url(assessment: Assessment) -> str:
    return reverse("assessment-grid", args=[assessment.organisation_id, assessment.pk])


def item_of(assessment: Assessment, ref: str) -> RequirementAssessment:
    return assessment.items.get(requirement__ref=ref)


def section_of(assessment: Assessment, ref: str) -> Section:
    return Section.objects.get(framework=assessment.framework_id, ref=ref)


def confirm_url(item: RequirementAssessment) -> str:
    return reverse("item-confirm", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def item_url(item: RequirementAssessment) -> str:
    return reverse("item-detail", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def shown_refs(html: str) -> list[str]:
    """The references of the rows shown, in order."""
    return re.findall(r'<h3 class="item-title" id="item-[0-9]+-title"><span class="ref">([^<]+)</span>', html)


def row_html(html: str, item: RequirementAssessment) -> str:
    match = re.search(rf'<article [^>]*id="item-{item.pk}".*?</article>', html, re.DOTALL)
    assert match, f"no row for item {item.pk}"
    return match.group(0)
