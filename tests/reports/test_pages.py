"""The reports page: the list, the form for those who may generate, and the row htmx polls meanwhile."""

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports.models import Report
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def list_url(organisation: Organisation) -> str:
    return reverse("report-list-page", args=[organisation.pk])


def status_url(report: Report) -> str:
    return reverse("report-status", args=[report.organisation_id, report.pk])


@pytest.fixture
def signed_in(client: Client) -> Callable[[Membership], Client]:
    """The web client, signed in as the member, asking for English pages."""

    def sign_in(membership: Membership) -> Client:
        client.force_login(membership.user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


def test_security_officer_generates_a_report_from_the_page(
    organisation: Organisation,
    security_officer: Membership,
    signed_in: Callable[[Membership], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = signed_in(security_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(list_url(organisation), {"period": "2026-Q3", "language": "en"})

    assert response.status_code == 302
    assert response["Location"] == list_url(organisation)
    report = Report.objects.get()
    assert (report.period, report.language, report.version, report.status) == ("2026-Q3", "en", 1, "done")
    page = client.get(list_url(organisation)).content.decode()
    assert reverse("report-pdf", args=[report.pk]) in page
    # The work ran after the request (as a worker would): the message says it is on its way.
    assert "The report is being generated: its line below updates itself and offers the download." in page


@pytest.mark.django_db(transaction=True)
def test_in_eager_mode_the_message_says_the_report_is_ready_as_its_line_does(
    organisation: Organisation, security_officer: Membership, signed_in: Callable[[Membership], Client]
) -> None:
    client = signed_in(security_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = client.post(list_url(organisation), {"period": "2026-Q3", "language": "fr"}, follow=True)
    text = html.unescape(page.content.decode())
    assert Report.objects.get().status == "done"
    assert "Le rapport est prêt : téléchargez-le depuis sa ligne ci-dessous." in text
    assert "en cours" not in text.lower()


def test_an_executive_is_told_who_can_generate_a_report(
    organisation: Organisation, member_of: Callable[..., Membership], signed_in: Callable[[Membership], Client]
) -> None:
    officer = member_of(organisation, Role.SECURITY_OFFICER)
    officer.user.first_name, officer.user.last_name = "Camille", "Roux"
    officer.user.save()
    client = signed_in(member_of(organisation, Role.EXECUTIVE))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    text = html.unescape(client.get(list_url(organisation)).content.decode())
    assert "Qui peut générer un rapport" in text
    assert "Camille Roux (Responsable de la sécurité (RSSI))" in text


def test_a_quarter_not_ended_is_refused_with_a_message(
    organisation: Organisation, security_officer: Membership, signed_in: Callable[[Membership], Client]
) -> None:
    client = signed_in(security_officer)

    response = client.post(list_url(organisation), {"period": "2026-Q4", "language": "fr"}, follow=True)

    assert "A report covers a quarter that has ended." in response.content.decode()
    assert Report.objects.count() == 0


def test_executive_reads_the_list_but_has_no_form_and_cannot_post(
    organisation: Organisation, member_of: Callable[..., Membership], signed_in: Callable[[Membership], Client]
) -> None:
    report = ReportFactory(organisation=organisation)
    client = signed_in(member_of(organisation, Role.EXECUTIVE))

    page = client.get(list_url(organisation))
    refused = client.post(list_url(organisation), {"period": "2026-Q3", "language": "fr"})

    assert page.status_code == 200
    assert f'id="report-{report.pk}"' in page.content.decode()
    assert "Generate a report" not in page.content.decode()
    assert refused.status_code == 403
    assert list(Report.objects.values_list("pk", flat=True)) == [report.pk]


def test_the_row_polls_while_the_report_is_generated_and_stops_when_done(
    organisation: Organisation, security_officer: Membership, signed_in: Callable[[Membership], Client]
) -> None:
    report = ReportFactory(organisation=organisation, status=Report.Status.RUNNING, progress=35, pdf="", sha256="")
    client = signed_in(security_officer)

    running = client.get(status_url(report)).content.decode()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100)
    done = client.get(status_url(report)).content.decode()

    assert f'hx-get="{status_url(report)}"' in running
    assert 'value="35"' in running
    assert "hx-get" not in done
    assert reverse("report-pdf", args=[report.pk]) in done


def test_another_organisation_reports_do_not_exist_for_a_member(
    security_officer: Membership, signed_in: Callable[[Membership], Client]
) -> None:
    other = ReportFactory()
    client = signed_in(security_officer)

    assert client.get(list_url(other.organisation)).status_code == 404
    assert client.get(status_url(other)).status_code == 404
    assert client.post(list_url(other.organisation), {"period": "2026-Q3"}).status_code == 404
    assert Report.objects.count() == 1
