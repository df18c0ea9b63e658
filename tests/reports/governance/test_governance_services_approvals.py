"""The management body's approvals recorded through the services (NIS 2 Art. 20): what each approval
summarises of what it approves, and every refusal, which writes nothing."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from controls import services as controls_services
from reports.models import Approval, Report
from reports.selectors import justifications_digest
from tests.controls.factories import ActionFactory, AssessmentFactory
from tests.nis2.factories import OrganisationFactory
from tests.reports.factories import ReportFactory
from tests.reports.governance.governance_records import TODAY, record, refused_fields
from tests.reports.governance_data import PDF, pdf_upload, png_upload, rated_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_in_english")]


def test_approving_the_measures_records_the_assessment_its_size_and_level(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)

    approval = record(organisation, executive, assessment=assessment, act_file=pdf_upload())

    assert approval.assessment == assessment
    assert approval.approved_state == {
        "assessment": "2026-T3",
        "applicable_requirements": 3,
        "maturity_level": 3.0,
    }
    assert approval.recorded_by == executive
    assert approval.act_sha256 == hashlib.sha256(PDF).hexdigest()
    with approval.act_file.open("rb") as handle:
        assert handle.read() == PDF
    record_row = approval.history.get()
    assert (record_row.history_type, record_row.history_user) == ("+", executive)


def test_approving_the_measures_without_an_assessment_takes_the_latest_validated_one(organisation, executive) -> None:
    validated = rated_assessment(organisation, actor=executive, label="2026-T2", validate=True)
    rated_assessment(organisation, actor=executive, label="2026-T3", period_start=datetime.date(2026, 10, 1))

    approval = record(organisation, executive)

    assert approval.assessment == validated
    assert approval.approved_state["assessment"] == "2026-T2"


def test_approving_the_measures_of_an_organisation_without_assessment_is_refused(organisation, executive) -> None:
    errors = refused_fields(lambda: record(organisation, executive))

    assert errors == {
        "assessment": ["This organisation has no assessment yet: there are no security measures to approve."]
    }
    assert not Approval.objects.exists()


def test_approving_the_applicability_records_the_refs_not_applicable_and_their_justifications(
    organisation, executive
) -> None:
    assessment = rated_assessment(
        organisation,
        actor=executive,
        not_applicable={"R4": "Aucun local technique.", "R2": "Pas de messagerie interne."},
        levels={"R1": 1, "R3": 3},
    )

    approval = record(organisation, executive, subject=Approval.Subject.APPLICABILITY, assessment=assessment)

    assert approval.approved_state == {
        "assessment": "2026-T3",
        "applicable_requirements": 2,
        "maturity_level": 2.0,
        "not_applicable": ["R2", "R4"],
        "justifications_sha256": justifications_digest(
            [("R2", "Pas de messagerie interne."), ("R4", "Aucun local technique.")]
        ),
    }


def test_the_justifications_digest_changes_with_any_justification() -> None:
    before = justifications_digest([("R4", "Aucun local technique."), ("R2", "Pas de messagerie.")])

    assert justifications_digest([("R2", "Pas de messagerie."), ("R4", "Aucun local technique.")]) == before
    assert justifications_digest([("R2", "Pas de messagerie interne."), ("R4", "Aucun local technique.")]) != before
    assert justifications_digest([("R2", "Pas de messagerie.")]) != before


def test_approving_the_action_plan_records_its_open_actions(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    first, second = ActionFactory(organisation=organisation), ActionFactory(organisation=organisation)
    ActionFactory(organisation=organisation, status="done")
    ActionFactory(organisation=organisation, status="abandoned")
    ActionFactory(organisation=OrganisationFactory())  # another organisation's plan

    approval = record(organisation, executive, subject=Approval.Subject.ACTION_PLAN, assessment=assessment)

    assert approval.approved_state == {"open_actions": 2, "action_ids": [first.pk, second.pk]}


def test_approving_a_report_records_its_period_version_and_sha256(organisation, executive) -> None:
    report = ReportFactory(organisation=organisation, version=2)

    approval = record(organisation, executive, subject=Approval.Subject.REPORT, report=report)

    assert approval.report == report
    assert approval.approved_state == {"period": "2026-Q3", "version": 2, "sha256": report.sha256}


@pytest.mark.parametrize(
    ("label", "fields", "expected"),
    [
        pytest.param(
            "report without report",
            {"subject": Approval.Subject.REPORT},
            {"report": ["Choose the report approved."]},
            id="report-without-report",
        ),
        pytest.param(
            "action plan without assessment",
            {"subject": Approval.Subject.ACTION_PLAN},
            {"assessment": ["Choose the assessment approved."]},
            id="action-plan-without-assessment",
        ),
        pytest.param(
            "applicability without assessment",
            {"subject": Approval.Subject.APPLICABILITY},
            {"assessment": ["Choose the assessment approved."]},
            id="applicability-without-assessment",
        ),
    ],
)
def test_a_subject_without_its_object_is_refused(organisation, executive, label, fields, expected) -> None:
    assert refused_fields(lambda: record(organisation, executive, **fields)) == expected
    assert not Approval.objects.exists()


def test_a_report_given_for_the_measures_is_refused(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    report = ReportFactory(organisation=organisation)

    errors = refused_fields(lambda: record(organisation, executive, assessment=assessment, report=report))

    assert errors == {"report": ["Only a report approval names a report."]}
    assert not Approval.objects.exists()


def test_an_assessment_given_for_a_report_is_refused(organisation, executive) -> None:
    assessment = AssessmentFactory(organisation=organisation)
    report = ReportFactory(organisation=organisation)

    errors = refused_fields(
        lambda: record(organisation, executive, subject=Approval.Subject.REPORT, report=report, assessment=assessment)
    )

    assert errors == {"assessment": ["A report approval names a report, not an assessment."]}
    assert not Approval.objects.exists()


def test_objects_of_another_organisation_are_refused_as_unknown(organisation, executive) -> None:
    foreign_assessment = AssessmentFactory()
    foreign_report = ReportFactory()

    assessment_errors = refused_fields(lambda: record(organisation, executive, assessment=foreign_assessment))
    report_errors = refused_fields(
        lambda: record(organisation, executive, subject=Approval.Subject.REPORT, report=foreign_report)
    )

    assert assessment_errors == {"assessment": [f"Invalid pk “{foreign_assessment.pk}” - object does not exist."]}
    assert report_errors == {"report": [f"Invalid pk “{foreign_report.pk}” - object does not exist."]}
    assert not Approval.objects.exists()


def test_a_report_not_generated_yet_cannot_be_approved(organisation, executive) -> None:
    report = ReportFactory(organisation=organisation, status=Report.Status.RUNNING, pdf="", sha256="")

    errors = refused_fields(lambda: record(organisation, executive, subject=Approval.Subject.REPORT, report=report))

    assert errors == {"report": ["This report is not generated yet: it cannot be approved."]}


@pytest.mark.parametrize(
    ("decided_on", "accepted"),
    [
        pytest.param(TODAY, True, id="today"),
        pytest.param(TODAY + datetime.timedelta(days=1), False, id="tomorrow"),
        pytest.param(datetime.date(2027, 1, 15), False, id="next-year"),
    ],
)
def test_a_decision_cannot_be_dated_in_the_future(organisation, executive, decided_on, accepted) -> None:
    assessment = AssessmentFactory(organisation=organisation)

    if accepted:
        assert record(organisation, executive, assessment=assessment, decided_on=decided_on).decided_on == decided_on
    else:
        errors = refused_fields(lambda: record(organisation, executive, assessment=assessment, decided_on=decided_on))
        assert errors == {"decided_on": ["The decision cannot be dated in the future."]}
        assert not Approval.objects.exists()


def test_every_invalid_field_is_named_at_once(organisation, executive) -> None:
    errors = refused_fields(
        lambda: record(
            organisation,
            executive,
            act_type="loi",
            body="senat",
            act_reference="",
            decided_on=None,
            act_file=png_upload(),
        )
    )

    assert sorted(errors) == ["act_file", "act_reference", "act_type", "assessment", "body", "decided_on"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(png_upload(), "The signed act must be a PDF file.", id="an-image"),
        pytest.param(
            SimpleUploadedFile("deliberation.pdf", b"MZ\x90\x00 not a pdf"),
            "The content of the file does not match its “.pdf” extension.",
            id="not-a-pdf-inside",
        ),
        pytest.param(
            SimpleUploadedFile("deliberation.exe", b"MZ\x90\x00"),
            "Files of type “exe” are not accepted.",
            id="an-executable",
        ),
    ],
)
def test_the_signed_act_must_be_a_pdf(organisation, executive, upload, message) -> None:
    assessment = AssessmentFactory(organisation=organisation)

    errors = refused_fields(lambda: record(organisation, executive, assessment=assessment, act_file=upload))

    assert list(errors) == ["act_file"]
    assert errors["act_file"][0].startswith(message)
    assert not Approval.objects.exists()


def test_an_assessment_deleted_later_leaves_the_approval_and_its_state(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    approval = record(organisation, executive, assessment=assessment)

    controls_services.assessment_delete(assessment=assessment, actor=executive)

    approval.refresh_from_db()
    assert approval.assessment is None
    assert approval.approved_state["assessment"] == "2026-T3"
