import datetime
import hashlib
from decimal import Decimal

import factory

from reports.models import Approval, Report, Training

PDF_BYTES = b"%PDF-1.4\n% Rempart test report\n"


class ReportFactory(factory.django.DjangoModelFactory):
    """A finished report with a small stored PDF (for isolation and download tests)."""

    class Meta:
        model = Report

    organisation = factory.SubFactory("tests.nis2.factories.OrganisationFactory")
    period = "2026-Q3"
    period_start = datetime.date(2026, 7, 1)
    period_end = datetime.date(2026, 9, 30)
    status = Report.Status.DONE
    progress = 100
    pdf = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    snapshot = factory.LazyFunction(dict)


class AnnualReportFactory(ReportFactory):
    """A finished annual report, with its draft délibération as OpenDocument text."""

    kind = Report.Kind.ANNUAL
    period = "2025"
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 12, 31)
    odt = factory.django.FileField(filename="deliberation.odt", data=b"PK\x03\x04 draft")


ACT_PDF_BYTES = b"%PDF-1.4\n% Deliberation 2026-045, signed\n"


class ApprovalFactory(factory.django.DjangoModelFactory):
    """An approval of the security measures of an assessment of the same organisation, with its signed act
    (written directly: services.approval_record computes the approved state)."""

    class Meta:
        model = Approval

    organisation = factory.SubFactory("tests.nis2.factories.OrganisationFactory")
    subject = Approval.Subject.MEASURES
    assessment = factory.SubFactory(
        "tests.controls.factories.AssessmentFactory", organisation=factory.SelfAttribute("..organisation")
    )
    act_type = Approval.ActType.DELIBERATION
    act_reference = factory.Sequence(lambda n: f"2026-{n:03d}")
    decided_on = datetime.date(2026, 10, 12)
    body = Approval.Body.MUNICIPAL_COUNCIL
    act_file = factory.django.FileField(filename="deliberation.pdf", data=ACT_PDF_BYTES)
    act_sha256 = hashlib.sha256(ACT_PDF_BYTES).hexdigest()
    approved_state = factory.LazyFunction(
        lambda: {"assessment": "2026-T3", "applicable_requirements": 10, "maturity_level": 2.5}
    )


ATTESTATION_BYTES = b"%PDF-1.4\n% Attestation de formation\n"


class TrainingFactory(factory.django.DjangoModelFactory):
    """A training of an assembly member without an account, with its attestation."""

    class Meta:
        model = Training

    organisation = factory.SubFactory("tests.nis2.factories.OrganisationFactory")
    person_name = factory.Sequence(lambda n: f"Conseillère n°{n}")
    course = "Sensibilisation des élus à la cybersécurité"
    provider = "CNFPT"
    completed_on = datetime.date(2026, 3, 12)
    hours = Decimal("3.5")
    attestation = factory.django.FileField(filename="attestation.pdf", data=ATTESTATION_BYTES)
