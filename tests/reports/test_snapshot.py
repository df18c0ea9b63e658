"""The snapshot of a quarterly report, on a known data set: exact figures, read as of the quarter's end."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from controls import services as controls_services
from controls.models import Assessment, Framework, Requirement, RequirementAssessment
from dependencies import services as dependency_services
from dependencies.models import Component
from incidents import services as incident_services
from incidents.models import Incident
from nis2.clock import PARIS
from nis2.models import Membership, Organisation
from nis2.periods import Quarter
from reports import services
from reports.snapshot import build_snapshot, quarter_end_moment
from tests.controls.factories import framework_with_requirements
from tests.incidents.factories import close_incident
from tests.nis2.factories import OrganisationFactory
from tests.reports.dates import Q2, Q3, paris

pytestmark = pytest.mark.django_db

# The known data set (see ``known_quarters``), figures computed by hand.
Q3_OVERALL = {"level": 2.67, "percent": 72.2, "target": 3.0, "assessed": 3, "applicable": 4}
Q2_OVERALL = {"level": 1.5, "percent": 50.0, "target": 3.0, "assessed": 4, "applicable": 4}
Q3_BY_MEASURE = [  # (point, level, percent of target, previous quarter's level)
    ("a", 4.0, 100.0, 2.0),
    ("b", 3.0, 100.0, 2.0),
    ("c", 1.0, 33.3, 1.0),
    ("d", 0.0, 0.0, 0.0),
]
Q3_TREND = [
    {"quarter": "2025-Q4", "label": "T4 2025", "total": 0, "significant": 0},
    {"quarter": "2026-Q1", "label": "T1 2026", "total": 0, "significant": 0},
    {"quarter": "2026-Q2", "label": "T2 2026", "total": 1, "significant": 0},
    {"quarter": "2026-Q3", "label": "T3 2026", "total": 2, "significant": 1},
]


@pytest.fixture
def framework() -> Framework:
    """R1 to R4 on Article 21(2) points (a) to (d), target 3 each; R1 weighs 3, the others 1."""
    framework = framework_with_requirements(4)
    Requirement.objects.filter(framework=framework, ref="R1").update(weight=3)
    return framework


@pytest.fixture
def known_quarters(
    organisation: Organisation,
    security_officer: Membership,
    framework: Framework,
    rated_assessment: Callable[..., Assessment],
    past_incident: Callable[..., Incident],
    past_component: Callable[..., Any],
) -> dict[str, Any]:
    """What the organisation recorded in Q2 and Q3 2026.

    ===========  =============================  ==============================================
    quarter      self-assessment (R1 R2 R3 R4)  incidents; components (exposure, C, €/year)
    ===========  =============================  ==============================================
    Q2 (May)     2  2  1  0                     one, not significant; A "Messagerie" (4, 4, 30 000)
    Q3 (Aug.)    4  3  1  —  (R4 unrated)       one significant, one not; B "Finances" (0, 2, 10 000)
    ===========  =============================  ==============================================

    Q3 maturity: (3×4 + 3 + 1 + 0) / 6 = 2.67; reached (3×3 + 3 + 1 + 0) / 18 = 72.2 % of the target.
    Q2 maturity: (3×2 + 2 + 1 + 0) / 6 = 1.50; 9 / 18 = 50.0 %.
    Scores (lock-in 3): A = 100 × 4 × 4 × 3 / 64 = 75, B = 0. Index: Q2 75.0; Q3 (30 000 × 75) / 40 000 = 56.3.
    """
    actor = security_officer.user
    q2 = rated_assessment(
        organisation, framework, Q2, {"R1": 2, "R2": 2, "R3": 1, "R4": 0}, actor, (paris(5, 4), paris(5, 20))
    )
    q3 = rated_assessment(
        organisation, framework, Q3, {"R1": 4, "R2": 3, "R3": 1, "R4": None}, actor, (paris(8, 3), paris(8, 28))
    )
    past_incident(organisation, actor, paris(5, 12), significant=False, title="Panne du pare-feu")
    ransomware = past_incident(organisation, actor, paris(8, 10, 8), title="Rançongiciel")
    phishing = past_incident(organisation, actor, paris(9, 2, 14), significant=False, title="Hameçonnage")
    mail = past_component(
        organisation, actor, "Messagerie", exposure=4, criticality=4, cost=30_000, recorded_at=paris(5, 6)
    )
    finances = past_component(
        organisation, actor, "Finances", exposure=0, criticality=2, cost=10_000, recorded_at=paris(7, 15)
    )
    return {
        "q2": q2,
        "q3": q3,
        "ransomware": ransomware,
        "phishing": phishing,
        "mail": mail,
        "finances": finances,
        "actor": actor,
    }


def edit_everything_today(data: dict[str, Any], organisation: Organisation, past_component: Callable[..., Any]) -> None:
    """After the quarter: levels change, incidents are closed or re-qualified, the map changes."""
    actor = data["actor"]
    for ref, level in (("R1", 1), ("R4", 5)):
        item = data["q3"].items.get(requirement__ref=ref)
        controls_services.item_update(item=item, expected_version=item.version, actor=actor, current_level=level)
    close_incident(data["ransomware"], actor)
    incident_services.incident_update(
        incident=data["phishing"], actor=actor, significant="yes", significant_justification="Données exfiltrées."
    )
    dependency_services.component_update(component=data["mail"], actor=actor, exposure_override=0)
    dependency_services.component_delete(component=data["finances"], actor=actor)
    past_component(organisation, actor, "Parapheur", exposure=4, criticality=4, cost=50_000, recorded_at=None)


def measures(snapshot: dict[str, Any]) -> list[tuple[str, float, float, float | None]]:
    return [
        (row["point"], row["level"], row["percent"], row["previous_level"])
        for row in snapshot["maturity"]["by_measure"]
    ]


def test_figures_of_the_quarter(organisation: Organisation, known_quarters: dict[str, Any]) -> None:
    snapshot = build_snapshot(organisation, Q3, language="fr")

    maturity = snapshot["maturity"]
    assert (maturity["label"], maturity["status"]) == ("T3-2026", "in_progress")
    assert maturity["overall"] == Q3_OVERALL
    assert measures(snapshot) == Q3_BY_MEASURE
    assert [(gap["ref"], gap["current"], gap["target"], gap["weighted_gap"]) for gap in maturity["top_gaps"]] == [
        ("R4", 0, 3, 3),
        ("R3", 1, 3, 2),
    ]
    assert [(row["ref"], row["level"]) for row in maturity["requirements"]] == [
        ("R1", 4),
        ("R2", 3),
        ("R3", 1),
        ("R4", None),
    ]
    incidents = snapshot["incidents"]
    assert [(row["title"], row["significant"], row["status"]) for row in incidents["rows"]] == [
        ("Rançongiciel", "yes", "new"),
        ("Hameçonnage", "no", "new"),
    ]
    assert (incidents["stats"]["total"], incidents["stats"]["significant"]) == (2, 1)
    assert incidents["stats"]["by_status"] == {"new": 2}
    assert incidents["trend"] == Q3_TREND
    dependencies = snapshot["dependencies"]
    assert dependencies["index"] == 56.3
    assert dependencies["components"] == 2
    assert (dependencies["total_spend_eur"], dependencies["exposed_spend_eur"]) == (40_000.0, 30_000.0)
    assert dependencies["exposed_spend_share"] == 75.0
    assert [(item["name"], item["score"], item["exposure"]) for item in dependencies["top"]] == [("Messagerie", 75, 4)]
    assert snapshot["meta"]["as_of"] == "2026-09-30T23:59:59.999999+02:00"
    assert "members" not in snapshot


def test_previous_quarter_comparison_uses_the_state_at_the_end_of_the_previous_quarter(
    organisation: Organisation, known_quarters: dict[str, Any]
) -> None:
    snapshot = build_snapshot(organisation, Q3, language="fr")

    assert snapshot["maturity"]["previous"] == {"label": "T2-2026", "overall": Q2_OVERALL}
    assert [row[3] for row in measures(snapshot)] == [2.0, 2.0, 1.0, 0.0]
    assert snapshot["dependencies"]["previous_index"] == 75.0
    q2 = build_snapshot(organisation, Q2, language="fr")
    assert q2["maturity"]["overall"] == Q2_OVERALL
    assert q2["dependencies"]["index"] == 75.0
    assert (q2["incidents"]["stats"]["total"], q2["incidents"]["stats"]["significant"]) == (1, 0)


def test_report_generated_after_later_edits_still_shows_the_quarter(
    organisation: Organisation, known_quarters: dict[str, Any], past_component: Callable[..., Any]
) -> None:
    edit_everything_today(known_quarters, organisation, past_component)
    # The edits are real: today's data no longer looks like Q3's.
    assert dict(
        RequirementAssessment.objects.filter(assessment=known_quarters["q3"]).values_list(
            "requirement__ref", "current_level"
        )
    ) == {"R1": 1, "R2": 3, "R3": 1, "R4": 5}
    assert sorted(Incident.objects.values_list("title", "status", "significant")) == [
        ("Hameçonnage", "new", "yes"),
        ("Panne du pare-feu", "new", "no"),
        ("Rançongiciel", "closed", "yes"),
    ]
    assert sorted(Component.objects.values_list("name", "exposure_override")) == [("Messagerie", 0), ("Parapheur", 4)]
    report = services.report_request(
        organisation=organisation, period="2026-Q3", language="fr", actor=known_quarters["actor"], enqueue=False
    )

    report = services.report_generate(report_id=report.pk)

    snapshot = report.snapshot
    assert report.status == "done"
    assert snapshot["maturity"]["overall"] == Q3_OVERALL
    assert measures(snapshot) == Q3_BY_MEASURE
    stats = snapshot["incidents"]["stats"]
    assert (stats["total"], stats["significant"], stats["closed"], stats["by_status"]) == (2, 1, 0, {"new": 2})
    assert snapshot["incidents"]["trend"] == Q3_TREND
    assert (snapshot["dependencies"]["index"], snapshot["dependencies"]["components"]) == (56.3, 2)
    # "Finances" (E0), deleted today, and "Messagerie" still at E4; "Parapheur", added today, is not there.
    assert snapshot["dependencies"]["by_domain"][0]["exposure_counts"] == [1, 0, 0, 0, 1]
    assert snapshot["dependencies"]["previous_index"] == 75.0
    assert snapshot["meta"]["version"] == 1


def test_consolidated_snapshot_lists_each_member_commune(
    member_of: Callable[..., Membership],
    rated_assessment: Callable[..., Assessment],
    past_incident: Callable[..., Incident],
    past_component: Callable[..., Any],
) -> None:
    """An intercommunality (one incident) and two communes sharing their data with it: Amont rated 3
    everywhere, with nothing else; Aval with one significant incident and one component (score 75), never
    assessed. (A commune that does not share: tests/reports/test_consolidated_scope.py.)"""
    intercommunality = OrganisationFactory(name="Agglomération du Val", kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION)
    upstream = OrganisationFactory(name="Commune d'Amont", parent=intercommunality)
    downstream = OrganisationFactory(name="Commune d'Aval", parent=intercommunality)
    actor = member_of(intercommunality).user
    for commune in (upstream, downstream):
        dependency_services.sharing_set(organisation=commune, share_with_parent=True, actor=actor)
    rated_assessment(
        upstream,
        framework_with_requirements(4),
        Q3,
        dict.fromkeys(("R1", "R2", "R3", "R4"), 3),
        actor,
        (paris(8, 1), paris(8, 2)),
    )
    past_incident(intercommunality, actor, paris(7, 20), significant=False)
    past_incident(downstream, actor, paris(9, 1))
    past_component(downstream, actor, "Messagerie", exposure=4, criticality=4, cost=1_000, recorded_at=paris(7, 3))

    snapshot = build_snapshot(intercommunality, Q3, language="fr", consolidated=True)

    members = [
        (
            member["name"],
            member["shared"],
            member["maturity"],
            member["incidents"]["total"],
            member["incidents"]["significant"],
            member["dependency_index"],
        )
        for member in snapshot["members"]
    ]
    assert members == [
        (
            "Commune d'Amont",
            True,
            {"level": 3.0, "percent": 100.0, "target": 3.0, "assessed": 4, "applicable": 4},
            0,
            0,
            None,
        ),
        ("Commune d'Aval", True, None, 1, 1, 75.0),
    ]
    assert snapshot["meta"]["consolidated"] is True
    assert snapshot["maturity"] is None  # the intercommunality itself has no assessment
    assert (snapshot["incidents"]["stats"]["total"], snapshot["incidents"]["stats"]["significant"]) == (2, 1)
    assert snapshot["dependencies"]["index"] == 75.0


def test_incidents_belong_to_the_quarter_of_their_detection_in_paris_time(
    organisation: Organisation, security_officer: Membership, past_incident: Callable[..., Incident]
) -> None:
    """30 June 23:30 in Paris is still Q2, although 1 July 00:30 in Paris is 30 June 22:30 UTC."""
    actor = security_officer.user
    past_incident(organisation, actor, datetime.datetime(2026, 6, 30, 23, 30, tzinfo=PARIS), title="Fin juin")
    past_incident(organisation, actor, datetime.datetime(2026, 7, 1, 0, 30, tzinfo=PARIS), title="Début juillet")

    snapshot = build_snapshot(organisation, Q3, language="fr")

    assert [row["title"] for row in snapshot["incidents"]["rows"]] == ["Début juillet"]
    assert [(entry["quarter"], entry["total"]) for entry in snapshot["incidents"]["trend"][-2:]] == [
        ("2026-Q2", 1),
        ("2026-Q3", 1),
    ]


def test_progress_is_reported_in_steps(organisation: Organisation) -> None:
    steps: list[int] = []

    build_snapshot(organisation, Q3, language="en", progress=steps.append)

    assert steps == [10, 35, 50, 70, 85]


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        pytest.param(Quarter(2026, 3), "2026-09-30T23:59:59.999999+02:00", id="summer-time"),
        pytest.param(Quarter(2026, 4), "2026-12-31T23:59:59.999999+01:00", id="winter-time-year-end"),
        pytest.param(Quarter(2028, 1), "2028-03-31T23:59:59.999999+02:00", id="leap-year-after-spring-change"),
    ],
)
def test_quarter_end_moment_is_the_last_instant_in_paris(quarter: Quarter, expected: str) -> None:
    assert quarter_end_moment(quarter).isoformat() == expected
    assert quarter_end_moment(quarter) + datetime.timedelta(microseconds=1) == datetime.datetime.combine(
        quarter.next().start, datetime.time(), tzinfo=PARIS
    )
