"""Addresses and stored state of the measures of an assessment, shared by the assessment API tests."""

from typing import Any

from django.urls import reverse

from controls.models import Assessment, RequirementAssessment


def item_url(item: RequirementAssessment) -> str:
    return reverse("assessment-item-detail", kwargs={"assessment_pk": item.assessment_id, "pk": item.pk})


def item_of(assessment: Assessment, ref: str) -> RequirementAssessment:
    return assessment.items.get(requirement__ref=ref)


def item_state(item: RequirementAssessment) -> dict[str, Any]:
    return RequirementAssessment.objects.filter(pk=item.pk).values().get()
