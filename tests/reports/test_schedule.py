"""The reports issued on the first day of each quarter, and the executives told where to read them."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.urls import reverse

from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports import services, tasks
from reports.models import Report
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FIRST_OF_OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def organisations() -> dict[str, Organisation]:
    return {
        "essential": OrganisationFactory(
            name="Ville essentielle", nis2_status=Organisation.Nis2StatusChoices.ESSENTIAL
        ),
        "important": OrganisationFactory(name="Ville importante", nis2_status=Organisation.Nis2StatusChoices.IMPORTANT),
        "not_in_scope": OrganisationFactory(
            name="Village hors champ", nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE
        ),
    }


@pytest.fixture
def issue(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., list[int]]:
    """Issue the quarterly reports as on ``today``, then run the generations queued on commit."""

    def run(today: datetime.date = FIRST_OF_OCTOBER) -> list[int]:
        with django_capture_on_commit_callbacks(execute=True):
            return services.issue_quarterly_reports(today=today)

    return run


def issued() -> list[tuple[str, str, str, int, str]]:
    return sorted(
        Report.objects.values_list("organisation__name", "period", "language", "version", "status"),
    )


def test_one_report_per_organisation_in_scope_for_the_quarter_just_ended(
    organisations: dict[str, Organisation], issue: Callable[..., list[int]]
) -> None:
    created = issue()

    assert sorted(created) == sorted(Report.objects.values_list("pk", flat=True))
    assert issued() == [
        ("Ville essentielle", "2026-Q3", "fr", 1, "done"),
        ("Ville importante", "2026-Q3", "fr", 1, "done"),
    ]
    assert not Report.objects.filter(organisation=organisations["not_in_scope"]).exists()
    assert Report.objects.filter(requested_by__isnull=False).count() == 0


def test_issuing_twice_is_harmless(organisations: dict[str, Organisation], issue: Callable[..., list[int]]) -> None:
    issue()
    before = list(Report.objects.order_by("pk").values())

    created = issue()

    assert created == []
    assert list(Report.objects.order_by("pk").values()) == before


def test_an_organisation_whose_report_was_already_requested_gets_no_second_one(
    organisations: dict[str, Organisation], issue: Callable[..., list[int]]
) -> None:
    services.report_request(
        organisation=organisations["essential"], period="2026-Q3", language="en", actor=None, enqueue=False
    )

    issue()

    assert [row[:4] for row in issued()] == [
        ("Ville essentielle", "2026-Q3", "en", 1),
        ("Ville importante", "2026-Q3", "fr", 1),
    ]


def test_executives_receive_a_link_not_the_pdf(
    organisations: dict[str, Organisation],
    member_of: Callable[..., Membership],
    issue: Callable[..., list[int]],
    mailoutbox: list[Any],
) -> None:
    essential = organisations["essential"]
    member_of(essential, Role.EXECUTIVE, username="maire", email="maire@ville.example")
    member_of(essential, Role.EXECUTIVE, username="dgs", email="dgs@ville.example")
    member_of(essential, Role.EXECUTIVE, username="sans-courriel", email="")
    member_of(essential, Role.SECURITY_OFFICER, username="rssi", email="rssi@ville.example")

    issue()

    assert len(mailoutbox) == 1  # the other organisation has no executive
    message = mailoutbox[0]
    assert sorted(message.to) == ["dgs@ville.example", "maire@ville.example"]
    assert message.attachments == []
    assert settings.SITE_URL + reverse("report-list-page", args=[essential.pk]) in message.body
    assert "2026-Q3" in message.subject
    assert essential.name in message.subject
    report = Report.objects.get(organisation=essential)
    assert report.notified_at is not None
    assert Report.objects.get(organisation=organisations["important"]).notified_at is None


def test_a_report_is_announced_once(
    organisations: dict[str, Organisation],
    member_of: Callable[..., Membership],
    issue: Callable[..., list[int]],
    mailoutbox: list[Any],
) -> None:
    member_of(organisations["essential"], Role.EXECUTIVE)
    issue()
    report = Report.objects.get(organisation=organisations["essential"])

    result = tasks.generate_report.delay(report.pk).get()

    assert result == "done"
    assert len(mailoutbox) == 1


def test_the_beat_task_counts_the_reports_it_issued(
    organisations: dict[str, Organisation], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        count = tasks.issue_quarterly_reports.delay().get()

    assert count == 2
    assert sorted(Report.objects.values_list("period", flat=True)) == ["2026-Q3", "2026-Q3"]  # today is in Q4


def test_beat_runs_on_the_first_day_of_each_quarter() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["quarterly-reports"]
    schedule = entry["schedule"]

    assert entry["task"] == "reports.issue_quarterly_reports"
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == {1}
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert (schedule.hour, schedule.minute) == ({6}, {0})
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
