"""Every word French where the reader is French (issue 13).

On the demo enriched until every choice value is present (tests/fixtures/every_choice.py), every web page
is opened by every role of the intercommunality (and the pages before sign-in anonymously), the e-mails
the application sends are triggered, and the PDFs are rendered, all in French. The text a person reads
goes through the detectors of tests/french_text.py: no English message of the catalogue left as is, no
raw choice value, no doubled percent sign, no common English word. A failure lists, per page, e-mail or
PDF and reader, what was found, with the text around it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from controls.models import Assessment
from incidents import reminders
from incidents.models import Incident, Step
from nis2 import services as tenancy_services
from nis2.mfa import services as mfa_services
from nis2.periods import quarter_of
from nis2.roles import Role
from reports import services as report_services
from reports.models import Report
from tests.fixtures.every_choice import PASSWORD, EveryChoice, demo_with_every_choice, missing_values
from tests.french_page_walk import ANONYMOUS_PAGES, SIGN_IN_PAGES, visits, web_routes
from tests.french_reading import Problems, french_checker, french_client, read_html, read_page, read_pdf
from tests.french_text import FrenchChecker

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def every_choice(french_catalogue: None, django_capture_on_commit_callbacks: Any, mailoutbox: list) -> EveryChoice:
    every = demo_with_every_choice(capture_on_commit=django_capture_on_commit_callbacks)
    missing = missing_values()
    assert missing == [], f"values no row of the enriched demo holds (tests/fixtures/every_choice.py): {missing}"
    return every


def _read_every_page(every: EveryChoice, checker: FrenchChecker, problems: Problems) -> set[str | None]:
    """Every page by every role of the intercommunality, the pages before signing in anonymously, and the
    sign-in with an authenticator; the names of the routes some reader could open."""
    routes = web_routes()
    opened: set[str | None] = set()
    signed_in_pages = visits([route for route in routes if route.name not in ANONYMOUS_PAGES | SIGN_IN_PAGES], every)
    for role, person in every.people.items():
        client, reader = french_client(person), str(Role(role).label)
        for visit in signed_in_pages:
            if read_page(client, visit.url, reader, checker, problems) == 200:
                opened.add(visit.route.name)
        read_page(client, "/o/0/", reader, checker, problems)  # the page-not-found page
    anonymous = french_client()
    for visit in visits([route for route in routes if route.name in ANONYMOUS_PAGES], every):
        # The password link keeps its token in the session and redirects to the form: followed.
        if read_page(anonymous, visit.url, "anonymous", checker, problems, follow=True) == 200:
            opened.add(visit.route.name)
    opened |= _read_second_factor_pages(every, checker, problems)
    _read_item_save(every, checker, problems)
    return {route.name for route in routes} - opened


def _read_second_factor_pages(every: EveryChoice, checker: FrenchChecker, problems: Problems) -> set[str]:
    """Set up an authenticator (its steps, then the recovery codes), then sign in again: the page asking for
    the code."""
    user, reader = every.people[Role.AUDITOR], str(Role.AUDITOR.label)
    client = french_client(user)
    started = client.post(reverse("account-security"), {"action": "start", "next": "/"})
    read_html(started, "account security: setting up an authenticator", reader, checker, problems)
    device = mfa_services.pending_authenticator(user=user)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    confirmed = client.post(reverse("account-security"), {"action": "confirm", "code": f"{code:06d}", "next": "/"})
    read_html(confirmed, "account security: recovery codes", reader, checker, problems)
    user.set_password(PASSWORD)
    user.save()
    signing_in = french_client()
    signing_in.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    asked = signing_in.get(reverse("second-factor"))
    assert asked.status_code == 200
    read_html(asked, reverse("second-factor"), reader, checker, problems)
    return SIGN_IN_PAGES


def _read_item_save(every: EveryChoice, checker: FrenchChecker, problems: Problems) -> None:
    """The assessment grid's inline save, an htmx fragment: saved, then refused as stale."""
    assessment = Assessment.objects.get(organisation=every.organisation, status=Assessment.Status.IN_PROGRESS)
    item = assessment.items.order_by("requirement__position").last()
    client, reader = french_client(every.people[Role.IT]), str(Role.IT.label)
    url = reverse("item-detail", args=[every.organisation.pk, assessment.pk, item.pk])
    form = {"applicable": "on", "current_level": "2", "target_level": "4", "justification": "", "comment": "Revu."}
    for version, case in ((item.version, "saved"), (item.version, "stale")):
        response = client.post(url, {**form, "version": version}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        read_html(response, f"{url} (htmx save, {case})", reader, checker, problems)


def _read_every_email(every: EveryChoice, mailoutbox: list, capture_on_commit: Any) -> dict[str, int]:
    """Trigger every e-mail the application sends (the invitations were sent while enriching the demo); how
    many of each kind left."""
    sent = {"invitation": len(mailoutbox)}
    with capture_on_commit(execute=True):
        reminders.send_due_reminders(now=timezone.now())
    sent["reminder"] = len(mailoutbox) - sum(sent.values())
    report = Report.objects.filter(
        organisation=every.organisation, kind=Report.Kind.QUARTERLY, status=Report.Status.DONE, language="fr"
    ).first()
    report_services.notify_executives(report=report)
    sent["report ready"] = len(mailoutbox) - sum(sent.values())
    french_client().post(reverse("password-reset"), {"email": every.people[Role.SECURITY_OFFICER].email})
    sent["password reset"] = len(mailoutbox) - sum(sent.values())
    tenancy_services.password_set_link_send(
        user=every.people[Role.ADMIN], organisation=every.organisation, link=f"{settings.SITE_URL}/password/set/x/y/"
    )
    sent["password set"] = len(mailoutbox) - sum(sent.values())
    return sent


def test_every_page_email_and_draft_is_in_french(
    every_choice: EveryChoice, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    checker, problems = french_checker(), Problems()

    # Every page, by every reader
    never_opened = _read_every_page(every_choice, checker, problems)
    assert never_opened == set(), f"pages no reader could open (give the demo what they need): {never_opened}"

    # Every e-mail
    sent = _read_every_email(every_choice, mailoutbox, django_capture_on_commit_callbacks)
    assert all(sent.values()), f"e-mails not sent: {sent}"
    for message in mailoutbox:
        problems.add(
            f"e-mail “{message.subject}” to {', '.join(message.to)}",
            checker.findings(f"{message.subject}\n{message.body}"),
        )

    # Every report draft of every incident, at every step
    officer = french_client(every_choice.people[Role.SECURITY_OFFICER])
    for incident in Incident.objects.filter(organisation=every_choice.organisation):
        for step in Step.values:
            response = officer.get(reverse("incident-drafts", args=[incident.pk, step, "pdf"]))
            assert response.status_code == 200, (incident.pk, step, response.status_code)
            read_pdf(response.content, f"draft {step}.pdf of “{incident.title}”", checker, problems)

    if problems:
        pytest.fail(problems.report(), pytrace=False)


def test_every_report_pdf_is_in_french(every_choice: EveryChoice) -> None:
    """The quarterly reports the demo issued and a consolidated one, generated now (reports/rendering.py)."""
    checker, problems = french_checker(), Problems()
    organisation = every_choice.organisation
    consolidated = report_services.report_request(
        organisation=organisation,
        period=quarter_of(timezone.localdate()).previous().code,
        language="fr",
        consolidated=True,
        actor=every_choice.people[Role.ADMIN],
        enqueue=False,
    )
    report_services.report_generate(report_id=consolidated.pk)

    reports = Report.objects.filter(
        organisation=organisation, kind=Report.Kind.QUARTERLY, language="fr", status=Report.Status.DONE
    )
    assert reports.filter(consolidated=True).exists()
    assert reports.filter(consolidated=False).exists()
    for report in reports:
        with report.pdf.open("rb") as file:
            kind = " consolidated" if report.consolidated else ""
            read_pdf(file.read(), f"quarterly report {report.period}{kind} v{report.version}", checker, problems)

    if problems:
        pytest.fail(problems.report(), pytrace=False)
