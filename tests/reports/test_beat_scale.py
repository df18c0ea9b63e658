"""Issue 15: the quarterly beat finds who needs a report in one query and writes them in one statement
(and one for their history), whatever the number of organisations."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nis2.models import Organisation
from reports import services
from reports.models import Report
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
FIRST_OF_OCTOBER = datetime.date(2026, 10, 1)


def _organisations(count: int) -> None:
    Organisation.objects.bulk_create(
        OrganisationFactory.build(name=f"Commune {index}", nis2_status="important") for index in range(count)
    )


def test_the_quarterly_beat_costs_the_same_for_2_and_200_organisations() -> None:
    _organisations(2)
    with CaptureQueriesContext(connection) as few:
        assert len(services.issue_quarterly_reports(today=FIRST_OF_OCTOBER)) == 2
    Report.objects.all().delete()
    _organisations(198)
    with CaptureQueriesContext(connection) as many:
        created = services.issue_quarterly_reports(today=FIRST_OF_OCTOBER)
    assert len(created) == 200

    def reads(queries: CaptureQueriesContext) -> list[str]:
        return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]

    # One read whatever the number; the inserts come in the database's batch size (SQLite: a few hundred
    # values per statement; PostgreSQL: one statement).
    assert len(reads(many)) == len(reads(few)) == 1
    assert Report.history.filter(history_type="+").count() >= 200
    # Run again the same day: everyone has one, nothing is written.
    assert services.issue_quarterly_reports(today=FIRST_OF_OCTOBER) == []
