"""The management body's approvals and trainings through the API (NIS 2 Art. 20): recorded by the executives
and the administrators only, approvals never changed nor deleted, other organisations' objects unknown,
refusals in the project's error format, and list queries that do not grow with the rows."""

import datetime
import hashlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from nis2.roles import Role
from reports.models import Approval, Training
from tests.api_errors import error_fields, error_messages
from tests.controls.factories import AssessmentFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory
from tests.reports.factories import ApprovalFactory, ReportFactory, TrainingFactory
from tests.reports.governance_data import PDF, pdf_upload, png_upload, rated_assessment

pytestmark = pytest.mark.django_db

APPROVALS = reverse("approval-list")
TRAININGS = reverse("training-list")


def approval_url(approval_id: int, action: str = "detail") -> str:
    return reverse(f"approval-{action}", args=[approval_id])


def training_url(training_id: int, action: str = "detail") -> str:
    return reverse(f"training-{action}", args=[training_id])


@pytest.fixture
def executive(organisation, member_of):
    return member_of(organisation, Role.EXECUTIVE, username="maire", first_name="Marie", last_name="Maire").user


@pytest.fixture
def executive_api(executive, api_client_for) -> APIClient:
    return api_client_for(executive)


def approval_body(organisation, **fields: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "subject": "measures",
        "act_type": "deliberation",
        "act_reference": "2026-045",
        "decided_on": "2026-10-12",
        "body": "municipal_council",
        **fields,
    }


def training_body(organisation, **fields: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "course": "Cybersécurité pour les élus",
        "provider": "CNFPT",
        "completed_on": "2026-03-12",
        "hours": "3.5",
        **fields,
    }


def downloaded(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# Approvals ---------------------------------------------------------------------------------------------------


def test_an_executive_records_the_approval_of_the_measures_with_its_signed_act(
    executive_api, organisation, executive
) -> None:
    assessment = rated_assessment(organisation, actor=executive)

    response = executive_api.post(
        APPROVALS, approval_body(organisation, object_id=assessment.pk, act_file=pdf_upload()), format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    approval = Approval.objects.get()
    assert body == {
        "id": approval.pk,
        "organisation": organisation.pk,
        "subject": "measures",
        "assessment": assessment.pk,
        "report": None,
        "act_type": "deliberation",
        "act_reference": "2026-045",
        "decided_on": "2026-10-12",
        "body": "municipal_council",
        "act_url": approval_url(approval.pk, "act"),
        "act_sha256": hashlib.sha256(PDF).hexdigest(),
        "approved_state": {"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 3.0},
        "recorded_by": "maire",
        "created_at": body["created_at"],
    }
    act = executive_api.get(body["act_url"])
    assert act.status_code == 200
    assert act["Content-Type"] == "application/pdf"
    assert act["X-Content-SHA256"] == hashlib.sha256(PDF).hexdigest()
    assert downloaded(act) == PDF


def test_the_measures_approved_without_object_id_are_the_current_assessments(
    executive_api, organisation, executive
) -> None:
    assessment = rated_assessment(organisation, actor=executive)

    response = executive_api.post(APPROVALS, approval_body(organisation), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["assessment"] == assessment.pk
    assert response.json()["act_url"] is None


def test_a_report_is_approved_by_its_id(executive_api, organisation) -> None:
    report = ReportFactory(organisation=organisation)

    response = executive_api.post(
        APPROVALS, approval_body(organisation, subject="report", object_id=report.pk), format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["report"], response.json()["assessment"]) == (report.pk, None)
    assert response.json()["approved_state"] == {"period": "2026-Q3", "version": 1, "sha256": report.sha256}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.EXECUTIVE, 201, id="executive"),
        pytest.param(Role.ADMIN, 201, id="admin"),
        pytest.param(Role.SECURITY_OFFICER, 403, id="security-officer"),
        pytest.param(Role.IT, 403, id="it"),
        pytest.param(Role.AUDITOR, 403, id="auditor"),
    ],
)
def test_only_executives_and_administrators_record_governance(
    organisation, member_of, api_client_for, role, expected
) -> None:
    assessment = AssessmentFactory(organisation=organisation)
    client = api_client_for(member_of(organisation, role).user)
    someone = member_of(organisation, Role.EXECUTIVE).user

    approval = client.post(APPROVALS, approval_body(organisation, object_id=assessment.pk), format="json")
    training = client.post(TRAININGS, training_body(organisation, person=someone.pk), format="json")

    assert (approval.status_code, training.status_code) == (expected, expected), (approval.content, training.content)
    assert Approval.objects.count() == Training.objects.count() == (1 if expected == 201 else 0)


def test_a_security_officer_elsewhere_cannot_record_where_they_are_auditor(organisation, member_of, api_client_for):
    membership = member_of(organisation, Role.AUDITOR)
    MembershipFactory(user=membership.user, organisation=OrganisationFactory(), role=Role.EXECUTIVE)
    assessment = AssessmentFactory(organisation=organisation)

    response = api_client_for(membership.user).post(
        APPROVALS, approval_body(organisation, object_id=assessment.pk), format="json"
    )

    assert response.status_code == 403, response.content
    assert not Approval.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_approvals_are_never_changed_nor_deleted(executive_api, organisation, method) -> None:
    approval = ApprovalFactory(organisation=organisation)
    before = Approval.objects.filter(pk=approval.pk).values().get()

    response = getattr(executive_api, method)(approval_url(approval.pk), {"act_reference": "X"}, format="json")

    assert response.status_code == 405
    assert response.json()["errors"][0]["field"] is None
    assert Approval.objects.filter(pk=approval.pk).values().get() == before


def test_an_assessment_of_another_organisation_is_unknown(executive_api, organisation) -> None:
    foreign = AssessmentFactory()

    response = executive_api.post(APPROVALS, approval_body(organisation, object_id=foreign.pk), format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["object_id"]
    assert error_messages(response) == [f"Invalid pk “{foreign.pk}” - object does not exist."]
    assert not Approval.objects.exists()


def test_a_report_of_another_organisation_is_unknown_in_french(organisation, executive, api_client_for) -> None:
    foreign = ReportFactory()

    response = api_client_for(executive, language="fr").post(
        APPROVALS, approval_body(organisation, subject="report", object_id=foreign.pk), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "object_id", "code": "invalid", "message": f"Clé « {foreign.pk} » non valide - l'objet n'existe pas."}
    ]
    assert not Approval.objects.exists()


def test_a_report_approval_without_its_report_is_refused_on_object_id(executive_api, organisation) -> None:
    AssessmentFactory(organisation=organisation)

    response = executive_api.post(APPROVALS, approval_body(organisation, subject="report"), format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["object_id"]
    assert error_messages(response) == ["Choose the report approved."]
    assert not Approval.objects.exists()


def test_another_organisation_cannot_be_named(executive_api) -> None:
    other = OrganisationFactory()
    assessment = AssessmentFactory(organisation=other)

    response = executive_api.post(APPROVALS, approval_body(other, object_id=assessment.pk), format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["organisation"]
    assert not Approval.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"decided_on": "2099-01-01"}, "decided_on", "The decision cannot be dated in the future.", id="future"
        ),
        pytest.param({"subject": "budget"}, "subject", '"budget" is not a valid choice.', id="unknown-subject"),
        pytest.param({"body": "senate"}, "body", '"senate" is not a valid choice.', id="unknown-body"),
        pytest.param({"act_file": png_upload()}, "act_file", "The signed act must be a PDF file.", id="image-act"),
    ],
)
def test_invalid_approvals_are_refused_on_their_field(executive_api, organisation, fields, field, message) -> None:
    assessment = AssessmentFactory(organisation=organisation)

    response = executive_api.post(
        APPROVALS, approval_body(organisation, object_id=assessment.pk, **fields), format="multipart"
    )

    assert response.status_code == 400, response.content
    assert error_fields(response) == [field]
    assert error_messages(response) == [message]
    assert not Approval.objects.exists()


def test_approvals_are_listed_by_organisation_and_subject_and_read_by_every_member(
    organisation, member_of, api_client_for
) -> None:
    measures = ApprovalFactory(organisation=organisation, decided_on=datetime.date(2026, 10, 12))
    report = ApprovalFactory(
        organisation=organisation,
        subject="report",
        assessment=None,
        report=ReportFactory(organisation=organisation),
        decided_on=datetime.date(2026, 11, 2),
    )
    ApprovalFactory()  # another organisation's
    auditor = api_client_for(member_of(organisation, Role.AUDITOR).user)

    listed = auditor.get(APPROVALS, {"organisation": organisation.pk})
    by_subject = auditor.get(APPROVALS, {"organisation": organisation.pk, "subject": "measures"})
    history = auditor.get(approval_url(measures.pk, "history"))

    assert [row["id"] for row in listed.json()["results"]] == [report.pk, measures.pk]
    assert [row["id"] for row in by_subject.json()["results"]] == [measures.pk]
    assert auditor.get(approval_url(report.pk)).json()["report"] == report.report_id
    assert [row["history_type"] for row in history.json()["results"]] == ["created"]
    assert auditor.get(APPROVALS, {"organisation": OrganisationFactory().pk}).status_code == 400


def test_an_approval_recorded_through_the_api_has_its_author_in_the_history(executive_api, organisation) -> None:
    AssessmentFactory(organisation=organisation)
    approval_id = executive_api.post(APPROVALS, approval_body(organisation), format="json").json()["id"]

    history = executive_api.get(approval_url(approval_id, "history")).json()["results"]

    assert [(row["history_type"], row["history_user"]) for row in history] == [("created", "maire")]


def test_an_approval_without_act_has_no_download(executive_api, organisation) -> None:
    approval = ApprovalFactory(organisation=organisation, act_file="", act_sha256="")

    assert executive_api.get(approval_url(approval.pk, "act")).status_code == 404


# Trainings ---------------------------------------------------------------------------------------------------


def test_trainings_of_a_member_and_of_a_named_assembly_member(executive_api, organisation, executive) -> None:
    member = executive_api.post(
        TRAININGS,
        training_body(organisation, person=executive.pk, attestation=pdf_upload("attestation.pdf")),
        format="multipart",
    )
    named = executive_api.post(TRAININGS, training_body(organisation, person_name="Mme Claire Adjointe"), format="json")

    assert (member.status_code, named.status_code) == (201, 201), (member.content, named.content)
    assert {name: member.json()[name] for name in ("person", "person_name", "person_display", "hours")} == {
        "person": executive.pk,
        "person_name": "",
        "person_display": "Marie Maire",
        "hours": "3.50",
    }
    assert member.json()["attestation_url"] == training_url(member.json()["id"], "attestation")
    assert downloaded(executive_api.get(member.json()["attestation_url"])).startswith(b"%PDF-")
    assert (named.json()["person"], named.json()["person_display"], named.json()["attestation_url"]) == (
        None,
        "Mme Claire Adjointe",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"person_name": "Mme Claire Adjointe", "person": "executive"}, "person", id="both"),
        pytest.param({}, "person", id="neither"),
        pytest.param({"person_name": "M. Denis", "completed_on": "2099-01-01"}, "completed_on", id="future"),
        pytest.param({"person_name": "M. Denis", "hours": "0"}, "hours", id="no-hours"),
        pytest.param({"person_name": "M. Denis", "hours": "200.5"}, "hours", id="too-many-hours"),
    ],
)
def test_invalid_trainings_are_refused_on_their_field(executive_api, organisation, executive, fields, field) -> None:
    if fields.get("person") == "executive":
        fields = {**fields, "person": executive.pk}

    response = executive_api.post(TRAININGS, training_body(organisation, **fields), format="json")

    assert response.status_code == 400, response.content
    assert error_fields(response) == [field]
    assert not Training.objects.exists()


def test_a_person_of_another_organisation_is_refused(executive_api, organisation, member_of) -> None:
    outsider = member_of(OrganisationFactory(), Role.EXECUTIVE).user

    response = executive_api.post(TRAININGS, training_body(organisation, person=outsider.pk), format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["person"]
    assert error_messages(response) == [f'Invalid pk "{outsider.pk}" - object does not exist.']
    assert not Training.objects.exists()


def test_a_person_of_a_sibling_organisation_the_writer_reads_is_refused(organisation, member_of, api_client_for):
    """Someone executive in two communes cannot record one commune's member as trained in the other."""
    sibling = OrganisationFactory()
    writer = member_of(organisation, Role.EXECUTIVE).user
    MembershipFactory(user=writer, organisation=sibling, role=Role.EXECUTIVE)
    sibling_member = member_of(sibling, Role.EXECUTIVE).user

    response = api_client_for(writer).post(
        TRAININGS, training_body(organisation, person=sibling_member.pk), format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == ["person"]
    assert not Training.objects.exists()


def test_a_deleted_training_keeps_its_history_and_shows_in_the_deleted_records(
    executive_api, organisation, member_of, api_client_for
) -> None:
    training = TrainingFactory(organisation=organisation, person_name="Mme Claire Adjointe")
    officer = api_client_for(member_of(organisation, Role.SECURITY_OFFICER).user)

    refused = officer.delete(training_url(training.pk))
    deleted = executive_api.delete(training_url(training.pk))

    assert (refused.status_code, deleted.status_code) == (403, 204)
    assert executive_api.get(training_url(training.pk)).status_code == 404
    assert not Training.objects.exists()
    records = executive_api.get(reverse("deleted-records"), {"organisation": organisation.pk}).json()["results"]
    assert [(row["model"], row["object_id"], row["deleted_by"]) for row in records] == [
        ("reports.training", training.pk, "maire")
    ]


def test_trainings_of_other_organisations_do_not_exist(executive_api, organisation) -> None:
    own, other = TrainingFactory(organisation=organisation), TrainingFactory()

    listed = executive_api.get(TRAININGS)

    assert [row["id"] for row in listed.json()["results"]] == [own.pk]
    assert executive_api.get(training_url(other.pk)).status_code == 404
    assert executive_api.delete(training_url(other.pk)).status_code == 404
    assert executive_api.get(training_url(other.pk, "attestation")).status_code == 404
    assert Training.objects.filter(pk=other.pk).exists()


# Queries -----------------------------------------------------------------------------------------------------


def _listing(client: APIClient, url: str, organisation) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"organisation": organisation.pk, "page_size": 100})
    assert response.status_code == 200, response.content
    return response.json()["count"], len(queries)


def test_approval_list_queries_do_not_grow_with_the_approvals(executive_api, organisation, member_of) -> None:
    recorders = [member_of(organisation, Role.EXECUTIVE).user for _ in range(3)]
    for index in range(2):
        ApprovalFactory(organisation=organisation, recorded_by=recorders[index])
    few, few_queries = _listing(executive_api, APPROVALS, organisation)
    for index in range(28):
        ApprovalFactory(organisation=organisation, recorded_by=recorders[index % 3])

    many, many_queries = _listing(executive_api, APPROVALS, organisation)

    assert (few, many) == (2, 30)
    assert many_queries == few_queries


def test_training_list_queries_do_not_grow_with_the_trainings(executive_api, organisation, member_of) -> None:
    people = [member_of(organisation, Role.EXECUTIVE).user for _ in range(5)]
    TrainingFactory(organisation=organisation, person=people[0], person_name="")
    TrainingFactory(organisation=organisation)
    few, few_queries = _listing(executive_api, TRAININGS, organisation)
    for index in range(28):
        TrainingFactory(organisation=organisation, person=people[index % 5], person_name="", recorded_by=people[0])

    many, many_queries = _listing(executive_api, TRAININGS, organisation)

    assert (few, many) == (2, 30)
    assert many_queries == few_queries
