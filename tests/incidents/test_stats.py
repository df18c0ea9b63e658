"""Register statistics on a known data set, and query counts of the register (API list and web page)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import services
from incidents.models import Incident
from nis2.clock import PARIS
from tests.incidents.factories import IncidentFactory, significant_incident
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def paris(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _file(incident: Incident, step: str, at: datetime.datetime, actor) -> None:
    services.obligation_file(obligation=incident.obligations.get(step=step), actor=actor, submitted_at=at)


def _walk(incident: Incident, actor, *steps: tuple[str, datetime.datetime]) -> None:
    for status, at in steps:
        services.incident_transition(incident=incident, status=status, actor=actor, at=at)


@pytest.fixture
def register(organisation, security_officer) -> dict[str, Incident]:
    """Six real incidents of 2026, plus what the statistics must leave out.

    ==================  ============================  ========  ===========  =============  ============  ===========
    incident            category                      severity  significant  status         root cause    containment
    ==================  ============================  ========  ===========  =============  ============  ===========
    ransomware          malicious-code                critical  yes          closed         48 h          6 h
    data leak           information-content-security  high      yes          closed         24 h          12 h
    file server outage  availability                  medium    no           closed         undetermined  2 h
    mailbox compromise  intrusions                    high      unknown      investigating  unknown       —
    c2 beacon           malicious-code                low       no           new            12 h          —
    ddos                availability                  medium    no           resolved       72 h          3 h
    ==================  ============================  ========  ===========  =============  ============  ===========

    Root cause: hours from awareness (or detection) to identification; containment: hours from detection.
    Reports: ransomware — notification filed after 10 h (covers the early warning: 2 on time), final never
    filed (overdue); data leak — early warning and CNIL on time, notification one day late, final on time
    (3 on time, 1 late).
    """
    actor = security_officer.user
    ransomware = _closed_ransomware(organisation, actor)
    data_leak = _closed_data_leak(organisation, actor)
    outage, mailbox, beacon, ddos = _incidents_without_reports(organisation)
    _incidents_left_out(organisation)
    return {
        "ransomware": ransomware,
        "data_leak": data_leak,
        "outage": outage,
        "mailbox": mailbox,
        "beacon": beacon,
        "ddos": ddos,
    }


def _closed_ransomware(organisation, actor) -> Incident:
    """Notification filed after 10 h, final never filed; cause found in 48 h, contained in 6 h."""
    ransomware = significant_incident(organisation, actor=actor)  # detected 5 Oct 08:00, aware 10:00
    _file(ransomware, "notification", paris(10, 5, 20), actor)
    _walk(ransomware, actor, ("contained", paris(10, 5, 14)), ("resolved", paris(10, 20, 12)))
    services.incident_update(
        incident=ransomware,
        actor=actor,
        root_cause_category="malicious_action",
        root_cause="Accès VPN sans double authentification.",
        root_cause_identified_at=paris(10, 7, 10),
    )
    _walk(ransomware, actor, ("closed", paris(10, 25, 9)))

    return ransomware


def _closed_data_leak(organisation, actor) -> Incident:
    """Early warning and CNIL on time, notification one day late, final on time; cause found in 24 h."""
    data_leak = significant_incident(
        organisation,
        actor=actor,
        title="Fuite du fichier des abonnés de la médiathèque",
        category="information-content-security",
        subcategory="data-leak",
        severity="high",
        personal_data_breach=True,
        detected_at=paris(9, 1, 9),
        aware_at=paris(9, 1, 12),
    )
    _file(data_leak, "early_warning", paris(9, 2, 11), actor)
    _file(data_leak, "gdpr_breach", paris(9, 3, 12), actor)
    _file(data_leak, "notification", paris(9, 5, 12), actor)  # due 4 Sept 12:00
    _walk(data_leak, actor, ("contained", paris(9, 1, 21)), ("resolved", paris(9, 10, 18)))
    _file(data_leak, "final", paris(10, 1, 12), actor)  # due 5 Oct 12:00
    services.incident_update(
        incident=data_leak,
        actor=actor,
        root_cause_category="human_error",
        root_cause="Export public laissé sur le serveur web.",
        root_cause_identified_at=paris(9, 2, 12),
    )
    _walk(data_leak, actor, ("closed", paris(9, 15, 17)))

    return data_leak


def _incidents_without_reports(organisation) -> tuple[Incident, Incident, Incident, Incident]:
    """The file server outage, the mailbox compromise, the c2 beacon and the ddos, none significant yet."""
    common = {"organisation": organisation}
    outage = IncidentFactory(
        **common,
        title="Panne du serveur de fichiers",
        category="availability",
        subcategory="outage",
        severity="medium",
        significant="no",
        detected_at=paris(6, 10, 8),
        contained_at=paris(6, 10, 10),
        resolved_at=paris(6, 10, 16),
        closed_at=paris(6, 20, 9),
        status="closed",
        root_cause_category="undetermined",
        undetermined_justification="Contrôleur RAID remplacé avant analyse.",
    )
    mailbox = IncidentFactory(
        **common,
        title="Compte de messagerie compromis",
        category="intrusions",
        subcategory="unprivileged-account-compromise",
        severity="high",
        significant="unknown",
        detected_at=paris(10, 1, 8),
        aware_at=paris(10, 1, 9),  # the cause is still unknown more than 30 days later
        status="investigating",
    )
    beacon = IncidentFactory(
        **common,
        title="Poste en lien avec un serveur de commande",
        category="malicious-code",
        subcategory="c2-server",
        severity="low",
        significant="no",
        detected_at=paris(11, 2, 8),
        status="new",
        root_cause_category="malicious_action",
        root_cause="Pièce jointe piégée ouverte.",
        root_cause_identified_at=paris(11, 2, 20),
    )
    ddos = IncidentFactory(
        **common,
        title="Déni de service sur le portail citoyen",
        category="availability",
        subcategory="ddos",
        severity="medium",
        significant="no",
        detected_at=paris(7, 14, 10),
        contained_at=paris(7, 14, 13),
        resolved_at=paris(7, 14, 18),
        status="resolved",
        root_cause_category="third_party_failure",
        root_cause="Protection anti-DDoS de l'hébergeur désactivée.",
        root_cause_identified_at=paris(7, 17, 10),
    )
    return outage, mailbox, beacon, ddos


def _incidents_left_out(organisation) -> None:
    """What the statistics must leave out."""
    common = {"organisation": organisation}
    # An exercise, an incident of 31 December 2025 (Paris time), another organisation's.
    significant_incident(organisation, title="Exercice de crise cyber", is_exercise=True)
    IncidentFactory(**common, title="Réveillon", detected_at=paris(12, 31, 23, 59, year=2025), category="fraud")
    IncidentFactory(organisation=OrganisationFactory(), detected_at=paris(5, 1, 9), category="fraud")


def test_statistics_of_a_known_register(officer_api, register) -> None:
    response = officer_api.get(reverse("incident-stats"), {"from": "2026-01-01", "to": "2027-01-01"})

    assert response.status_code == 200
    assert response.json() == {
        "total": 6,
        "by_category": {"malicious-code": 2, "information-content-security": 1, "availability": 2, "intrusions": 1},
        "by_severity": {"critical": 1, "high": 2, "medium": 2, "low": 1},
        "by_status": {"closed": 3, "investigating": 1, "new": 1, "resolved": 1},
        "significant": 2,
        "closed": 3,
        "closed_with_root_cause": 2,
        "root_cause_identified_share": 66.7,
        # The mailbox compromise, and the outage closed with an undetermined cause.
        "unknown_cause_after_30_days": 2,
        "median_hours_to_root_cause": 36.0,  # 12, 24, 48, 72
        "median_hours_to_containment": 4.5,  # 2, 3, 6, 12
        "obligations_on_time": 5,
        "obligations_late": 1,
        "obligations_overdue": 1,
    }


@pytest.mark.parametrize(
    ("period", "expected_total"),
    [
        pytest.param({"from": "2026-09-01", "to": "2026-10-01"}, 1, id="september"),
        pytest.param({"from": "2026-10-01"}, 4, id="from-october"),
        pytest.param({"to": "2026-01-01"}, 1, id="before-2026-the-new-year-eve"),
        pytest.param({}, 8, id="everything"),
    ],
)
def test_statistics_period_is_in_paris_days(officer_api, organisation, register, period, expected_total) -> None:
    # 1 October 00:30 in Paris is still 30 September in UTC: it belongs to October.
    IncidentFactory(organisation=organisation, detected_at=paris(10, 1, 0, 30), category="fraud")

    response = officer_api.get(reverse("incident-stats"), period)

    assert response.status_code == 200
    assert response.json()["total"] == expected_total


def test_statistics_period_must_be_dates(officer_api, register) -> None:
    response = officer_api.get(reverse("incident-stats"), {"from": "01/01/2026"})

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["from"]


def test_statistics_of_an_empty_register(officer_api) -> None:
    body = officer_api.get(reverse("incident-stats")).json()

    assert (body["total"], body["root_cause_identified_share"], body["median_hours_to_root_cause"]) == (0, None, None)


# --- Query counts ---------------------------------------------------------------------------------


def _incidents_with_reports(organisation, actor, count: int) -> None:
    """``count`` significant incidents, each with its reports and two filings (one a correction)."""
    for index in range(count):
        incident = significant_incident(organisation, actor=actor, title=f"Incident {index}")
        notification = incident.obligations.get(step="notification")
        for hours in (10, 11):
            services.obligation_file(
                obligation=notification, actor=actor, submitted_at=paris(10, 5, 10) + datetime.timedelta(hours=hours)
            )


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_incident_list_queries_do_not_grow_with_the_register(
    officer_api, organisation, security_officer, django_assert_max_num_queries
) -> None:
    _incidents_with_reports(organisation, security_officer.user, 3)
    few = _count_queries(officer_api, reverse("incident-list"))
    _incidents_with_reports(organisation, security_officer.user, 27)

    with django_assert_max_num_queries(few):
        response = officer_api.get(reverse("incident-list"))

    assert response.json()["count"] == 30
    # Still being handled a month after the notification: a progress report is owed, and overdue.
    assert {(row["next_deadline"]["step"], row["next_deadline"]["status"]) for row in response.json()["results"]} == {
        ("progress", "overdue")
    }


def test_register_page_queries_do_not_grow_with_the_register(
    client, organisation, security_officer, django_assert_max_num_queries
) -> None:
    client.force_login(security_officer.user)
    url = reverse("incident-register", args=[organisation.pk])
    _incidents_with_reports(organisation, security_officer.user, 3)
    few = _count_queries(client, url)
    _incidents_with_reports(organisation, security_officer.user, 27)

    with django_assert_max_num_queries(few):
        response = client.get(url)

    assert response.content.decode().count('<tr class="row-alert">') == 30  # each owes an overdue progress report


def test_statistics_queries_do_not_grow_with_the_register(
    officer_api, organisation, security_officer, django_assert_max_num_queries
) -> None:
    _incidents_with_reports(organisation, security_officer.user, 3)
    few = _count_queries(officer_api, reverse("incident-stats"))
    _incidents_with_reports(organisation, security_officer.user, 27)

    with django_assert_max_num_queries(few):
        response = officer_api.get(reverse("incident-stats"))

    assert response.json()["total"] == 30
