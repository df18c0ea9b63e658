"""Reporting obligations through the API: created with the incident, filed, corrected, judged not required,
requested by the authority. The API stamps with the real clock, so times are built around ``now``; the
deadline arithmetic itself is pinned down by the worked cases of test_deadlines.py."""

import datetime

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Filing, Incident, Obligation, TimelineEntry
from nis2.clock import add_calendar_months
from tests.api_errors import error_fields, error_messages
from tests.incidents.api_calls import api_time, incident_url, obligation_url
from tests.incidents.factories import significant_incident
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _payload(organisation, now, **fields):
    return {
        "organisation": organisation.pk,
        "title": "Rançongiciel à la médiathèque",
        "category": "malicious-code",
        "subcategory": "infected-system",
        "severity": "critical",
        "detected_at": (now - 3 * HOUR).isoformat(),
        "aware_at": (now - 2 * HOUR).isoformat(),
        "significant": "yes",
        "significant_justification": "Prêts et inscriptions interrompus dans tout le réseau.",
        **fields,
    }


def _obligations(incident_id: int) -> dict[str, Obligation]:
    return {obligation.step: obligation for obligation in Obligation.objects.filter(incident_id=incident_id)}


def _incident(organisation, officer, now, *, aware_hours_ago: int, **fields) -> Incident:
    return significant_incident(
        organisation,
        actor=officer,
        detected_at=now - (aware_hours_ago + 1) * HOUR,
        aware_at=now - aware_hours_ago * HOUR,
        **fields,
    )


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


def test_intermediate_report_exists_when_the_authority_asks(officer_api, security_officer, organisation, now) -> None:
    # Recorded through the service: POST .../obligations/ answers 500 after creating it (bug reported).
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    requested_at, due_at = now - HOUR, now + 47 * HOUR

    services.obligation_request_intermediate(
        incident=incident,
        actor=security_officer.user,
        requested_at=requested_at,
        due_at=due_at,
        note="Demande du CERT-FR",
    )
    listed = officer_api.get(incident_url(incident, "obligations")).json()

    [intermediate] = [row for row in listed if row["step"] == "intermediate"]
    assert (
        api_time(intermediate["window_start"]),
        api_time(intermediate["due_at"]),
        api_time(intermediate["requested_at"]),
        intermediate["request_note"],
        intermediate["authority"],
        intermediate["status"],
    ) == (requested_at, due_at, requested_at, "Demande du CERT-FR", "anssi", "pending")
    assert incident.timeline.get(kind=TimelineEntry.Kind.COMMUNICATION).text == (
        "Intermediate report requested by ANSSI / CERT-FR."
    )
    services.incident_sync_obligations(incident=incident)
    assert Obligation.objects.filter(incident=incident, step="intermediate").count() == 1


def test_intermediate_report_due_before_the_request_is_refused(
    officer_api, security_officer, organisation, now
) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)

    response = officer_api.post(
        incident_url(incident, "obligations"),
        {"requested_at": (now - HOUR).isoformat(), "due_at": (now - 2 * HOUR).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == ["due_at"]
    assert not Obligation.objects.filter(incident=incident, step="intermediate").exists()


@pytest.mark.parametrize(
    ("detected_at", "message_part"),
    [
        pytest.param("2026-03-29T02:30", "does not exist in Europe/Paris", id="spring-gap"),
        pytest.param("2026-10-25T02:30", "happens twice in Europe/Paris", id="fall-back-overlap"),
    ],
)
def test_naive_times_that_do_not_exist_or_happen_twice_are_refused(
    officer_api, organisation, now, detected_at, message_part
) -> None:
    payload = _payload(organisation, now, detected_at=detected_at, aware_at=None, significant="unknown")

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["detected_at"]
    assert message_part in error_messages(response)[0]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("detected_at", "expected"),
    [
        pytest.param(
            "2026-03-29T02:30+01:00", datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC), id="gap-+01"
        ),
        pytest.param(
            "2026-10-25T02:30+02:00", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC), id="overlap-+02"
        ),
        pytest.param(
            "2026-10-25T02:30+01:00", datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC), id="overlap-+01"
        ),
        pytest.param("2026-11-20T10:00", datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), id="naive-winter"),
    ],
)
def test_explicit_offsets_are_accepted(officer_api, organisation, now, detected_at, expected) -> None:
    payload = _payload(organisation, now, detected_at=detected_at, aware_at=None, significant="unknown")

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 201, response.json()
    assert Incident.objects.get().detected_at == expected


def test_naive_filing_time_in_the_gap_is_refused(officer_api, security_officer, organisation) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    early_warning = _obligations(incident.pk)["early_warning"]

    response = officer_api.patch(obligation_url(early_warning), {"submitted_at": "2026-03-29T02:30"}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["submitted_at"]
    assert not Filing.objects.exists()


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
