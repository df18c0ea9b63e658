"""The PDF of a report, rendered from a snapshot written by hand, read back with pypdf: page 1 is the decision
page (a verdict per pillar, the decisions, the approvals), the annexes follow."""

import copy
import re

import pytest
from django.utils import translation

from reports.rendering import render_report
from tests.reports.pdf_text import pdf_pages
from tests.reports.snapshots import ORGANISATION, known_snapshot, statistics

DECISION_PAGE = 0


def test_page_one_gives_a_verdict_per_pillar_in_words_and_the_decisions() -> None:
    page = pdf_pages(render_report(known_snapshot("en")))[DECISION_PAGE]

    assert f"NIS 2 compliance report {ORGANISATION} Q3 2026 (07/01/2026 – 09/30/2026)" in page
    assert (
        "To watch Security level The security measures reach 66 % of the level the organisation set itself as a "
        "target (on a scale from 0, nothing in place, to 5, controlled and improved). improving since last quarter"
    ) in page
    assert "Action needed Incidents 3 incidents were recorded this quarter." in page
    assert "Action needed Dependence on non-European vendors 75 % of the IT spend" in page
    assert "To watch Security action plan 0 actions were completed this quarter; 1 is overdue" in page
    assert "1. Ask for a review of the late legal reports" in page
    assert "2. Choose what follows the contract “Messagerie” Why:" in page
    assert "When: before March 31, 2027. Cost at stake: 30,000 € a year." in page
    assert "3. Confirm an owner and a new date for 1 overdue action" in page
    assert "4." not in page  # three decisions at most


def test_page_one_holds_no_reference_number_nor_unexplained_index() -> None:
    page = pdf_pages(render_report(known_snapshot("en")))[DECISION_PAGE]

    assert "R2" not in page  # requirement references live in the annexes
    assert not re.search(r"\bE[0-4]\b", page)  # exposure levels E0–E4 too
    assert "index" not in page.lower()
    assert "These thresholds are Rempart's choices, not the law." in page


def test_the_french_decision_page_formats_the_french_way(french_catalogue: None) -> None:
    page = pdf_pages(render_report(known_snapshot("fr")))[DECISION_PAGE]

    assert "Rapport de conformité NIS 2" in page
    assert "T3 2026 (01/07/2026 – 30/09/2026)" in page
    assert "À surveiller" in page
    assert "Action requise" in page
    assert "30 000 € par an" in page
    assert "The essentials" not in page


def test_the_approvals_in_force_and_the_training_are_on_page_one() -> None:
    snapshot = known_snapshot("en")
    snapshot["governance"] = {
        "approvals": [
            {
                "subject": "measures",
                "act_type": "deliberation",
                "act_reference": "2026-045",
                "decided_on": "2026-03-12",
                "body": "municipal_council",
                "approved_state": {"assessment": "T1-2026", "applicable_requirements": 2, "maturity_level": 1.5},
                "has_act_file": True,
            }
        ],
        "changes": [
            {
                "subject": "measures",
                "approved": {"assessment": "T1-2026", "applicable_requirements": 2, "maturity_level": 1.5},
                "now": {"assessment": "T3-2026", "applicable_requirements": 2, "maturity_level": 1.99},
                "changed": ["assessment", "maturity_level"],
            }
        ],
        "training": {"members": 3, "trained": 2, "share": 66.7, "not_trained": ["Jeanne Voisin"], "hours": 14},
    }

    page = pdf_pages(render_report(snapshot))[DECISION_PAGE]

    assert "Approvals in force (NIS 2, Art. 20)" in page
    assert "The security measures: deliberation n° 2026-045 of 03/12/2026 (municipal council)." in page
    assert "Since the measures were approved, their mean level went from 1.5 to 2.0 out of 5." in page
    assert "2 of the 3 members of the management body were trained in the last 24 months." in page
    assert "Not trained: Jeanne Voisin." in page


def test_without_any_approval_the_page_says_so_and_asks_for_one() -> None:
    snapshot = known_snapshot("en")
    snapshot["governance"] = {"approvals": [], "changes": [], "training": {}}
    snapshot["incidents"]["stats"] = statistics(obligations_late=0)
    snapshot["dependencies"]["renewals"] = []

    page = pdf_pages(render_report(snapshot))[DECISION_PAGE]

    assert "No approval is on record" in page
    assert "Approve the security measures" in page


def test_names_with_accents_ligatures_euros_and_markup_are_printed_literally() -> None:
    pages = pdf_pages(render_report(known_snapshot("en")))

    assert all(f"for the executives of {ORGANISATION}" in page for page in pages)
    assert any("Annex 3" in page and "08/10/2026 <b>bold</b>" in page for page in pages)


def test_the_annexes_speak_in_words_not_codes() -> None:
    text = " ".join(pdf_pages(render_report(known_snapshot("en"))))

    assert "Malicious code" in text  # the RSIT class, not "malicious-code"
    assert "Human error" in text
    assert "Submitted on time, Submitted late" in text
    assert "fully exposed" in text
    assert "Migrate" in text
    for code in ("malicious-code", "human_error", "submitted_late", "migrate"):
        assert code not in text


def test_the_method_annex_sources_the_outside_figure_and_compares_nothing() -> None:
    text = " ".join(pdf_pages(render_report(known_snapshot("en"))))

    assert "Cybermalveillance.gouv.fr and OpinionWay" in text
    assert "45 % of the attacked authorities of fewer than 25,000 inhabitants" in text
    assert "baseline" not in text


def test_the_same_snapshot_renders_the_same_text() -> None:
    snapshot = known_snapshot("fr")
    before = copy.deepcopy(snapshot)

    first, second = render_report(snapshot), render_report(snapshot)

    assert first.startswith(b"%PDF-")
    assert pdf_pages(first) == pdf_pages(second)
    assert snapshot == before  # rendering reads the snapshot and changes nothing in it


def test_the_consolidated_report_says_so_and_sets_the_communes_side_by_side() -> None:
    snapshot = known_snapshot("en")
    snapshot["meta"]["consolidated"] = True
    snapshot["members"] = [
        {
            "name": "Commune d'Amont",
            "shared": True,
            "maturity": {"level": 3.0, "percent": 75.0},
            "incidents": statistics(total=0, significant=0),
            "dependency_index": None,
            "exposed_spend_share": 10.0,
        },
        {
            "name": "Commune d'Aval",
            "shared": True,
            "maturity": None,
            "incidents": statistics(total=4, significant=2),
            "dependency_index": 75.0,
            "exposed_spend_share": 60.0,
        },
        {"name": "Commune du Milieu", "shared": False},
    ]

    pages = pdf_pages(render_report(snapshot))

    assert f"Consolidated report: {ORGANISATION} and its member communes" in pages[DECISION_PAGE]
    assert (
        "Commune d'Amont 75 % 0 (0) 10 % Commune d'Aval not assessed 4 (2) 60 % "
        "Commune du Milieu not shared not shared not shared"
    ) in pages[1]


def test_a_quarter_without_assessment_or_decision_says_so() -> None:
    snapshot = known_snapshot("en")
    snapshot["maturity"] = None
    snapshot["actions"]["overdue"] = []
    snapshot["dependencies"]["renewals"] = []
    snapshot["incidents"]["stats"] = statistics(obligations_late=0)

    page = pdf_pages(render_report(snapshot))[DECISION_PAGE]

    assert "Not assessed Security level No self-assessment covers this quarter" in page
    assert "Decisions asked of you No decision is asked of you this period." in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_rendering_leaves_the_active_language_alone(language: str) -> None:
    with translation.override("en"):
        render_report(known_snapshot(language))

        assert translation.get_language() == "en"
