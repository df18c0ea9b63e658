"""Data the governance tests (NIS 2 Art. 20) build on: assessments rated through the controls services, so
that their history exists, and small uploaded files."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from controls import services as controls_services
from controls.models import Assessment, Framework
from nis2.models import Organisation
from tests.controls.factories import framework_with_requirements

PDF = b"%PDF-1.4\n% Deliberation n 2026-045 du conseil municipal\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def pdf_upload(name: str = "deliberation-2026-045.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def rated_assessment(
    organisation: Organisation,
    *,
    actor: Any,
    label: str = "2026-T3",
    levels: dict[str, int] | None = None,
    not_applicable: dict[str, str] | None = None,
    framework: Framework | None = None,
    validate: bool = False,
    period_start: datetime.date = datetime.date(2026, 7, 1),
) -> Assessment:
    """An assessment of four requirements R1..R4 (weight 1), rated through the services. By default R1=2,
    R2=3, R3=4 and R4 not applicable: 3 applicable requirements, overall level 3.00."""
    levels = {"R1": 2, "R2": 3, "R3": 4} if levels is None else levels
    not_applicable = {"R4": "Aucun local technique hors du siège."} if not_applicable is None else not_applicable
    assessment = controls_services.assessment_create(
        organisation=organisation,
        framework=framework or framework_with_requirements(4, essential_only_every=1000),
        label=label,
        period_start=period_start,
        period_end=period_start + datetime.timedelta(days=89),
        actor=actor,
    )
    for ref, level in levels.items():
        rate(assessment, ref, actor=actor, current_level=level)
    for ref, justification in not_applicable.items():
        rate(assessment, ref, actor=actor, applicable=False, justification=justification, current_level=None)
    if validate:
        controls_services.assessment_validate(assessment=assessment, actor=actor)
    return Assessment.objects.get(pk=assessment.pk)


def rate(assessment: Assessment, ref: str, *, actor: Any, **fields: Any) -> None:
    item = assessment.items.get(requirement__ref=ref)
    controls_services.item_update(item=item, expected_version=item.version, actor=actor, **fields)
