"""Reporting-clock cases found while testing: corrections, breaches without awareness time,
intermediate requests through the API, and messages in the client's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import Obligation
from tests.incidents.factories import significant_incident

pytestmark = pytest.mark.django_db


def test_an_earlier_correction_does_not_make_a_late_report_on_time(organisation, security_officer) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation, detected_at=now - datetime.timedelta(hours=31), aware_at=now - datetime.timedelta(hours=30)
    )
    early_warning = incident.obligations.get(step="early_warning")  # due 6 hours ago
    services.obligation_file(
        obligation=early_warning,
        actor=security_officer.user,
        submitted_at=now - datetime.timedelta(hours=5),
        reference="A",
    )
    services.obligation_file(
        obligation=early_warning,
        actor=security_officer.user,
        submitted_at=now - datetime.timedelta(hours=7),
        reference="A-bis",
    )

    from incidents import selectors

    incident = selectors.incident_list(user=security_officer.user).get(pk=incident.pk)
    view = next(
        view for view in selectors.obligation_views(incident, now=now) if view.obligation.step == "early_warning"
    )
    assert view.status == "submitted_late"
    assert view.submitted_at == now - datetime.timedelta(hours=5)


def test_a_breach_without_awareness_time_starts_the_cnil_clock_at_detection(organisation, security_officer) -> None:
    detected = timezone.now() - datetime.timedelta(hours=2)
    incident = services.incident_create(
        organisation=organisation,
        actor=security_officer.user,
        title="Fichier d'usagers exposé",
        detected_at=detected,
        category="information-content-security",
        subcategory="data-leak",
        significant="no",
        personal_data_breach=True,
    )
    breach = Obligation.objects.get(incident=incident)
    assert (breach.step, breach.authority.code) == ("gdpr_breach", "cnil")
    assert breach.due_at == detected + datetime.timedelta(hours=72)


def test_an_intermediate_request_through_the_api_answers_201(organisation, officer_api) -> None:
    incident = significant_incident(organisation)
    now = timezone.now()
    response = officer_api.post(
        reverse("incident-obligations", kwargs={"pk": incident.pk}),
        {
            "requested_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "due_at": (now + datetime.timedelta(hours=47)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["step"] == "intermediate"
    assert response.json()["status"] == "pending"


def test_the_closing_refusal_speaks_the_clients_language(organisation, security_officer, api_client_for) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    services.incident_transition(incident=incident, status="resolved", actor=security_officer.user)
    url = reverse("incident-transition", kwargs={"pk": incident.pk})
    english = api_client_for(security_officer.user, language="en").post(url, {"status": "closed"}, format="json")
    assert "cannot be closed without a root cause" in english.json()["errors"][0]["message"]


def test_a_third_party_failure_names_the_failing_component_before_closing(organisation, security_officer) -> None:
    from tests.dependencies.factories import ComponentFactory

    incident = significant_incident(organisation, actor=security_officer.user)
    services.incident_transition(incident=incident, status="resolved", actor=security_officer.user)
    incident = services.incident_update(
        incident=incident,
        actor=security_officer.user,
        root_cause_category="third_party_failure",
        root_cause="Mise à jour défectueuse de l'éditeur.",
    )
    with pytest.raises(ValidationError) as refused:
        services.incident_transition(incident=incident, status="closed", actor=security_officer.user)
    assert refused.value.message_dict["status"] == [str(services.CLOSING_MESSAGES["third_party_component_missing"])]

    component = ComponentFactory(organisation=organisation)
    services.incident_update(incident=incident, actor=security_officer.user, root_cause_component=component)
    closed = services.incident_transition(incident=incident, status="closed", actor=security_officer.user)
    assert closed.status == "closed"


def test_components_of_another_organisation_cannot_be_linked(organisation, officer_api) -> None:
    from tests.dependencies.factories import ComponentFactory

    incident = significant_incident(organisation)
    stranger = ComponentFactory()
    response = officer_api.patch(
        reverse("incident-detail", kwargs={"pk": incident.pk}), {"affected_components": [stranger.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "affected_components"
    assert not incident.affected_components.exists()
