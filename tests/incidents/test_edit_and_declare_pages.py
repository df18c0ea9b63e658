"""Every incident form works, in French: the edit page (which answered 500 on GET and POST) offers every
fact a report draft asks for; the quick declaration shows the awareness-delay justification it may ask
for; filings carry the reasons for a delay; the API reads and writes the personal data breach facts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import drafts
from incidents.forms import DeclareForm, IncidentEditForm, RootCauseForm
from incidents.models import Filing, Incident, TimelineEntry
from nis2.clock import PARIS, UTC
from tests.dependencies.factories import ComponentFactory
from tests.incidents.api_calls import api_time, incident_url, obligation_url
from tests.incidents.factories import IncidentFactory, significant_incident
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BREACH_FIELDS = [
    "breach_aware_at",
    "breach_high_risk",
    "breach_nature",
    "data_subject_categories",
    "data_subjects_count",
    "record_categories",
    "records_count",
    "dpo_contact",
    "recipients_affected",
    "recipient_guidance",
]
JUSTIFICATION_NEEDED_FR = (
    "Plus de 24 heures se sont écoulées entre la détection et la prise de connaissance du caractère important : "
    "expliquez pourquoi."
)


def _edit_url(incident: Incident) -> str:
    return reverse("incident-edit", args=[incident.organisation_id, incident.pk])


def _field_error(html: str, field_id: str) -> str:
    """The error shown in the field's block of a form (incidents/_form_fields.html)."""
    match = re.search(
        rf'<label for="{field_id}">.*?<div class="form-error" role="alert">(.*?)</div></div>', html, re.DOTALL
    )
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _rows() -> dict[str, int]:
    return {
        "incidents": Incident.objects.count(),
        "incident history": Incident.history.count(),
        "timeline": TimelineEntry.objects.count(),
    }


# --- The edit page ------------------------------------------------------------------------------------

# Report items that are not facts of the incident's edit form: the organisation's profile, the status
# (transitions), the timeline, the filings (notification kind, reasons for a delay).
NOT_INCIDENT_FACTS = {"organisation", "siren", "nis2_status", "contact", "status", "recent_timeline"}
# Report items computed from an incident field of another name.
FED_BY = {
    "category": "subcategory",
    "likely_consequences": "personal_data_consequences",
    "recipient_actions": "recipient_guidance",
}


def test_the_edit_forms_offer_every_incident_fact_a_draft_asks_for() -> None:
    incident_fields = {field.name for field in Incident._meta.get_fields()}
    asked = {
        FED_BY.get(item.key, item.key)
        for items in drafts.STEP_ITEMS.values()
        for item in items
        if item.key not in NOT_INCIDENT_FACTS
    }
    offered = set(IncidentEditForm.base_fields) | set(RootCauseForm.base_fields)

    assert {name for name in asked if name in incident_fields} - offered == set()
    assert set(BREACH_FIELDS) <= set(IncidentEditForm.base_fields)
    assert {"affected_components", "awareness_delay_justification"} <= set(IncidentEditForm.base_fields)


@pytest.mark.usefixtures("french_catalogue")
def test_the_edit_page_opens_in_french_with_the_breach_facts(officer_client, organisation) -> None:
    incident = IncidentFactory(organisation=organisation, personal_data_breach=True, dpo_contact="dpo@ville.example")
    ComponentFactory(organisation=organisation, name="Messagerie de la mairie")
    ComponentFactory(organisation=OrganisationFactory(), name="Messagerie voisine")

    response = officer_client.get(_edit_url(incident))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Modifier l'incident</h1>" in html
    for label in [
        "Violation de données connue le",
        "Risque élevé pour les personnes concernées",
        "Nature de la violation de données à caractère personnel",
        "Catégories de personnes concernées",
        "Nombre approximatif de personnes concernées",
        "Catégories d&#x27;enregistrements de données à caractère personnel concernés",
        "Nombre approximatif d&#x27;enregistrements concernés",
        "Coordonnées du délégué à la protection des données",
        "Touche les usagers du service",
        "Ce que les usagers peuvent faire",
        "Composants touchés",
        "Pourquoi la prise de connaissance est intervenue plus de 24 h après la détection",
    ]:
        assert f">{label}</" in html, label
    assert 'value="dpo@ville.example"' in html
    assert "Messagerie de la mairie" in html
    assert "Messagerie voisine" not in html
    assert 'value="2026-10-05T09:00"' in html  # detection, on the Paris clock


def _edit_data(incident: Incident, **changes: object) -> dict[str, object]:
    return {
        "title": incident.title,
        "detected_at_0": "2026-10-05T09:00",
        "detected_at_1": "",
        "subcategory": incident.subcategory,
        "severity": incident.severity,
        "significant": incident.significant,
        "suspected_malicious": incident.suspected_malicious,
        "cross_border": incident.cross_border,
        "breach_high_risk": incident.breach_high_risk,
        **changes,
    }


@pytest.mark.usefixtures("french_catalogue")
def test_editing_the_breach_facts_and_the_affected_components(officer_client, organisation, security_officer) -> None:
    incident = IncidentFactory(organisation=organisation)
    component = ComponentFactory(organisation=organisation)

    response = officer_client.post(
        _edit_url(incident),
        _edit_data(
            incident,
            title="Fuite du fichier des usagers",
            personal_data_breach="on",
            breach_aware_at_0="2026-10-05T15:30",
            breach_high_risk="yes",
            breach_nature="Confidentialité : fichier exposé sur Internet.",
            data_subject_categories="Usagers de la médiathèque",
            data_subjects_count="1200",
            record_categories="Identité, coordonnées",
            records_count="1500",
            dpo_contact="dpo@ville.example",
            recipients_affected="on",
            recipient_guidance="Changez votre mot de passe du portail famille.",
            affected_components=[component.pk],
        ),
    )

    assert response.status_code == 302, _field_errors(response)
    assert response["Location"] == reverse("incident-detail-page", args=[organisation.pk, incident.pk])
    incident.refresh_from_db()
    assert {name: getattr(incident, name) for name in ["title", *BREACH_FIELDS]} == {
        "title": "Fuite du fichier des usagers",
        "breach_aware_at": datetime.datetime(2026, 10, 5, 13, 30, tzinfo=UTC),
        "breach_high_risk": "yes",
        "breach_nature": "Confidentialité : fichier exposé sur Internet.",
        "data_subject_categories": "Usagers de la médiathèque",
        "data_subjects_count": 1200,
        "record_categories": "Identité, coordonnées",
        "records_count": 1500,
        "dpo_contact": "dpo@ville.example",
        "recipients_affected": True,
        "recipient_guidance": "Changez votre mot de passe du portail famille.",
    }
    assert list(incident.affected_components.all()) == [component]
    assert incident.history.latest().history_user == security_officer.user


def _field_errors(response) -> object:
    form = response.context["form"] if response.context else None
    return form.errors if form is not None else response.status_code


@pytest.mark.usefixtures("french_catalogue")
def test_a_late_awareness_without_justification_is_refused_on_its_field_of_the_edit_page(
    officer_client, organisation
) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    response = officer_client.post(
        _edit_url(incident), _edit_data(incident, significant="yes", aware_at_0="2026-10-07T09:00")
    )

    assert response.status_code == 200
    assert _field_error(response.content.decode(), "id_awareness_delay_justification") == JUSTIFICATION_NEEDED_FR
    assert _rows() == before


def test_the_edit_page_of_another_organisations_incident_does_not_exist(officer_client) -> None:
    stranger = IncidentFactory(organisation=OrganisationFactory())

    assert officer_client.get(_edit_url(stranger)).status_code == 404
    assert officer_client.post(_edit_url(stranger), _edit_data(stranger, title="Piraté")).status_code == 404


# --- The quick declaration ----------------------------------------------------------------------------


def _declaration(detected_at: datetime.datetime, **fields: str) -> dict[str, str]:
    return {
        "title": "Rançongiciel à la médiathèque",
        "detected_at_0": detected_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"),
        "detected_at_1": "",
        "subcategory": "infected-system",
        "severity": "critical",
        "significant": "yes",
        "aware_at_0": "",
        "aware_at_1": "",
        **fields,
    }


def test_the_declaration_form_offers_the_awareness_and_its_justification() -> None:
    names = list(DeclareForm.base_fields)

    assert names.index("aware_at") + 1 == names.index("awareness_delay_justification")


@pytest.mark.usefixtures("french_catalogue")
def test_declaring_a_significant_incident_detected_days_ago_asks_for_the_justification_on_its_field(
    officer_client, organisation
) -> None:
    before = _rows()

    response = officer_client.post(
        reverse("incident-declare", args=[organisation.pk]),
        _declaration(timezone.now() - datetime.timedelta(days=3)),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert _field_error(html, "id_awareness_delay_justification") == JUSTIFICATION_NEEDED_FR
    assert html.count('<div class="form-error" role="alert">') == 1
    assert _rows() == before


@pytest.mark.usefixtures("french_catalogue")
def test_declaring_it_with_the_justification_starts_the_clock_now(officer_client, organisation) -> None:
    detected = (timezone.now() - datetime.timedelta(days=3)).replace(second=0, microsecond=0)

    response = officer_client.post(
        reverse("incident-declare", args=[organisation.pk]),
        _declaration(detected, awareness_delay_justification="Le prestataire ne nous a alertés que ce matin."),
    )

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.detected_at == detected
    assert incident.awareness_delay_justification == "Le prestataire ne nous a alertés que ce matin."
    assert timezone.now() - incident.aware_at < datetime.timedelta(minutes=1)


@pytest.mark.usefixtures("french_catalogue")
def test_declaring_with_the_time_of_awareness(officer_client, organisation) -> None:
    detected = (timezone.now() - datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    aware = detected + datetime.timedelta(hours=30)

    response = officer_client.post(
        reverse("incident-declare", args=[organisation.pk]),
        _declaration(
            detected,
            aware_at_0=aware.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"),
            awareness_delay_justification="Analyse du prestataire reçue le lendemain.",
        ),
    )

    assert response.status_code == 302
    assert Incident.objects.get().aware_at == aware


# --- Filings carry the reasons for a delay ------------------------------------------------------------


@pytest.mark.usefixtures("french_catalogue")
def test_the_filing_form_records_the_reasons_for_the_delay(officer_client, organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)  # early warning due 6 Oct 10:00
    early_warning = incident.obligations.get(step="early_warning")
    page = officer_client.get(reverse("incident-detail-page", args=[organisation.pk, incident.pk]))
    assert ">Motifs du retard</label>" in page.content.decode()

    response = officer_client.post(
        reverse("obligation-file", args=[organisation.pk, incident.pk, early_warning.pk]),
        {
            "submitted_at_0": "2026-10-07T09:00",
            "reference": "CERT-FR-42",
            "channel": "portal",
            "delay_reason": "Messagerie chiffrée par l'attaquant.",
        },
    )

    assert response.status_code == 302
    assert Filing.objects.get().delay_reason == "Messagerie chiffrée par l'attaquant."


def test_the_api_records_and_returns_the_reasons_for_the_delay(organisation, officer_api) -> None:
    incident = significant_incident(organisation)
    early_warning = incident.obligations.get(step="early_warning")

    response = officer_api.patch(
        obligation_url(early_warning),
        {"submitted_at": "2026-10-07T09:00:00", "reference": "CERT-FR-42", "delay_reason": "Messagerie chiffrée."},
        format="json",
    )

    assert response.status_code == 200, response.content
    [filing] = response.json()["filings"]
    assert (filing["delay_reason"], filing["submitted_at"]) == ("Messagerie chiffrée.", "2026-10-07T09:00:00+02:00")
    assert Filing.objects.get().delay_reason == "Messagerie chiffrée."


# --- The API reads and writes the personal data breach facts ------------------------------------------


def test_the_api_writes_and_reads_the_breach_facts(organisation, officer_api) -> None:
    facts = {
        "breach_aware_at": "2026-11-20T15:30:00+01:00",
        "breach_high_risk": "yes",
        "breach_nature": "Confidentialité : fichier exposé sur Internet.",
        "data_subject_categories": "Usagers de la médiathèque",
        "data_subjects_count": 1200,
        "record_categories": "Identité, coordonnées",
        "records_count": 1500,
        "dpo_contact": "dpo@ville.example",
        "recipients_affected": True,
        "recipient_guidance": "Changez votre mot de passe du portail famille.",
    }

    created = officer_api.post(
        reverse("incident-list"),
        {
            "organisation": organisation.pk,
            "title": "Fuite du fichier des usagers",
            "detected_at": "2026-11-20T10:00:00",
            "category": "information-content-security",
            "subcategory": "data-leak",
            "personal_data_breach": True,
            **facts,
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    assert {name: created.json()[name] for name in BREACH_FIELDS} == facts
    incident = Incident.objects.get()
    assert incident.breach_aware_at == api_time(facts["breach_aware_at"])

    changed = officer_api.patch(incident_url(incident), {"records_count": 1800}, format="json")

    assert changed.status_code == 200, changed.content
    assert officer_api.get(incident_url(incident)).json()["records_count"] == 1800
