"""Report drafts render any text: long descriptions and analyses flow across as many pages as they need
(a table cell cannot split across pages, so one long value used to answer 500)."""

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Incident
from tests.incidents.factories import significant_incident
from tests.reports.pdf_text import one_line, pdf_pages

pytestmark = pytest.mark.django_db

SENTENCES = [
    "Le serveur de fichiers de la mairie a été chiffré à 3 h 12 ; l'école & la crèche n'ont plus d'accès.",
    "Les agents ont isolé le réseau <b>sans attendre</b>, puis prévenu le CSIRT régional.",
    "Un courriel piégé reçu par le service de l'état civil semble être à l'origine de l'intrusion.",
]


def long_text(characters: int, label: str) -> str:
    """Numbered French sentences, in paragraphs, some separated by a blank line: every sentence differs,
    so the comparison also checks that nothing is repeated, lost or reordered."""
    lines, number = [], 0
    while sum(len(line) + 1 for line in lines) < characters:
        number += 1
        sentence = f"{label} {number} : {SENTENCES[number % len(SENTENCES)]}"
        lines.append(sentence + ("\n" if number % 7 == 0 else ""))
    return "\n".join(lines)[:characters]


@pytest.fixture
def incident(organisation, security_officer) -> Incident:
    incident = significant_incident(organisation, actor=security_officer.user, title="Rançongiciel à la mairie")
    return services.incident_update(
        incident=incident,
        actor=security_officer.user,
        description=long_text(50_000, "Description"),
        mitigation=long_text(50_000, "Mesure"),
        root_cause_category="malicious_action",
        root_cause=long_text(50_000, "Analyse"),
    )


def _draft_pdf(client, incident: Incident, step: str):
    return client.get(reverse("incident-drafts", kwargs={"pk": incident.pk, "step": step, "fmt": "pdf"}))


@pytest.mark.parametrize(
    ("language", "step", "labels", "long_fields"),
    [
        pytest.param(
            "en", "notification", ["Initial assessment", "Mitigation so far"], ["description", "mitigation"], id="en"
        ),
        pytest.param(
            "fr",
            "notification",
            ["Évaluation initiale", "Mesures d'atténuation prises à ce stade"],
            ["description", "mitigation"],
            id="fr",
        ),
        pytest.param(
            "fr",
            "final",
            ["Description détaillée", "Cause racine"],
            ["description", "root_cause", "mitigation"],
            id="fr-final-report-with-the-root-cause-analysis",
        ),
    ],
)
@pytest.mark.usefixtures("french_catalogue")
def test_a_50000_character_text_flows_across_pages(
    api_client_for, security_officer, incident, language, step, labels, long_fields
) -> None:
    client = api_client_for(security_officer.user, language)

    response = _draft_pdf(client, incident, step)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) > 1
    document = " ".join(pages)
    for name in long_fields:
        assert one_line(getattr(incident, name)) in document
    for label in labels:
        assert f" {label} " in document


@pytest.mark.usefixtures("french_catalogue")
def test_a_notice_to_residents_flows_across_pages_too(api_client_for, security_officer, incident) -> None:
    client = api_client_for(security_officer.user, "fr")

    response = _draft_pdf(client, incident, "recipients")

    assert response.status_code == 200
    pages = pdf_pages(response.content)
    assert len(pages) > 1
    document = " ".join(pages)
    assert " Ce qui s'est passé " + one_line(incident.description) + " Les services touchés " in document
    assert " Ce que nous faisons " + one_line(incident.mitigation) + " Ce que vous pouvez faire " in document
    assert " À compléter avant envoi : Les services touchés, Ce que vous pouvez faire. Préparé par " in document


def test_short_values_stay_side_by_side_with_their_label(officer_api, security_officer, incident) -> None:
    incident = services.incident_update(
        incident=incident, actor=security_officer.user, description="Serveur chiffré.", mitigation="Isolé."
    )

    pages = pdf_pages(_draft_pdf(officer_api, incident, "notification").content)

    assert len(pages) == 1
    assert " Initial assessment Serveur chiffré. Services affected — " in pages[0]
    assert " Mitigation so far Isolé. Missing before filing: " in pages[0]
