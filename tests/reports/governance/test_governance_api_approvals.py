"""The management body's approvals through the API (NIS 2 Art. 20): recorded by the executives and the
administrators only, never changed nor deleted, other organisations' objects unknown, refusals in the
project's error format."""

import datetime
import hashlib

import pytest

from nis2.roles import Role
from reports.models import Approval, Training
from tests.api_errors import error_fields, error_messages
from tests.controls.factories import AssessmentFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory
from tests.reports.factories import ApprovalFactory, ReportFactory
from tests.reports.governance.governance_requests import (
    APPROVALS,
    TRAININGS,
    approval_body,
    approval_url,
    downloaded,
    training_body,
)
from tests.reports.governance_data import PDF, pdf_upload, png_upload, rated_assessment

pytestmark = pytest.mark.django_db


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
