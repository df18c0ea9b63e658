"""The management body's approvals and trainings recorded through the services (NIS 2 Art. 20): what each
approval summarises of what it approves, and every refusal, which writes nothing."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from controls import services as controls_services
from nis2.archive.deletions import deleted_records
from nis2.roles import Role
from reports import services
from reports.models import Approval, Report, Training
from reports.selectors import justifications_digest
from tests.controls.factories import ActionFactory, AssessmentFactory
from tests.nis2.factories import OrganisationFactory
from tests.reports.factories import ReportFactory
from tests.reports.governance_data import PDF, pdf_upload, png_upload, rated_assessment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages in English (tests/reports/test_governance_pages.py reads them in French)."""
    with translation.override("en"):
        yield


@pytest.fixture
def executive(organisation, member_of):
    return member_of(organisation, Role.EXECUTIVE, username="maire", first_name="Marie", last_name="Maire").user


def record(organisation, actor, **fields):
    values = {
        "subject": Approval.Subject.MEASURES,
        "act_type": Approval.ActType.DELIBERATION,
        "act_reference": "2026-045",
        "decided_on": datetime.date(2026, 10, 12),
        "body": Approval.Body.MUNICIPAL_COUNCIL,
        "today": TODAY,
        **fields,
    }
    return services.approval_record(organisation=organisation, actor=actor, **values)


def refused_fields(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# Approvals ---------------------------------------------------------------------------------------------------


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


# Trainings ---------------------------------------------------------------------------------------------------


def train(organisation, actor, **fields):
    values = {
        "course": "Cybersécurité pour les élus",
        "provider": "CNFPT",
        "completed_on": datetime.date(2026, 3, 12),
        "hours": Decimal("3.5"),
        "today": TODAY,
        **fields,
    }
    return services.training_record(organisation=organisation, actor=actor, **values)


def test_a_member_and_an_assembly_member_without_account_are_recorded(organisation, executive) -> None:
    member = train(organisation, executive, person=executive, attestation=pdf_upload("attestation.pdf"))
    named = train(organisation, executive, person_name="  Mme   Claire  Adjointe ", attestation=png_upload())

    assert (member.person, member.person_name, member.display_name) == (executive, "", "Marie Maire")
    assert (named.person, named.person_name, named.display_name) == (None, "Mme Claire Adjointe", "Mme Claire Adjointe")
    assert member.attestation.name.endswith(".pdf")
    assert named.attestation.name.endswith(".png")
    assert named.recorded_by == executive
    assert named.history.get().history_user == executive


@pytest.mark.parametrize(
    ("label", "who"),
    [
        pytest.param("both", {"person_name": "Mme Claire Adjointe", "person": "executive"}, id="both"),
        pytest.param("neither", {}, id="neither"),
        pytest.param("blank name", {"person_name": "   "}, id="blank-name"),
    ],
)
def test_exactly_one_of_person_and_name_is_given(organisation, executive, label, who) -> None:
    fields = {**who, "person": executive} if "person" in who else who

    errors = refused_fields(lambda: train(organisation, executive, **fields))

    assert errors == {
        "person": [
            "Choose a member of the organisation or write the name of an assembly member without an account, "
            "one of the two."
        ]
    }
    assert not Training.objects.exists()


def test_the_person_trained_must_be_a_member_of_the_organisation(organisation, executive, member_of) -> None:
    outsider = member_of(OrganisationFactory(), Role.EXECUTIVE).user

    errors = refused_fields(lambda: train(organisation, executive, person=outsider))

    assert errors == {"person": ["The person trained must be a member of the organisation."]}
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("completed_on", "accepted"),
    [
        pytest.param(TODAY, True, id="today"),
        pytest.param(TODAY + datetime.timedelta(days=1), False, id="tomorrow"),
    ],
)
def test_a_training_cannot_be_completed_in_the_future(organisation, executive, completed_on, accepted) -> None:
    if accepted:
        assert train(organisation, executive, person=executive, completed_on=completed_on).completed_on == TODAY
    else:
        errors = refused_fields(lambda: train(organisation, executive, person=executive, completed_on=completed_on))
        assert errors == {"completed_on": ["A training cannot be completed in the future."]}
        assert not Training.objects.exists()


@pytest.mark.parametrize(
    ("hours", "accepted"),
    [
        pytest.param(Decimal(0), False, id="zero"),
        pytest.param(Decimal("-2"), False, id="negative"),
        pytest.param(Decimal("0.25"), True, id="a-quarter-of-an-hour"),
        pytest.param(Decimal(200), True, id="two-hundred"),
        pytest.param(Decimal("200.01"), False, id="beyond-two-hundred"),
    ],
)
def test_hours_are_more_than_zero_and_at_most_200(organisation, executive, hours, accepted) -> None:
    if accepted:
        assert train(organisation, executive, person=executive, hours=hours).hours == hours
    else:
        errors = refused_fields(lambda: train(organisation, executive, person=executive, hours=hours))
        assert errors == {"hours": ["A training lasts more than 0 and at most 200 hours."]}
        assert not Training.objects.exists()


def test_the_attestation_is_a_pdf_or_an_image(organisation, executive) -> None:
    spreadsheet = SimpleUploadedFile("presence.xlsx", b"PK\x03\x04 spreadsheet")

    errors = refused_fields(lambda: train(organisation, executive, person=executive, attestation=spreadsheet))

    assert errors == {"attestation": ["The attestation must be a PDF file or an image (PNG, JPEG)."]}
    assert not Training.objects.exists()


def test_a_deleted_training_stays_in_the_history_and_the_deleted_records(organisation, executive) -> None:
    training = train(organisation, executive, person_name="Mme Claire Adjointe")
    training_id = training.pk

    services.training_delete(training=training, actor=executive)

    assert not Training.objects.exists()
    history = Training.history.filter(id=training_id).order_by("history_id")
    assert list(history.values_list("history_type", "person_name")) == [
        ("+", "Mme Claire Adjointe"),
        ("-", "Mme Claire Adjointe"),
    ]
    deleted = [record for record in deleted_records(organisation) if record.model == "reports.training"]
    assert [(record.object_id, record.deleted_by) for record in deleted] == [(training_id, "maire")]
