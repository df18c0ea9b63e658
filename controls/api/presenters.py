"""JSON shapes of the scoring results (plain data in, plain data out)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from controls import scoring
from controls.models import Framework, RequirementAssessment
from controls.selectors import AssessmentScores
from nis2.numbers import decimal_to_float


def stale_message() -> str:
    return _("Someone changed this requirement since you opened it; your change was not saved. Reload and retry.")


def score(value: scoring.Score) -> dict[str, Any]:
    return {
        "level": decimal_to_float(value.level),
        "percent_of_target": decimal_to_float(value.percent_of_target),
        "applicable": value.applicable,
        "assessed": value.assessed,
        "progress_percent": decimal_to_float(value.progress_percent),
    }


def scores(result: AssessmentScores) -> dict[str, Any]:
    return {
        "overall": score(result.overall),
        "by_art21_point": {point: score(value) for point, value in result.by_art21_point.items()},
        "by_section": [
            {"ref": ref, "title": result.section_titles.get(ref, ""), **score(value)}
            for ref, value in result.by_section.items()
        ],
        "previous": (
            {
                "label": result.previous_label,
                "by_art21_point": {point: score(value) for point, value in result.previous_by_art21_point.items()},
            }
            if result.previous_label
            else None
        ),
    }


def gap(value: scoring.Gap, item: RequirementAssessment) -> dict[str, Any]:
    return {
        "item": item.pk,
        "ref": value.ref,
        "title": item.requirement.title,
        "current_level": value.current_level,
        "target_level": value.target_level,
        "weight": value.weight,
        "weighted_gap": value.weighted_gap,
        "owner": item.owner.get_username() if item.owner else None,
    }


def comparison(value: scoring.Comparison | None) -> dict[str, Any]:
    if value is None:
        return {"available": False}
    return {
        "available": True,
        "overall_before": score(value.overall_before),
        "overall_now": score(value.overall_now),
        "improved": [change.__dict__ for change in value.improved],
        "fell_back": [change.__dict__ for change in value.fell_back],
        "unchanged": value.unchanged,
        "new": value.new,
    }


def coverage(target: Framework | None, levels: list[scoring.DerivedLevel]) -> dict[str, Any]:
    covered = [level for level in levels if level.level is not None]
    return {
        "derived": True,
        "note": _(
            "Derived through the correspondence table: an indication of coverage, not an assessment of %(framework)s."
        )
        % {"framework": target.name if target else "—"},
        "framework": target.code if target else None,
        "covered": len(covered),
        "total": len(levels),
        "requirements": [
            {
                "ref": level.ref,
                "derived_level": decimal_to_float(level.level),
                "sources": [{"ref": ref, "level": lvl, "strength": strength} for ref, lvl, strength in level.sources],
            }
            for level in levels
        ],
    }
