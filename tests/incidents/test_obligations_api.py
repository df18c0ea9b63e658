"""Reporting obligations through the API: created with the incident, their categories, and who may see and
file them. The API stamps with the real clock, so times are built around ``now``; the deadline arithmetic
itself is pinned down by the worked cases of test_deadlines.py."""

import pytest
from django.urls import reverse

from incidents.models import Filing, Incident, Obligation
from nis2.clock import add_calendar_months
from tests.api_errors import error_fields
from tests.incidents.api_calls import api_time, obligation_url
from tests.incidents.obligation_calls import HOUR, _incident, _obligations, _payload
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_significant_incident_owes_early_warning_notification_and_provisional_progress(
    officer_api, organisation, now
) -> None:
    """Still being handled: one month after the notification a progress report is due, and the final report
    has no date until the incident is resolved (Directive (EU) 2022/2555, Art. 23(4)(d)-(e))."""
    aware_at = now - 2 * HOUR

    response = officer_api.post(reverse("incident-list"), _payload(organisation, now), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    notification_due = aware_at + 72 * HOUR
    expected = {
        "early_warning": ("anssi", aware_at + 24 * HOUR, False, "pending"),
        "notification": ("anssi", notification_due, False, "pending"),
        "progress": ("anssi", add_calendar_months(notification_due, 1), True, "pending"),
        "final": ("anssi", None, True, "pending"),
    }
    assert {
        row["step"]: (row["authority"], api_time(row["due_at"]), row["provisional"], row["status"])
        for row in body["obligations"]
    } == expected
    assert {
        step: (obligation.authority.code, obligation.due_at, obligation.provisional, "pending")
        for step, obligation in _obligations(body["id"]).items()
    } == expected
    assert body["next_deadline"]["step"] == "early_warning"
    assert api_time(body["next_deadline"]["due_at"]) == aware_at + 24 * HOUR


def test_personal_data_breach_adds_the_cnil_report_even_when_not_significant(officer_api, organisation, now) -> None:
    aware_at = now - 2 * HOUR

    response = officer_api.post(
        reverse("incident-list"),
        _payload(
            organisation,
            now,
            significant="no",
            significant_justification="Une seule boîte aux lettres concernée.",
            personal_data_breach=True,
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    [gdpr] = Obligation.objects.filter(incident_id=response.json()["id"])
    assert (gdpr.step, gdpr.authority.code, gdpr.rule.code) == ("gdpr_breach", "cnil", "gdpr-breach")
    assert (gdpr.window_start, gdpr.due_at, gdpr.provisional) == (aware_at, aware_at + 72 * HOUR, False)


def test_incident_not_significant_owes_nothing(officer_api, organisation, now) -> None:
    response = officer_api.post(
        reverse("incident-list"),
        _payload(organisation, now, significant="no", significant_justification="Poste isolé, aucun service touché."),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["obligations"] == []
    assert response.json()["next_deadline"] is None


def test_exercise_is_left_out_of_the_statistics(officer_api, organisation, now) -> None:
    real = officer_api.post(reverse("incident-list"), _payload(organisation, now), format="json")
    drill = officer_api.post(
        reverse("incident-list"),
        _payload(organisation, now, title="Exercice de crise", is_exercise=True),
        format="json",
    )
    assert (real.status_code, drill.status_code) == (201, 201)

    stats = officer_api.get(reverse("incident-stats")).json()

    assert (stats["total"], stats["significant"], stats["by_category"]) == (1, 1, {"malicious-code": 1})
    assert Incident.objects.filter(is_exercise=True).count() == 1


@pytest.mark.parametrize(
    ("category", "subcategory", "field"),
    [
        pytest.param("malware", "", "category", id="not-an-rsit-class"),
        pytest.param("Malicious Code", "", "category", id="class-name-instead-of-tag"),
        pytest.param("malicious-code", "phishing", "subcategory", id="type-of-another-class"),
        pytest.param("malicious-code", "ransomware", "subcategory", id="unknown-type"),
    ],
)
def test_category_must_be_an_rsit_class_and_type(officer_api, organisation, now, category, subcategory, field) -> None:
    payload = _payload(organisation, now, category=category, subcategory=subcategory)

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 400
    assert error_fields(response) == [field]
    assert not Incident.objects.exists()
    assert not Obligation.objects.exists()


def test_rsit_class_with_its_own_type_is_accepted(officer_api, organisation, now) -> None:
    payload = _payload(organisation, now, category="fraud", subcategory="phishing")

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 201, response.json()
    assert (response.json()["category"], response.json()["subcategory"]) == ("fraud", "phishing")


def test_executive_cannot_file(api_client_for, member_of, security_officer, organisation, now) -> None:
    executive = member_of(organisation, "executive")
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    early_warning = _obligations(incident.pk)["early_warning"]

    response = api_client_for(executive.user).patch(
        obligation_url(early_warning), {"submitted_at": (now - HOUR).isoformat()}, format="json"
    )

    assert response.status_code == 403
    assert not Filing.objects.exists()


def test_obligations_of_another_organisation_do_not_exist(api_client_for, member_of, organisation, now) -> None:
    stranger = member_of(OrganisationFactory(name="Commune voisine"), "security_officer")
    incident = _incident(organisation, None, now, aware_hours_ago=10)
    early_warning = _obligations(incident.pk)["early_warning"]

    response = api_client_for(stranger.user).patch(
        obligation_url(early_warning), {"submitted_at": (now - HOUR).isoformat()}, format="json"
    )

    assert response.status_code == 404
    assert not Filing.objects.exists()
