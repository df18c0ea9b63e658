"""Drafts of a personal data breach: the CNIL notification (GDPR Art. 33(3) and the CNIL's online form),
the letter to the people concerned (Art. 34(2)) and the notice to the service's residents (NIS 2 Art.
23(1)-(2))."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from incidents import draft_selectors, services
from incidents.draft_document import render_draft_pdf
from incidents.drafts import Audience, FilingState, build_draft
from incidents.models import Step
from nis2.clock import PARIS
from tests.incidents.factories import significant_incident
from tests.reports.pdf_text import pdf_pages

BREACH_FACTS = {
    "organisation": "Ville de Rempart-sur-Mer",
    "siren": "213400000",
    "nis2_status": "Essential entity",
    "contact": "rssi <rssi@ville.example>",
    "dpo_contact": "Mme Martin, dpo@ville.example, 04 00 00 00 00",
    "title": "Fichier des inscriptions scolaires exposé",
    "occurred_at": "",
    "detected_at": "Oct. 5, 2026, 8 a.m. (Europe/Paris)",
    "breach_aware_at": "Oct. 5, 2026, 9 a.m. (Europe/Paris)",
    "breach_nature": "Perte de confidentialité : un export publié par erreur.",
    "description": "Un agent a publié l'export du logiciel scolaire sur le site de la ville.",
    "data_subject_categories": "Élèves et parents d'élèves",
    "data_subjects_count": "1,200",
    "record_categories": "Identité, adresse, téléphone",
    "records_count": "1,450",
    "likely_consequences": "Hameçonnage ciblé des familles.",
    "mitigation": "Fichier retiré, moteurs de recherche saisis, familles prévenues.",
    "services_affected": "Inscriptions scolaires en ligne",
}


def _values(draft) -> dict[str, str]:
    return {field.key: field.value for field in draft.fields}


# --- The CNIL notification ---------------------------------------------------------------------------


def test_cnil_draft_lists_every_item_of_article_33_3_and_of_the_cnil_form() -> None:
    draft = build_draft("gdpr_breach", BREACH_FACTS)

    assert [(field.key, field.label) for field in draft.fields] == [
        ("notification_kind", "Initial or complementary notification"),
        ("organisation", "Entity"),
        ("siren", "SIREN"),
        ("contact", "Contact"),
        ("dpo_contact", "Data protection officer's contact"),
        ("title", "Incident"),
        ("occurred_at", "Breach started at"),
        ("detected_at", "Detected at"),
        ("breach_aware_at", "Aware of the personal data breach at"),
        ("breach_nature", "Nature of the breach"),
        ("description", "Circumstances of the breach"),
        ("data_subject_categories", "Categories of people concerned"),
        ("data_subjects_count", "Approximate number of people concerned"),
        ("record_categories", "Categories of personal data records concerned"),
        ("records_count", "Approximate number of records concerned"),
        ("likely_consequences", "Likely consequences"),
        ("mitigation", "Measures taken or proposed"),
        ("delay_reason", "Reasons for the delay"),
    ]
    assert draft.audience is Audience.AUTHORITY
    assert draft.missing == []


def test_cnil_draft_flags_each_missing_item() -> None:
    facts = {**BREACH_FACTS, "dpo_contact": "", "data_subjects_count": " ", "records_count": ""}

    draft = build_draft("gdpr_breach", facts)

    assert draft.missing == [
        "Data protection officer's contact",
        "Approximate number of people concerned",
        "Approximate number of records concerned",
    ]


@pytest.mark.parametrize(
    ("filing", "kind", "delay_reason", "missing"),
    [
        pytest.param(FilingState(), "Initial notification", "", [], id="first-notification-within-72-hours"),
        pytest.param(
            FilingState(late=True),
            "Initial notification",
            "",
            ["Reasons for the delay"],
            id="first-notification-after-72-hours-states-the-reasons",
        ),
        pytest.param(
            FilingState(filed=True),
            "Complementary notification (completes an earlier filing)",
            "",
            [],
            id="complement-to-a-timely-notification",
        ),
        pytest.param(
            FilingState(filed=True, late=True, delay_reason="Prestataire injoignable pendant le week-end."),
            "Complementary notification (completes an earlier filing)",
            "Prestataire injoignable pendant le week-end.",
            [],
            id="complement-to-a-late-notification-carries-its-reasons",
        ),
    ],
)
def test_cnil_draft_says_initial_or_complementary_and_asks_reasons_once_late(
    filing, kind, delay_reason, missing
) -> None:
    draft = build_draft("gdpr_breach", BREACH_FACTS, filing=filing)

    assert _values(draft)["notification_kind"] == kind
    assert _values(draft)["delay_reason"] == delay_reason
    assert draft.missing == missing


def test_other_reports_ignore_the_filing_state() -> None:
    draft = build_draft("early_warning", BREACH_FACTS, filing=FilingState(filed=True, late=True))

    assert "notification_kind" not in _values(draft)
    assert "delay_reason" not in _values(draft)


# --- Notices to people ----------------------------------------------------------------------------


def test_letter_to_the_people_concerned_holds_what_article_34_2_requires() -> None:
    draft = build_draft("gdpr_data_subjects", BREACH_FACTS)

    assert draft.audience is Audience.PEOPLE
    assert draft.introduction == (
        "Dear Sir or Madam,\n\nVille de Rempart-sur-Mer informs you that personal data concerning you were affected "
        "by a security incident. This letter explains what happened, what it may mean for you, what we have done "
        "and whom to contact."
    )
    assert [(field.label, field.value) for field in draft.fields] == [
        ("Sender", "Ville de Rempart-sur-Mer"),
        ("What happened", "Perte de confidentialité : un export publié par erreur."),
        ("Which of your data are concerned", "Identité, adresse, téléphone"),
        ("What this may mean for you", "Hameçonnage ciblé des familles."),
        ("What we have done and what we propose", "Fichier retiré, moteurs de recherche saisis, familles prévenues."),
        ("Whom to contact", "Mme Martin, dpo@ville.example, 04 00 00 00 00"),
    ]
    assert draft.missing == []


def test_letter_to_the_people_concerned_flags_a_missing_contact_point() -> None:
    draft = build_draft("gdpr_data_subjects", {**BREACH_FACTS, "dpo_contact": "", "record_categories": ""})

    assert draft.missing == ["Whom to contact"]


@pytest.mark.usefixtures("french_catalogue")
def test_notice_to_residents_in_plain_french() -> None:
    with translation.override("fr"):
        draft = build_draft("recipients", BREACH_FACTS)

    assert draft.audience is Audience.PEOPLE
    assert draft.introduction == (
        "Madame, Monsieur,\n\nVille de Rempart-sur-Mer vous informe d'un incident de sécurité informatique qui "
        "touche certains de ses services. Ce message explique ce qui s'est passé, quels services sont touchés, ce "
        "que vous pouvez faire et qui contacter."
    )
    assert [(field.label, field.value) for field in draft.fields] == [
        ("Expéditeur", "Ville de Rempart-sur-Mer"),
        ("Ce qui s'est passé", "Un agent a publié l'export du logiciel scolaire sur le site de la ville."),
        ("Les services touchés", "Inscriptions scolaires en ligne"),
        ("Ce que nous faisons", "Fichier retiré, moteurs de recherche saisis, familles prévenues."),
        ("Ce que vous pouvez faire", ""),
        ("Qui contacter", "rssi <rssi@ville.example>"),
    ]
    assert draft.missing == ["Ce que vous pouvez faire"]


def test_notice_to_residents_in_english() -> None:
    draft = build_draft("recipients", {**BREACH_FACTS, "recipient_actions": "Changez votre mot de passe."})

    assert draft.introduction == (
        "Dear Sir or Madam,\n\nVille de Rempart-sur-Mer informs you of a computer security incident that affects "
        "some of its services. This notice explains what happened, which services are affected, what you can do "
        "and whom to contact."
    )
    assert [field.label for field in draft.fields] == [
        "Sender",
        "What happened",
        "Which services are affected",
        "What we are doing",
        "What you can do",
        "Whom to contact",
    ]
    assert draft.missing == []


@pytest.mark.usefixtures("french_catalogue")
def test_letter_pdf_in_french_reads_as_a_letter() -> None:
    with translation.override("fr"):
        draft = build_draft("gdpr_data_subjects", BREACH_FACTS)
        pdf = render_draft_pdf(
            draft,
            step_label="Communication aux personnes concernées",
            authority="Personnes concernées",
            incident_title=BREACH_FACTS["title"],
        )

    pages = pdf_pages(pdf)
    assert len(pages) == 1
    assert pages[0].startswith(
        "PROJET D'INFORMATION — à vérifier, puis à envoyer aux destinataires : Personnes concernées "
        "Communication aux personnes concernées Fichier des inscriptions scolaires exposé Madame, Monsieur, "
        "Ville de Rempart-sur-Mer vous informe que des données personnelles vous concernant ont été touchées par "
        "un incident de sécurité. "
    )
    assert (
        " Ce qui s'est passé Perte de confidentialité : un export publié par erreur. Les données vous concernant "
        "Identité, adresse, téléphone Les conséquences possibles pour vous Hameçonnage ciblé des familles. "
        "Ce que nous avons fait et ce que nous proposons Fichier retiré, moteurs de recherche saisis, familles "
        "prévenues. Qui contacter Mme Martin, dpo@ville.example, 04 00 00 00 00 Préparé par Rempart le "
    ) in pages[0]


# --- From the register ------------------------------------------------------------------------------

AWARE_OF_THE_BREACH = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=PARIS)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def breach(organisation, security_officer):
    return significant_incident(
        organisation,
        actor=security_officer.user,
        title="Fichier des inscriptions scolaires exposé",
        description="Un agent a publié l'export du logiciel scolaire.",
        personal_data_breach=True,
        breach_aware_at=AWARE_OF_THE_BREACH,
        breach_nature="Perte de confidentialité.",
        data_subject_categories="Élèves et parents d'élèves",
        data_subjects_count=1200,
        record_categories="Identité, adresse",
        records_count=1450,
        dpo_contact="Mme Martin, dpo@ville.example",
        personal_data_consequences="Hameçonnage ciblé.",
        mitigation="Fichier retiré.",
    )


@pytest.mark.django_db
def test_register_fills_the_cnil_draft_before_the_deadline(breach) -> None:
    draft = draft_selectors.incident_draft(breach, "gdpr_breach", now=AWARE_OF_THE_BREACH + HOUR)

    values = _values(draft)
    assert {key: values[key] for key in draft_selectors.breach_facts(breach)} == {
        "occurred_at": "",
        "breach_aware_at": "Oct. 5, 2026, 9 a.m. (Europe/Paris)",
        "breach_nature": "Perte de confidentialité.",
        "data_subject_categories": "Élèves et parents d'élèves",
        "data_subjects_count": "1,200",
        "record_categories": "Identité, adresse",
        "records_count": "1,450",
        "dpo_contact": "Mme Martin, dpo@ville.example",
    }
    assert values["notification_kind"] == "Initial notification"
    assert values["siren"] == breach.organisation.siren
    assert values["likely_consequences"] == "Hameçonnage ciblé."
    assert draft.missing == []


@pytest.mark.django_db
def test_register_asks_the_reasons_once_72_hours_have_passed(breach) -> None:
    draft = draft_selectors.incident_draft(breach, "gdpr_breach", now=AWARE_OF_THE_BREACH + 73 * HOUR)

    assert _values(draft)["notification_kind"] == "Initial notification"
    assert draft.missing == ["Reasons for the delay"]


@pytest.mark.django_db
def test_after_a_late_filing_the_draft_is_a_complement_carrying_its_reasons(breach, security_officer) -> None:
    obligation = breach.obligations.get(step="gdpr_breach")
    services.obligation_file(
        obligation=obligation,
        actor=security_officer.user,
        submitted_at=AWARE_OF_THE_BREACH + 80 * HOUR,
        reference="CNIL-2026-0042",
        delay_reason="Prestataire injoignable pendant le week-end.",
    )

    draft = draft_selectors.incident_draft(breach, "gdpr_breach", now=AWARE_OF_THE_BREACH + 90 * HOUR)

    assert _values(draft)["notification_kind"] == "Complementary notification (completes an earlier filing)"
    assert _values(draft)["delay_reason"] == "Prestataire injoignable pendant le week-end."
    assert draft.missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("step", Step.values)
@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_every_step_has_a_draft_through_the_api(officer_api, breach, step, fmt) -> None:
    response = officer_api.get(reverse("incident-drafts", kwargs={"pk": breach.pk, "step": step, "fmt": fmt}))

    assert response.status_code == 200
    assert response["Content-Type"] == ("application/json" if fmt == "json" else "application/pdf")
