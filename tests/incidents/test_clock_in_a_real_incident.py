"""The reporting clock through a real incident (issue 11): it always exists, it asks for the report that is
due when it is due, and the GDPR clock runs from its own event. Each test reproduces a defect first seen in use."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import Filing, Incident, Obligation, ReminderSent, Step, TimelineEntry
from incidents.reminders import send_due_reminders
from nis2.clock import PARIS, add_calendar_months
from tests.api_errors import error_fields
from tests.incidents.api_calls import api_time, incident_url
from tests.incidents.factories import significant_incident

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _steps(incident: Incident) -> dict[str, Obligation]:
    return {obligation.step: obligation for obligation in Obligation.objects.filter(incident=incident)}


def _payload(organisation, now, **fields):
    return {
        "organisation": organisation.pk,
        "title": "Rançongiciel à la médiathèque",
        "category": "malicious-code",
        "subcategory": "infected-system",
        "severity": "critical",
        "detected_at": (now - 3 * HOUR).isoformat(),
        **fields,
    }


# 1. No clock at all ------------------------------------------------------------------------------


def test_significant_through_the_api_without_awareness_starts_the_clock_at_the_verdict(
    officer_api, organisation, security_officer
) -> None:
    before = timezone.now()
    response = officer_api.post(
        reverse("incident-list"),
        _payload(organisation, before, significant="yes", significant_justification="Services coupés."),
        format="json",
    )

    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert before <= incident.aware_at <= timezone.now()
    assert set(_steps(incident)) == {"early_warning", "notification", "progress", "final"}
    assert _steps(incident)["early_warning"].due_at == incident.aware_at + 24 * HOUR
    note = incident.timeline.get(kind=TimelineEntry.Kind.NOTE)
    assert note.author == security_officer.user
    assert "the NIS 2 clock starts now" in note.text


def test_significant_set_later_through_the_api_starts_the_clock_then(
    officer_api, organisation, security_officer
) -> None:
    now = timezone.now()
    created = officer_api.post(reverse("incident-list"), _payload(organisation, now), format="json")
    incident = Incident.objects.get(pk=created.json()["id"])
    assert not Obligation.objects.filter(incident=incident).exists()

    response = officer_api.patch(
        incident_url(incident), {"significant": "yes", "significant_justification": "Usagers privés."}, format="json"
    )

    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert incident.aware_at is not None
    assert {row["step"] for row in response.json()["obligations"]} == {
        "early_warning",
        "notification",
        "progress",
        "final",
    }


def test_a_late_verdict_needs_the_awareness_delay_explained(officer_api, organisation) -> None:
    """Detected three days ago, judged significant now: more than 24 h between detection and awareness."""
    now = timezone.now()
    created = officer_api.post(
        reverse("incident-list"), _payload(organisation, now, detected_at=(now - 72 * HOUR).isoformat()), format="json"
    )
    incident = Incident.objects.get(pk=created.json()["id"])

    refused = officer_api.patch(incident_url(incident), {"significant": "yes"}, format="json")

    assert refused.status_code == 400
    assert error_fields(refused) == ["awareness_delay_justification"]
    incident.refresh_from_db()
    assert (incident.significant, incident.aware_at) == ("unknown", None)
    accepted = officer_api.patch(
        incident_url(incident),
        {"significant": "yes", "awareness_delay_justification": "L'ampleur n'est apparue qu'avec l'analyse."},
        format="json",
    )
    assert accepted.status_code == 200, accepted.json()


# 2. Progress vs final report -------------------------------------------------------------------------


def test_one_month_after_the_notification_an_ongoing_incident_owes_a_progress_report(
    security_officer, organisation
) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 40 * 24 * HOUR, aware_at=now - 40 * 24 * HOUR
    )
    steps = _steps(incident)
    services.obligation_file(
        obligation=steps["notification"], actor=security_officer.user, submitted_at=now - 38 * 24 * HOUR
    )
    steps = _steps(incident)
    assert steps["progress"].due_at == add_calendar_months(now - 38 * 24 * HOUR, 1)
    assert steps["final"].due_at is None

    # When the security officer files "the final report" while the incident is still handled
    filing = services.obligation_file(obligation=steps["final"], actor=security_officer.user, submitted_at=now - HOUR)

    # Then it is recorded as the progress report, which was the report due
    assert filing.obligation.step == Step.PROGRESS
    assert not Filing.objects.filter(obligation__step=Step.FINAL).exists()
    # and once resolved, the final report is due one calendar month after the end of handling
    resolved = services.incident_transition(
        incident=incident, status="resolved", actor=security_officer.user, at=now - 2 * HOUR
    )
    assert _steps(resolved)["final"].due_at == add_calendar_months(now - 2 * HOUR, 1)


def test_a_second_final_report_while_still_handled_is_refused(security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 5 * HOUR, aware_at=now - 4 * HOUR
    )
    services.obligation_file(obligation=_steps(incident)["final"], actor=security_officer.user, submitted_at=now)

    with pytest.raises(ValidationError) as refused:
        services.obligation_file(obligation=_steps(incident)["final"], actor=security_officer.user, submitted_at=now)

    assert list(refused.value.message_dict) == ["obligation"]
    assert Filing.objects.count() == 1


def test_reopening_clears_the_first_resolution(security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 5 * HOUR, aware_at=now - 4 * HOUR
    )
    incident = services.incident_transition(
        incident=incident, status="resolved", actor=security_officer.user, at=now - 3 * HOUR
    )
    assert _steps(incident)["final"].due_at is not None
    assert "progress" not in _steps(incident)

    incident = services.incident_transition(incident=incident, status="investigating", actor=security_officer.user)

    assert incident.resolved_at is None
    assert _steps(incident)["final"].due_at is None
    assert _steps(incident)["progress"].due_at is not None
    incident = services.incident_transition(
        incident=incident, status="resolved", actor=security_officer.user, at=now - HOUR
    )
    assert incident.resolved_at == now - HOUR


def test_the_obligations_api_lists_progress_and_an_open_final(officer_api, security_officer, organisation) -> None:
    now = timezone.now().replace(microsecond=0)
    incident = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 5 * HOUR, aware_at=now - 4 * HOUR
    )

    rows = {row["step"]: row for row in officer_api.get(incident_url(incident, "obligations")).json()}

    assert (rows["final"]["due_at"], rows["final"]["status"]) == (None, "pending")
    assert api_time(rows["progress"]["due_at"]) == add_calendar_months(now - 4 * HOUR + 72 * HOUR, 1)


# Reminders: once per step and due date --------------------------------------------------------------


def test_a_moved_due_date_is_reminded_again(security_officer, organisation, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    aware_at = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=PARIS)
    incident = significant_incident(organisation, actor=security_officer.user, detected_at=aware_at, aware_at=aware_at)
    overdue_at = aware_at + 24 * HOUR + HOUR
    assert send_due_reminders(now=overdue_at) >= 1
    early_warning = _steps(incident)["early_warning"]
    assert early_warning.reminders.filter(threshold=100, due_at=early_warning.due_at).count() == 1
    assert send_due_reminders(now=overdue_at) == 0  # exactly once

    # When the awareness time is corrected one day later, the early warning's deadline moves
    services.incident_update(
        incident=incident,
        actor=security_officer.user,
        aware_at=aware_at + 24 * HOUR,
        awareness_delay_justification="Heure corrigée après analyse des journaux.",
    )
    moved = Obligation.objects.get(pk=early_warning.pk)
    assert moved.due_at == early_warning.due_at + 24 * HOUR

    # Then the new deadline is a new reminder
    assert send_due_reminders(now=moved.due_at + HOUR) >= 1
    assert ReminderSent.objects.filter(obligation=moved, threshold=100).count() == 2


# 3. GDPR clock from its own event -------------------------------------------------------------------


def test_personal_data_found_on_day_8_starts_the_cnil_clock_on_day_8(security_officer, organisation) -> None:
    now = timezone.now()
    day_1 = now - 8 * 24 * HOUR
    incident = significant_incident(organisation, actor=security_officer.user, detected_at=day_1, aware_at=day_1)
    found = now - HOUR

    incident = services.incident_update(
        incident=incident, actor=security_officer.user, personal_data_breach=True, breach_aware_at=found
    )

    assert _steps(incident)["gdpr_breach"].due_at == found + 72 * HOUR
    assert _steps(incident)["early_warning"].due_at == day_1 + 24 * HOUR


def test_a_breach_without_its_own_time_is_known_from_the_significance(security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        detected_at=now - 5 * HOUR,
        aware_at=now - 4 * HOUR,
        personal_data_breach=True,
    )

    assert incident.breach_aware_at == now - 4 * HOUR
    assert _steps(incident)["gdpr_breach"].due_at == now - 4 * HOUR + 72 * HOUR


def test_a_late_cnil_notification_states_its_reasons(security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        detected_at=now - 100 * HOUR,
        aware_at=now - 99 * HOUR,
        personal_data_breach=True,
        breach_aware_at=now - 90 * HOUR,
    )
    gdpr = _steps(incident)["gdpr_breach"]

    with pytest.raises(ValidationError) as refused:
        services.obligation_file(obligation=gdpr, actor=security_officer.user, submitted_at=now - HOUR)
    assert list(refused.value.message_dict) == ["delay_reason"]
    assert not Filing.objects.exists()

    filing = services.obligation_file(
        obligation=gdpr,
        actor=security_officer.user,
        submitted_at=now - HOUR,
        delay_reason="Étendue de la fuite établie seulement après l'expertise du prestataire.",
    )
    assert filing.delay_reason.startswith("Étendue")


def test_a_high_risk_opens_the_communication_to_the_people_concerned(security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        detected_at=now - 5 * HOUR,
        aware_at=now - 4 * HOUR,
        personal_data_breach=True,
        breach_aware_at=now - 3 * HOUR,
        breach_high_risk="yes",
        recipients_affected=True,
    )

    steps = _steps(incident)
    assert steps["gdpr_data_subjects"].due_at == now - 3 * HOUR
    assert steps["gdpr_data_subjects"].authority.code == "data-subjects"
    assert steps["recipients"].due_at == now - 4 * HOUR
    from incidents import selectors

    statuses = {
        view.obligation.step: view.status for view in selectors.obligation_views(incident, now=now + 1000 * HOUR)
    }
    assert statuses["gdpr_data_subjects"] == "due_now"  # never "overdue": no fixed hour, due until done
    assert statuses["recipients"] == "due_now"
    services.obligation_mark_not_required(
        obligation=steps["gdpr_data_subjects"],
        actor=security_officer.user,
        rationale="Données chiffrées, clé non compromise (art. 34, § 3, a).",
    )
    statuses = {view.obligation.step: view.status for view in selectors.obligation_views(incident, now=now)}
    assert statuses["gdpr_data_subjects"] == "not_required"


def test_a_report_due_without_undue_delay_is_reminded_once(
    security_officer, organisation, settings, django_capture_on_commit_callbacks, french_catalogue
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = timezone.now()
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        detected_at=now - 5 * HOUR,
        aware_at=now - 4 * HOUR,
        recipients_affected=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=now)
        send_due_reminders(now=now + 10 * HOUR)

    recipients = _steps(incident)["recipients"]
    assert recipients.reminders.count() == 1
    subjects = [message.subject for message in mail.outbox if "Usagers" in message.body or "usagers" in message.subject]
    assert len(subjects) == 1
    assert subjects[0].startswith("À FAIRE SANS TARDER : Information des usagers")


def test_a_resolution_dated_in_the_future_is_refused(officer_api, security_officer, organisation) -> None:
    now = timezone.now()
    incident = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 5 * HOUR, aware_at=now - 4 * HOUR
    )

    response = officer_api.post(
        incident_url(incident, "transition"), {"status": "resolved", "at": (now + 2 * HOUR).isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == ["at"]
    incident.refresh_from_db()
    assert (incident.status, incident.resolved_at) == ("new", None)
    resolved = officer_api.post(
        incident_url(incident, "transition"), {"status": "resolved", "at": (now - HOUR).isoformat()}, format="json"
    )
    assert resolved.status_code == 200, resolved.json()
    incident.refresh_from_db()
    assert abs(incident.resolved_at - (now - HOUR)) < datetime.timedelta(seconds=1)  # the API keeps whole seconds


def test_the_reasons_for_a_late_cnil_notification_can_be_prepared_with_the_draft(
    security_officer, organisation
) -> None:
    from incidents import draft_selectors

    now = timezone.now()
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        detected_at=now - 100 * HOUR,
        aware_at=now - 99 * HOUR,
        personal_data_breach=True,
        breach_aware_at=now - 90 * HOUR,
    )
    missing = draft_selectors.incident_draft(incident, "gdpr_breach", now=now).as_json()["missing"]
    assert "Reasons for the delay" in missing

    incident = services.incident_update(
        incident=incident, actor=security_officer.user, breach_delay_reason="Expertise du prestataire attendue."
    )

    assert (
        "Reasons for the delay"
        not in draft_selectors.incident_draft(incident, "gdpr_breach", now=now).as_json()["missing"]
    )
    filing = services.obligation_file(
        obligation=_steps(incident)["gdpr_breach"], actor=security_officer.user, submitted_at=now - HOUR
    )
    assert filing.delay_reason == "Expertise du prestataire attendue."
