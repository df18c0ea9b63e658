"""Reporting obligations through the API: filed, corrected, filed late, judged not required."""

import datetime

import pytest

from incidents.models import Filing, TimelineEntry
from nis2.clock import add_calendar_months
from tests.api_errors import error_fields
from tests.incidents.api_calls import api_time, incident_url, obligation_url
from tests.incidents.obligation_calls import HOUR, _incident, _obligations

pytestmark = pytest.mark.django_db


def test_filing_records_a_submission(officer_api, security_officer, organisation, now) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    early_warning = _obligations(incident.pk)["early_warning"]
    submitted_at = now - HOUR

    response = officer_api.patch(
        obligation_url(early_warning),
        {"submitted_at": submitted_at.isoformat(), "reference": "CERT-FR-2026-0042"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], api_time(body["submitted_at"]), body["reference"], body["satisfied_by"]) == (
        "submitted",
        submitted_at,
        "CERT-FR-2026-0042",
        None,
    )
    [filing] = body["filings"]
    assert (filing["channel"], filing["filed_by"], filing["supersedes"]) == ("portal", "rssi", None)
    entry = incident.timeline.get(kind=TimelineEntry.Kind.FILING)
    assert (entry.occurred_at, entry.text) == (
        submitted_at,
        "Early warning filed with ANSSI / CERT-FR (reference CERT-FR-2026-0042).",
    )


def test_second_filing_is_a_correction_that_supersedes_the_first(
    officer_api, security_officer, organisation, now
) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    early_warning = _obligations(incident.pk)["early_warning"]
    officer_api.patch(
        obligation_url(early_warning),
        {"submitted_at": (now - 2 * HOUR).isoformat(), "reference": "CERT-FR-2026-0042"},
        format="json",
    )

    response = officer_api.patch(
        obligation_url(early_warning),
        {"submitted_at": (now - HOUR).isoformat(), "reference": "CERT-FR-2026-0042-bis", "channel": "email"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    first, correction = Filing.objects.filter(obligation=early_warning).order_by("pk")
    assert correction.supersedes == first
    assert [(row["id"], row["supersedes"]) for row in body["filings"]] == [(first.pk, None), (correction.pk, first.pk)]
    assert (body["status"], api_time(body["submitted_at"]), body["reference"]) == (
        "submitted",
        now - 2 * HOUR,
        "CERT-FR-2026-0042-bis",
    )
    assert list(
        incident.timeline.filter(kind=TimelineEntry.Kind.FILING).order_by("pk").values_list("text", flat=True)
    ) == [
        "Early warning filed with ANSSI / CERT-FR (reference CERT-FR-2026-0042).",
        "Correction: Early warning filed with ANSSI / CERT-FR (reference CERT-FR-2026-0042-bis).",
    ]


def test_late_filing_stays_late_after_a_correction(officer_api, security_officer, organisation, now) -> None:
    """The early warning was due 6 h ago; filed 5 h ago it is late, and a correction does not change that."""
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=30)
    early_warning = _obligations(incident.pk)["early_warning"]
    first = officer_api.patch(
        obligation_url(early_warning), {"submitted_at": (now - 5 * HOUR).isoformat()}, format="json"
    )
    assert first.json()["status"] == "submitted_late"

    corrected = officer_api.patch(
        obligation_url(early_warning),
        {"submitted_at": (now - 4 * HOUR).isoformat(), "reference": "CERT-FR-2026-0043"},
        format="json",
    )

    assert corrected.status_code == 200, corrected.json()
    assert (corrected.json()["status"], api_time(corrected.json()["submitted_at"])) == (
        "submitted_late",
        now - 5 * HOUR,
    )


def test_notification_filed_first_also_satisfies_the_early_warning(
    officer_api, security_officer, organisation, now
) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    notification = _obligations(incident.pk)["notification"]
    submitted_at = now - HOUR

    response = officer_api.patch(
        obligation_url(notification), {"submitted_at": submitted_at.isoformat()}, format="json"
    )

    assert response.status_code == 200, response.json()
    listed = {row["step"]: row for row in officer_api.get(incident_url(incident, "obligations")).json()}
    assert (
        listed["early_warning"]["status"],
        listed["early_warning"]["satisfied_by"],
        api_time(listed["early_warning"]["submitted_at"]),
        listed["early_warning"]["filings"],
    ) == ("submitted", "notification", submitted_at, [])
    assert (listed["notification"]["status"], listed["notification"]["satisfied_by"]) == ("submitted", None)
    progress = _obligations(incident.pk)["progress"]
    assert (progress.window_start, progress.due_at, progress.provisional) == (
        submitted_at,
        add_calendar_months(submitted_at, 1),
        False,
    )
    assert listed["progress"]["provisional"] is False


def test_not_required_needs_a_rationale(officer_api, security_officer, organisation, now) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10, personal_data_breach=True)
    gdpr = _obligations(incident.pk)["gdpr_breach"]
    entries_before = incident.timeline.count()

    response = officer_api.patch(obligation_url(gdpr), {"not_required": True}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["not_required_rationale"]
    gdpr.refresh_from_db()
    assert (gdpr.not_required, gdpr.not_required_rationale, gdpr.decided_by, gdpr.decided_at) == (False, "", None, None)
    assert incident.timeline.count() == entries_before


def test_not_required_with_a_rationale_records_who_decided(officer_api, security_officer, organisation, now) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10, personal_data_breach=True)
    gdpr = _obligations(incident.pk)["gdpr_breach"]
    rationale = "Données chiffrées, clé non compromise : risque improbable (RGPD art. 33(1))."

    response = officer_api.patch(
        obligation_url(gdpr), {"not_required": True, "not_required_rationale": rationale}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["not_required_rationale"]) == ("not_required", rationale)
    gdpr.refresh_from_db()
    assert (gdpr.not_required, gdpr.decided_by) == (True, security_officer.user)
    assert now <= gdpr.decided_at <= now + datetime.timedelta(minutes=1)
    assert incident.timeline.filter(kind=TimelineEntry.Kind.DECISION).get().text == (
        f"Personal data breach notification (CNIL) judged not required: {rationale}"
    )


def test_filing_and_not_required_together_are_refused(officer_api, security_officer, organisation, now) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    early_warning = _obligations(incident.pk)["early_warning"]

    response = officer_api.patch(
        obligation_url(early_warning),
        {"not_required": True, "not_required_rationale": "Sans objet", "submitted_at": now.isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == ["not_required"]
    assert not Filing.objects.exists()
    early_warning.refresh_from_db()
    assert early_warning.not_required is False
