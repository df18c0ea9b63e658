"""A report snapshot written by hand: Q3 2026 of a commune, known figures, names that test escaping."""

from typing import Any

ORGANISATION = "Communauté « Cœur d'Émeraude » — budget 1 000 € <b>bold</b> & co"


def statistics(**figures: Any) -> dict[str, Any]:
    return {
        "total": 3,
        "by_category": {"malicious-code": 2, "availability": 1},
        "by_severity": {"critical": 1, "low": 2},
        "by_status": {"closed": 2, "new": 1},
        "significant": 1,
        "closed": 2,
        "closed_with_root_cause": 1,
        "unknown_cause_after_30_days": 0,
        "median_hours_to_root_cause": 36.0,
        "median_hours_to_containment": 5.5,
        "obligations_on_time": 2,
        "obligations_late": 1,
        "obligations_overdue": 0,
        "root_cause_identified_share": 50.0,
        **figures,
    }


def known_snapshot(language: str) -> dict[str, Any]:
    """Q3 2026: maturity 1.99 (66.3 % of the target, +0.49 since Q2), 3 incidents of which 1 significant,
    dependency index 56.3 (75.0 the quarter before), one exposed contract to renew."""
    return {
        "version": 2,
        "meta": _meta_section(language),
        "maturity": _maturity_section(),
        "actions": _actions_section(),
        "incidents": _incidents_section(),
        "dependencies": _dependencies_section(),
    }


def _meta_section(language: str) -> dict[str, Any]:
    """The report's identity: the organisation, the quarter and when it was issued."""
    return {
        "organisation": ORGANISATION,
        "siren": "210000006",
        "nis2_status": "essential",
        "period": "2026-Q3",
        "quarter_number": 3,
        "year": 2026,
        "start": "2026-07-01",
        "end": "2026-09-30",
        "as_of": "2026-09-30T23:59:59.999999+02:00",
        "language": language,
        "issued_at": "2026-10-02T06:00:00+00:00",
        "consolidated": False,
        "kind": "quarterly",
        "version": 1,
    }


def _maturity_section() -> dict[str, Any]:
    """The self-assessment: 1.99 (66.3 % of the target, +0.49 since Q2), by measure and by requirement."""
    return {
        "framework": {"fr": "Référentiel œuvré", "en": "Framework"},
        "label": "T3-2026",
        "status": "validated",
        "entity_category": "essential",
        "overall": {"level": 1.99, "percent": 66.3, "target": 3.0, "assessed": 2, "applicable": 2},
        "previous": {
            "label": "T2-2026",
            "overall": {"level": 1.5, "percent": 50.0, "target": 3.0, "assessed": 2, "applicable": 2},
        },
        "by_measure": [
            {
                "point": "a",
                "level": 1.99,
                "percent": 66.3,
                "target": 3.0,
                "assessed": 2,
                "applicable": 2,
                "previous_level": 1.5,
            }
        ],
        "top_gaps": [
            {
                "ref": "R2",
                "title": {"fr": "Mesure 2", "en": "Measure 2"},
                "current": 1,
                "target": 3,
                "weighted_gap": 2,
            }
        ],
        "requirements": [
            {
                "ref": "R1",
                "title": {"fr": "Mesure 1", "en": "Measure 1"},
                "applicable": True,
                "level": 3,
                "target": 3,
            },
            {
                "ref": "R2",
                "title": {"fr": "Mesure 2", "en": "Measure 2"},
                "applicable": True,
                "level": 1,
                "target": 3,
            },
        ],
    }


def _actions_section() -> dict[str, Any]:
    """The action plan: one overdue action."""
    return {
        "done": [],
        "overdue": [
            {
                "title": "Activer la double authentification",
                "owner": "rssi",
                "due_date": "2026-09-15",
                "status": "open",
                "priority": "high",
            }
        ],
        "due_next": [],
        "previous_overdue": 0,
    }


def _incidents_section() -> dict[str, Any]:
    """Three incidents of which one significant, and the quarters before."""
    return {
        "rows": [
            {
                "title": "<b>bold</b>",
                "detected_at": "2026-08-10T06:00:00+00:00",
                "category": "malicious-code",
                "severity": "critical",
                "significant": "yes",
                "status": "closed",
                "root_cause": "human_error",
                "obligations": ["submitted", "submitted_late"],
            }
        ],
        "stats": statistics(),
        "trend": [
            {"quarter": "2025-Q4", "label": "T4 2025", "total": 0, "significant": 0},
            {"quarter": "2026-Q1", "label": "T1 2026", "total": 1, "significant": 0},
            {"quarter": "2026-Q2", "label": "T2 2026", "total": 2, "significant": 1},
            {"quarter": "2026-Q3", "label": "T3 2026", "total": 3, "significant": 1},
        ],
    }


def _dependencies_section() -> dict[str, Any]:
    """Dependency index 56.3 (75.0 the quarter before), one exposed contract to renew."""
    return {
        "index": 56.3,
        "previous_index": 75.0,
        "previous_exposed_spend_share": 75.0,
        "components": 2,
        "total_spend_eur": 40_000.0,
        "exposed_spend_eur": 30_000.0,
        "exposed_spend_share": 75.0,
        "open_source_share": 0.0,
        "by_domain": [
            {
                "code": "D02",
                "name": {"fr": "Bureautique, messagerie et agenda", "en": "Office suite, e-mail and calendar"},
                "index": 56.3,
                "exposure_counts": [1, 0, 0, 0, 1],
            }
        ],
        "top": [
            {
                "name": "Messagerie",
                "domain": "D02",
                "product": "Logiciel",
                "score": 75,
                "class": 5,
                "exposure": 4,
                "strategy": "",
                "alternatives": ["Suite libre"],
            }
        ],
        "renewals": [
            {
                "name": "Messagerie",
                "contract_end": "2027-03-31",
                "annual_cost_eur": 30_000.0,
                "exposure": 4,
                "strategy": "migrate",
            },
        ],
    }
