"""The governance page (NIS 2 Art. 20), in French: the approvals in force and their register, the training of
the management body, and the forms the executives and administrators use; the other roles read only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nis2.roles import Role
from reports.models import Approval, Training
from tests.nis2.factories import OrganisationFactory
from tests.reports.factories import ApprovalFactory, ReportFactory, TrainingFactory
from tests.reports.governance_data import pdf_upload, png_upload, rated_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


def page_url(organisation) -> str:
    return reverse("governance-page", args=[organisation.pk])


@pytest.fixture
def signed_in(client: Client):
    """The web client signed in as ``user``, reading French."""

    def sign_in(user) -> Client:
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
        return client

    return sign_in


def field_block(html: str, field_id: str) -> str:
    """The form field's block (its label, input, help and errors), up to the next field."""
    match = re.search(
        rf'<div class="field"><label for="{field_id}">.*?</div>(?=<div class="field">|\s*<button)', html, re.S
    )
    assert match, field_id
    return match.group(0)


def test_an_executive_reads_the_page_in_french_with_its_forms(organisation, executive, signed_in) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    ApprovalFactory(
        organisation=organisation,
        assessment=assessment,
        act_reference="2026-045",
        approved_state={"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 3.0},
    )
    TrainingFactory(
        organisation=organisation, person=executive, person_name="", completed_on=datetime.date(2026, 3, 12)
    )
    TrainingFactory(organisation=organisation, person_name="Mme Élise Déléguée", completed_on=datetime.date(2020, 5, 3))

    response = signed_in(executive).get(page_url(organisation))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Gouvernance de la cybersécurité (NIS 2, article 20)</h1>" in html
    assert f'<a href="{page_url(organisation)}" aria-current="page">Gouvernance (art. 20)</a>' in html
    assert "Délibération 2026-045" in html
    assert "Conseil municipal" in html
    assert "Évaluation 2026-T3 : 3 exigences applicables, niveau global 3,00 / 5." in html
    assert "Télécharger l’acte signé" in html
    assert "En vigueur" in html
    assert '<span class="value">1 / 2</span>' in html  # Marie trained, Élise not since 2020
    assert "Non formés sur cette période : Mme Élise Déléguée." in html
    assert "Enregistrer une approbation" in html
    assert "Enregistrer une formation" in html
    assert "Marie Maire" in field_block(html, "id_training_person")


@pytest.mark.parametrize("role", [Role.SECURITY_OFFICER, Role.IT, Role.AUDITOR])
def test_other_roles_read_the_page_without_forms_and_cannot_post(organisation, member_of, signed_in, role) -> None:
    assessment = rated_assessment(organisation, actor=None)
    training = TrainingFactory(organisation=organisation)
    client = signed_in(member_of(organisation, role).user)

    page = client.get(page_url(organisation)).content.decode()
    approval = client.post(
        reverse("governance-approval-add", args=[organisation.pk]),
        {
            "subject": "measures",
            "assessment": assessment.pk,
            "act_type": "deliberation",
            "act_reference": "1",
            "decided_on": "2026-10-12",
            "body": "municipal_council",
        },
    )
    trained = client.post(
        reverse("governance-training-add", args=[organisation.pk]),
        {"person_name": "M. Denis", "course": "Cyber", "provider": "CNFPT", "completed_on": "2026-03-12", "hours": "2"},
    )
    deleted = client.post(reverse("governance-training-delete", args=[organisation.pk, training.pk]))

    assert "Gouvernance de la cybersécurité" in page
    assert training.person_name in page
    assert "Enregistrer une approbation" not in page
    assert "Supprimer" not in page
    assert (approval.status_code, trained.status_code, deleted.status_code) == (403, 403, 403)
    assert not Approval.objects.exists()
    assert list(Training.objects.values_list("pk", flat=True)) == [training.pk]


def test_an_executive_records_an_approval_with_its_signed_act(organisation, executive, signed_in) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    client = signed_in(executive)

    response = client.post(
        reverse("governance-approval-add", args=[organisation.pk]),
        {
            "subject": "measures",
            "assessment": assessment.pk,
            "act_type": "deliberation",
            "act_reference": "2026-045",
            "decided_on": "2026-10-12",
            "body": "municipal_council",
            "act_file": pdf_upload(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(organisation)
    approval = Approval.objects.get()
    assert (approval.assessment, approval.recorded_by, approval.act_reference) == (assessment, executive, "2026-045")
    html = client.get(page_url(organisation)).content.decode()
    assert "L’approbation est enregistrée." in html
    assert reverse("approval-act", args=[approval.pk]) in html
    assert b"".join(client.get(reverse("approval-act", args=[approval.pk])).streaming_content).startswith(b"%PDF-")


def test_a_report_is_chosen_for_a_report_approval(organisation, member_of, signed_in) -> None:
    report = ReportFactory(organisation=organisation)
    admin = member_of(organisation, Role.ADMIN).user

    response = signed_in(admin).post(
        reverse("governance-approval-add", args=[organisation.pk]),
        {
            "subject": "report",
            "report": report.pk,
            "act_type": "decision",
            "act_reference": "D-12",
            "decided_on": "2026-11-02",
            "body": "bureau",
        },
    )

    assert response.status_code == 302
    assert (Approval.objects.get().report, Approval.objects.get().assessment) == (report, None)


def test_approval_errors_are_shown_in_french_by_field(organisation, executive, signed_in) -> None:
    rated_assessment(organisation, actor=executive)
    client = signed_in(executive)
    url = reverse("governance-approval-add", args=[organisation.pk])
    body = {"subject": "measures", "act_type": "deliberation", "body": "municipal_council"}

    future = client.post(url, {**body, "act_reference": "2026-045", "decided_on": "2099-01-01"}).content.decode()
    missing = client.post(url, {**body, "decided_on": "2026-10-12"}).content.decode()
    image = client.post(
        url, {**body, "act_reference": "1", "decided_on": "2026-10-12", "act_file": png_upload()}
    ).content.decode()
    no_report = client.post(
        url, {**body, "subject": "report", "act_reference": "1", "decided_on": "2026-10-12"}
    ).content.decode()

    assert "La décision ne peut pas être datée dans le futur." in field_block(future, "id_approval_decided_on")
    assert "Ce champ est obligatoire." in field_block(missing, "id_approval_act_reference")
    assert "L’acte signé doit être un fichier PDF." in field_block(image, "id_approval_act_file")
    assert "Choisissez le rapport approuvé." in field_block(no_report, "id_approval_report")
    assert 'value="2099-01-01"' in field_block(future, "id_approval_decided_on")  # what was typed is kept
    assert not Approval.objects.exists()


def test_superseded_approvals_stay_in_the_register(organisation, executive, signed_in) -> None:
    older = ApprovalFactory(organisation=organisation, decided_on=datetime.date(2025, 12, 1))
    newer = ApprovalFactory(organisation=organisation, decided_on=datetime.date(2026, 10, 12))

    html = signed_in(executive).get(page_url(organisation)).content.decode()

    older_row = re.search(rf'<tr id="approval-{older.pk}">.*?</tr>', html, re.S).group(0)
    newer_row = re.search(rf'<tr id="approval-{newer.pk}">.*?</tr>', html, re.S).group(0)
    assert "Remplacée" in older_row
    assert "En vigueur" in newer_row
    in_force = re.search(r'<tr id="in-force-measures">.*?</tr>', html, re.S).group(0)
    assert newer.act_reference in in_force
    assert older.act_reference not in in_force


def test_an_executive_records_and_deletes_a_training(organisation, executive, signed_in) -> None:
    client = signed_in(executive)

    created = client.post(
        reverse("governance-training-add", args=[organisation.pk]),
        {
            "person": executive.pk,
            "course": "Cybersécurité pour les élus",
            "provider": "CNFPT",
            "completed_on": "2026-03-12",
            "hours": "3,5",
            "attestation": pdf_upload("attestation.pdf"),
        },
    )
    training = Training.objects.get()
    deleted = client.post(reverse("governance-training-delete", args=[organisation.pk, training.pk]), follow=True)

    assert created.status_code == 302
    assert (training.person, training.hours, training.recorded_by) == (executive, Decimal("3.5"), executive)
    assert "La formation est supprimée ; l’historique la conserve." in deleted.content.decode()
    assert not Training.objects.exists()


def test_training_errors_are_shown_in_french_by_field(organisation, executive, signed_in) -> None:
    client = signed_in(executive)
    url = reverse("governance-training-add", args=[organisation.pk])
    body = {"course": "Cyber", "provider": "CNFPT", "completed_on": "2026-03-12", "hours": "2"}

    both = client.post(url, {**body, "person": executive.pk, "person_name": "M. Denis"}).content.decode()
    too_long = client.post(url, {**body, "person_name": "M. Denis", "hours": "250"}).content.decode()

    assert (
        "Choisissez un membre de l’organisation ou écrivez le nom d’un membre de l’assemblée sans compte, "
        "l’un des deux." in field_block(both, "id_training_person")
    )
    assert "Une formation dure plus de 0 et au plus 200 heures." in field_block(too_long, "id_training_hours")
    assert not Training.objects.exists()


def test_another_organisations_governance_does_not_exist(organisation, executive, signed_in) -> None:
    other = OrganisationFactory()
    training = TrainingFactory(organisation=other)
    client = signed_in(executive)

    assert client.get(page_url(other)).status_code == 404
    assert client.post(reverse("governance-training-add", args=[other.pk]), {}).status_code == 404
    assert client.post(reverse("governance-training-delete", args=[other.pk, training.pk])).status_code == 404
    assert client.post(reverse("governance-training-delete", args=[organisation.pk, training.pk])).status_code == 404
    assert Training.objects.filter(pk=training.pk).exists()


def test_the_page_runs_as_many_queries_for_many_records_as_for_few(
    organisation, executive, member_of, signed_in
) -> None:
    client = signed_in(executive)
    people = [executive] + [member_of(organisation, Role.EXECUTIVE).user for _ in range(4)]

    def count() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(organisation))
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    ApprovalFactory(organisation=organisation, recorded_by=executive)
    TrainingFactory(organisation=organisation, person=executive, person_name="")
    ReportFactory(organisation=organisation)
    few_html, few = count()
    for index in range(20):
        ApprovalFactory(organisation=organisation, recorded_by=people[index % 5])
        TrainingFactory(organisation=organisation, person=people[index % 5], person_name="")
        TrainingFactory(organisation=organisation, person_name=f"Élu sans compte {index}")
        ReportFactory(organisation=organisation, version=index + 2)

    many_html, many = count()

    assert (few_html.count('<tr id="approval-'), many_html.count('<tr id="approval-')) == (1, 21)
    assert (few_html.count('<tr id="training-'), many_html.count('<tr id="training-')) == (1, 41)
    assert many == few
