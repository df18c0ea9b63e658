"""Every word French where the reader is French (issue 13).

On the demo enriched until every choice value is present (tests/fixtures/every_choice.py), every web page
is opened by every role of the intercommunality (and the pages before sign-in anonymously), the e-mails
the application sends are triggered, and the PDFs are rendered, all in French. The text a person reads
goes through the detectors of tests/french_text.py: no English message of the catalogue left as is, no
raw choice value, no doubled percent sign, no common English word. A failure lists, per page, e-mail or
PDF and reader, what was found, with the text around it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP

from controls.models import ActionItem, Assessment, Section
from dependencies import tabular
from dependencies.exposure import Law
from dependencies.models import Component, LegalEntity, Product
from incidents import deadlines, reminders, taxonomy
from incidents.models import Incident, Step
from nis2 import services as tenancy_services
from nis2.mfa import services as mfa_services
from nis2.periods import quarter_of
from nis2.roles import Role
from reports import services as report_services
from reports.models import Report
from tests.fixtures.every_choice import (
    PASSWORD,
    EveryChoice,
    choice_fields,
    demo_with_every_choice,
    missing_values,
)
from tests.french_text import Finding, FrenchChecker, english_fragments, pdf_text, read_po, visible_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# Routes that are not pages a person reads, so not opened here (each for the reason given).
NOT_PAGES = {
    # Downloads and feeds: files, not pages.
    "data-export-download": "the organisation's archive (ZIP)",
    "dependency-import-template": "the empty import file (CSV, column codes)",
    "action-export": "the action plan as CSV or XLSX (its French headers: tests/controls/test_action_plan.py)",
    "incident-calendar": "the ICS feed read by calendar applications",
    None: "unnamed routes: /favicon.ico",
    # Signing out and switching language: POST only, they redirect.
    "logout": "POST only",
    "set_language": "POST only",
    # The identity provider's redirections (ProConnect), off unless configured.
    "sso-sign-in": "redirects to the identity provider",
    "sso-callback": "the identity provider's return",
    # Actions: POST only, they redirect to the page they belong to (opened here).
    "assessment-validate": "POST only",
    "assessment-copy": "POST only",
    "item-evidence-add": "POST only",
    "item-action": "POST only",
    "item-confirm": "POST only",
    "assessment-section-target": "POST only",
    "assessment-section-not-applicable": "POST only",
    "action-status": "POST only",
    "incident-calendar-feed": "POST only",
    "incident-transition": "POST only",
    "incident-root-cause": "POST only",
    "incident-timeline-add": "POST only",
    "incident-intermediate": "POST only",
    "incident-corrective-add": "POST only",
    "incident-attachment-add": "POST only",
    "obligation-file": "POST only",
    "obligation-not-required": "POST only",
    "dependency-sharing": "POST only",
    "governance-approval-add": "POST only",
    "governance-training-add": "POST only",
    "governance-training-delete": "POST only",
}
# Pages opened before signing in.
ANONYMOUS_PAGES = {"login", "password-reset", "password-reset-done", "password-set", "password-set-done"}
# Opened through the sign-in with an authenticator (``_second_factor_pages``).
SIGN_IN_PAGES = {"second-factor"}

# Choice values that are also French words, or codes shown on purpose: a match proves nothing.
ALLOWED_RAW_VALUES = {
    "public": "French adjective (“site public”)",
    "local": "French noun and adjective (“local technique”)",
    "national": "French adjective",
    "organisation": "French noun",
    "action": "French noun (“plan d'action”)",
    "communication": "French noun",
    "note": "French noun",
    "commune": "French noun",
    "important": "French adjective (“entité importante” is the label, “important” a French word)",
    "investigation": "French noun",
    "violence": "French noun (RSIT type)",
    "sabotage": "French noun (RSIT type)",
    "exploit": "French noun (RSIT type)",
    "test": "French noun (RSIT class)",
    "scanner": "French noun (RSIT type)",
    "en": "French preposition (the code of the English language)",
    "bureau": "French noun (the deciding body)",
    "final": "French adjective (“rapport final”)",
    "notification": "French noun",
    "spam": "the RSIT's French names keep the English term of art in brackets: “Pourriel (spam)”",
    "sniffing": "as above: “Écoute du trafic réseau (sniffing)”",
}
# Unambiguous English words, whatever their case; not French, not a product or a column code.
ENGLISH_WORDS = {
    "the",
    "and",
    "with",
    "of",
    "for",
    "from",
    "this",
    "that",
    "your",
    "you",
    "are",
    "is",
    "was",
    "has",
    "have",
    "not",
    "none",
    "yes",
    "no",
    "unknown",
    "overdue",
    "pending",
    "done",
    "owner",
    "late",
    "closed",
    "failed",
    "running",
    "draft",
    "validated",
    "true",
    "false",
    "assessment",
    "requirement",
    "deadline",
    "submitted",
    "severity",
    "significant",
    "without",
    "should",
    "which",
    "when",
}
# Phrases removed before looking, each for the reason given.
ALLOWED_PHRASES = {
    "yes/no": "the words the import file accepts, shown next to “oui/non” (dependencies/import.html)",
    "open data": "French usage (the name of domain D14)",
    "open source": "French usage (“Libre (open source)”)",
    "manage.py import_organisation": "the command an operator types (the data export page)",
    **dict.fromkeys(tabular.COLUMNS, "a column of the import file, shown on purpose (dependencies/import.html)"),
}


@dataclass
class Problems:
    """Findings by where they were read (a page, an e-mail, a PDF) and by whom."""

    found: dict[tuple[str, str], list[Finding]] = field(default_factory=lambda: defaultdict(list))

    def add(self, place: str, findings: list[Finding], reader: str = "") -> None:
        known = self.found[(place, reader)]
        seen = {(finding.kind, finding.needle) for finding in known}
        for finding in findings:
            if (finding.kind, finding.needle) not in seen:
                seen.add((finding.kind, finding.needle))
                known.append(finding)

    def report(self) -> str:
        """One entry per place, the readers who saw the same findings there together."""
        readers: dict[tuple[str, tuple[Finding, ...]], list[str]] = defaultdict(list)
        for (place, reader), findings in self.found.items():
            if findings:
                readers[(place, tuple(findings))].append(reader)
        lines = [f"{len(readers)} place(s) with text a French reader should not see:"]
        for (place, findings), who in sorted(readers.items(), key=lambda item: item[0][0]):
            lines.append(f"- {place}" + (f" ({', '.join(sorted(who))})" if any(who) else ""))
            lines += [f"    {finding}" for finding in findings]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return any(self.found.values())


def raw_values() -> set[str]:
    """Codes that reach a reader only through their label: the domain models' choice values, the incident
    taxonomy's tags, the reporting clock's statuses and the extraterritorial laws' codes."""
    values = {value for _model, model_field in choice_fields() for value, _label in model_field.flatchoices}
    values |= {entry.tag for entry in taxonomy.classes()} | {
        item.tag for entry in taxonomy.classes() for item in entry.types
    }
    values |= {status.value for status in deadlines.Status} | {law.value for law in Law}
    return {value for value in values if isinstance(value, str) and value} - set(ALLOWED_RAW_VALUES)


def french_checker() -> FrenchChecker:
    """The detectors, with proper names left aside: the vendors and products of the catalogue, and the
    usernames (“admin” names the demo's administrator, not the role)."""
    names = (
        set(LegalEntity.objects.values_list("name", flat=True))
        | set(Product.objects.values_list("name", flat=True))
        | set(get_user_model().objects.values_list("username", flat=True))
    )
    return FrenchChecker(
        english=tuple(english_fragments(read_po(PO_FILE))),
        raw_values=frozenset(raw_values()),
        english_words=frozenset(ENGLISH_WORDS),
        ignored_phrases=tuple(names | set(ALLOWED_PHRASES)),
    )


@pytest.fixture
def every_choice(french_catalogue: None, django_capture_on_commit_callbacks: Any, mailoutbox: list) -> EveryChoice:
    every = demo_with_every_choice(capture_on_commit=django_capture_on_commit_callbacks)
    missing = missing_values()
    assert missing == [], f"values no row of the enriched demo holds (tests/fixtures/every_choice.py): {missing}"
    return every


# --- Routes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    path: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.path))


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield Route(pattern.name, prefix + str(pattern.pattern))


def web_routes() -> list[Route]:
    """Every route of the web interface: neither the API nor Django's admin site."""
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.path.startswith(("api/", "admin/")) and route.name not in NOT_PAGES
    ]


@dataclass
class Visit:
    route: Route
    url: str


def _argument_sets(route: Route, every: EveryChoice) -> list[dict[str, Any]]:
    """The demo objects a route's arguments can name, or a failure naming the route."""
    organisation = every.organisation
    parameters = route.parameters
    base = {"organisation_id": organisation.pk}
    if parameters == ():
        return [{}]
    if parameters == ("organisation_id",):
        return [base]
    if parameters == ("organisation_id", "assessment_id"):
        return [{**base, "assessment_id": pk} for pk in _assessments(organisation)]
    if parameters == ("organisation_id", "assessment_id", "item_id"):
        return [
            {**base, "assessment_id": assessment, "item_id": item}
            for assessment in _assessments(organisation)
            for item in _items(assessment)
        ]
    if parameters == ("organisation_id", "incident_id"):
        return [
            {**base, "incident_id": pk}
            for pk in Incident.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if parameters == ("organisation_id", "component_id"):
        return [
            {**base, "component_id": pk}
            for pk in Component.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if parameters == ("organisation_id", "action_id"):
        return [
            {**base, "action_id": pk}
            for pk in ActionItem.objects.filter(organisation=organisation).values_list("pk", flat=True)[:6]
        ]
    if parameters == ("organisation_id", "report_id"):
        return [
            {**base, "report_id": pk}
            for pk in Report.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if route.name == "invitation-accept":
        return [{"token": link.rstrip("/").rsplit("/", 1)[-1]} for link in every.invitation_links]
    if route.name == "password-set":
        user = every.people[Role.SECURITY_OFFICER]
        return [
            {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
        ]
    pytest.fail(f"no demo object fills the arguments {parameters} of {route.name} ({route.path}): add them here")


def _assessments(organisation: Any) -> list[int]:
    return list(Assessment.objects.filter(organisation=organisation).values_list("pk", flat=True))


def _items(assessment_id: int) -> list[int]:
    """The first requirement, a requirement judged not applicable and one rated at the top of the scale."""
    items = Assessment.objects.get(pk=assessment_id).items.order_by("requirement__position")
    chosen = [items.first(), items.filter(applicable=False).first(), items.filter(current_level=5).first()]
    return list(dict.fromkeys(item.pk for item in chosen if item is not None))


def _queries(route: Route, kwargs: dict[str, Any]) -> list[str]:
    """Variants of a page that show other rows: every objective of an assessment, the whole action plan."""
    if route.name == "assessment-grid":
        assessment = Assessment.objects.get(pk=kwargs["assessment_id"])
        if assessment.status != Assessment.Status.IN_PROGRESS:
            return [""]
        refs = Section.objects.filter(framework=assessment.framework_id, parent__isnull=True).values_list(
            "ref", flat=True
        )
        return ["", *(f"?section={ref}" for ref in refs)]
    if route.name == "action-plan":
        return ["", "?status=all", "?overdue=true"]
    if route.name == "search":
        return ["?q=messagerie", "?q=2"]
    return [""]


def visits(routes: list[Route], every: EveryChoice) -> list[Visit]:
    found = []
    for route in routes:
        for kwargs in _argument_sets(route, every):
            url = reverse(route.name, kwargs=kwargs)
            found += [Visit(route, url + query) for query in _queries(route, kwargs)]
    return found


# --- Reading ----------------------------------------------------------------------------------------


def french_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def read_html(response: HttpResponse, place: str, reader: str, checker: FrenchChecker, problems: Problems) -> None:
    problems.add(place, checker.findings(visible_text(response.content.decode())), reader)


def read_page(
    client: Client, url: str, reader: str, checker: FrenchChecker, problems: Problems, *, follow: bool = False
) -> int:
    """Open the page and read it (a redirection is not read: its target is a page of its own)."""
    response = client.get(url, follow=follow)
    assert response.status_code in (200, 302, 403, 404), (reader, url, response.status_code)
    if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
        read_html(response, url, reader, checker, problems)
    return response.status_code


def read_pdf(pdf: bytes, place: str, checker: FrenchChecker, problems: Problems) -> None:
    assert pdf.startswith(b"%PDF"), place
    problems.add(place, checker.findings(pdf_text(pdf)))


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


# --- The tests --------------------------------------------------------------------------------------


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
