"""The PDF of a quarterly report, rendered from a snapshot written by hand, read back with pypdf."""

import copy
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from reports.rendering import decision_sentences, render_report, summary_sentences
from tests.reports.pdf_text import one_line, pdf_pages

COVER, SUMMARY = 0, 1
ORGANISATION = "Communauté « Cœur d'Émeraude » — budget 1 000 € <b>bold</b> & co"
INCIDENTS_SENTENCE = (
    "%(total)s incident(s) this quarter, %(significant)s significant; legal deadlines met: %(on_time)s, "
    "missed: %(late)s."
)
INCIDENT_FIGURES = {"total": 3, "significant": 1, "on_time": 2, "late": 1}


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
        "version": 1,
        "meta": {
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
            "version": 1,
        },
        "maturity": {
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
        },
        "actions": {
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
        },
        "incidents": {
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
            "national_root_cause_baseline": 55,
        },
        "dependencies": {
            "index": 56.3,
            "previous_index": 75.0,
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
                {"name": "Messagerie", "contract_end": "2027-03-31", "exposure": 4, "strategy": "replace"},
            ],
        },
    }


def test_summary_sentences_in_english() -> None:
    with translation.override("en"):
        sentences = summary_sentences(known_snapshot("en"))
        decisions = decision_sentences(known_snapshot("en"))

    assert sentences == [
        "Overall maturity is 1.99 out of 5, 66.3 % of the target. That is +0.49 since T2-2026.",
        "The three biggest gaps: R2 Measure 2 (1/3).",
        "3 incident(s) this quarter, 1 significant; legal deadlines met: 2, missed: 1.",
        "The root cause was identified for 50 % of closed incidents (national baseline: 55 %).",
        "Dependency index: 56.3 out of 100; 75.0 % of IT spend goes to vendors exposed to extra-European laws. "
        "Previous quarter: 75.0.",
    ]
    assert decisions == [
        "Decide the future of “Messagerie” before its contract ends on 03/31/2027 (exposure E4).",
        "1 action(s) of the security plan are overdue: confirm their owners and new dates.",
    ]


def test_english_report_has_an_executive_summary() -> None:
    pages = pdf_pages(render_report(known_snapshot("en")))

    assert pages[SUMMARY].startswith(
        f"Restricted — for the executives of {ORGANISATION} Q3 2026 · 2 Executive summary • Overall maturity is 1.99"
    )
    assert "• 3 incident(s) this quarter, 1 significant; legal deadlines met: 2, missed: 1." in pages[SUMMARY]
    assert "Issued on 10/02/2026; figures as at the end of the quarter." in pages[COVER]


def test_french_summary_formats_figures_the_french_way(french_catalogue: None) -> None:
    with translation.override("fr"):
        heading = gettext("Executive summary")
        incidents = gettext(INCIDENTS_SENTENCE) % INCIDENT_FIGURES
        sentences = summary_sentences(known_snapshot("fr"))

    pages = pdf_pages(render_report(known_snapshot("fr")))

    assert heading != "Executive summary"  # the French catalogue translates it
    assert f"T3 2026 · 2 {heading} • " in pages[SUMMARY]
    assert "Executive summary" not in pages[SUMMARY]
    assert "1,99" in sentences[0]
    assert "66,3" in sentences[0]
    assert "+0,49" in sentences[0]
    assert "1.99" not in pages[SUMMARY]
    assert one_line(incidents) in pages[SUMMARY]
    for sentence in sentences:
        assert f"• {one_line(sentence)}" in pages[SUMMARY]
    assert "02/10/2026" in pages[COVER]


def test_names_with_accents_ligatures_euros_and_markup_are_printed_literally() -> None:
    pages = pdf_pages(render_report(known_snapshot("en")))

    assert f"NIS 2 compliance report {ORGANISATION} Q3 2026:" in pages[COVER]
    assert all(f"for the executives of {ORGANISATION}" in page for page in pages)
    incidents_page = next(
        page for page in pages if page.startswith(f"Restricted — for the executives of {ORGANISATION} Q3 2026 · 4")
    )
    assert "<b>bold</b>" in incidents_page


def test_the_same_snapshot_renders_the_same_text() -> None:
    snapshot = known_snapshot("fr")
    before = copy.deepcopy(snapshot)

    first, second = render_report(snapshot), render_report(snapshot)

    assert first.startswith(b"%PDF-")
    assert pdf_pages(first) == pdf_pages(second)
    assert snapshot == before  # rendering reads the snapshot and changes nothing in it


def test_consolidated_report_has_a_table_of_member_communes() -> None:
    snapshot = known_snapshot("en")
    snapshot["members"] = [
        {
            "name": "Commune d'Amont",
            "maturity": {"level": 3.0},
            "incidents": statistics(total=0, significant=0),
            "dependency_index": None,
        },
        {
            "name": "Commune d'Aval",
            "maturity": None,
            "incidents": statistics(total=4, significant=2),
            "dependency_index": 75.0,
        },
    ]

    pages = pdf_pages(render_report(snapshot))

    assert (
        "Member communes Commune Maturity Incidents Significant Dependency index "
        "Commune d'Amont 3.00 0 0 — Commune d'Aval — 4 2 75.0"
    ) in pages[SUMMARY]


def test_a_quarter_without_assessment_or_decision_says_so() -> None:
    snapshot = known_snapshot("en")
    snapshot["maturity"] = None
    snapshot["actions"]["overdue"] = []
    snapshot["dependencies"]["renewals"] = []

    pages = pdf_pages(render_report(snapshot))

    assert "• No self-assessment covers this quarter." in pages[SUMMARY]
    assert "Decisions asked of the executives • No decision is pending this quarter." in pages[SUMMARY]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_rendering_leaves_the_active_language_alone(language: str) -> None:
    with translation.override("en"):
        render_report(known_snapshot(language))

        assert translation.get_language() == "en"
