import datetime
import hashlib

import factory

from reports.models import Report

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
