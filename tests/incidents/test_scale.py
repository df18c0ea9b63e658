"""Issue 15: the register, the home panel, the statistics and the reminder task cost what they show, not
the organisation's history: query counts pinned for 10 and for 1,000 incidents; the stored clock state
(``settled_at``, ``next_reminder_at``) agrees with the statuses computed from the filings."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents import deadlines, reminders, selectors, services
from incidents.models import Incident, Obligation
from nis2.clock import PARIS
from tests.incidents.factories import significant_incident

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 10, 5, 8, 0, tzinfo=PARIS)


def _clone(template: Incident, count: int) -> None:
    """``count`` copies of ``template`` and its obligations, bulk-inserted: each a minute earlier, so that
    deadlines and detection times differ."""
    obligations = list(template.obligations.all())
    copies = []
    for index in range(count):
        shift = datetime.timedelta(minutes=index + 1)
        copies.append(
            Incident(
                organisation_id=template.organisation_id,
                title=f"{template.title} {index}",
                detected_at=template.detected_at - shift,
                aware_at=template.aware_at - shift if template.aware_at else None,
                category=template.category,
                subcategory=template.subcategory,
                severity=template.severity,
                significant=template.significant,
                significant_justification=template.significant_justification,
                status=template.status,
            )
        )
    created = Incident.objects.bulk_create(copies)
    Obligation.objects.bulk_create(
        Obligation(
            incident=incident,
            step=obligation.step,
            rule_id=obligation.rule_id,
            authority_id=obligation.authority_id,
            window_start=obligation.window_start,
            due_at=obligation.due_at - datetime.timedelta(minutes=index + 1) if obligation.due_at else None,
            settled_at=obligation.settled_at,
            next_reminder_at=obligation.next_reminder_at,
        )
        for index, incident in enumerate(created)
        for obligation in obligations
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


@pytest.fixture
def template(organisation, security_officer) -> Incident:
    return significant_incident(organisation, actor=security_officer.user, detected_at=START, aware_at=START)


@pytest.mark.parametrize("sort", ["detected", "deadline", "severity"])
def test_the_register_page_costs_its_page(client, organisation, security_officer, template, sort) -> None:
    client.force_login(security_officer.user)
    url = reverse("incident-register", args=[organisation.pk]) + f"?sort={sort}"
    _clone(template, 9)
    few = _queries(lambda: client.get(url))
    _clone(template, 990)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) <= few
    rows = response.context["rows"]
    assert len(rows) == 50
    if sort == "deadline":  # the earliest pending deadline first, sorted by the database
        dues = [row["next"].obligation.due_at for row in rows]
        assert dues == sorted(dues)
        earliest = Obligation.objects.filter(selectors.PENDING_WITH_DUE_DATE).order_by("due_at").first()
        assert dues[0] == earliest.due_at


def test_the_home_panel_and_the_statistics_cost_the_same_for_10_and_1000_incidents(
    client, officer_api, organisation, security_officer, template
) -> None:
    client.force_login(security_officer.user)
    home = reverse("organisation-home", args=[organisation.pk])
    _clone(template, 9)
    few_home, few_stats = (
        _queries(lambda: client.get(home)),
        _queries(lambda: officer_api.get("/api/v1/incidents/stats/")),
    )
    _clone(template, 990)
    assert _queries(lambda: client.get(home)) <= few_home
    assert _queries(lambda: officer_api.get("/api/v1/incidents/stats/")) <= few_stats
    assert officer_api.get("/api/v1/incidents/stats/").json()["total"] == 1000


def test_the_reminder_task_reads_only_the_reminders_due(
    organisation, security_officer, template, django_capture_on_commit_callbacks
) -> None:
    now = template.obligations.get(step="early_warning").due_at - datetime.timedelta(hours=1)
    reminders.send_due_reminders(now=now)  # the template's own reminders up to now
    _clone(template, 9)
    Obligation.objects.exclude(incident=template).update(next_reminder_at=now + datetime.timedelta(days=30))
    few = _queries(lambda: reminders.send_due_reminders(now=now))
    _clone(template, 990)
    Obligation.objects.exclude(incident=template).update(next_reminder_at=now + datetime.timedelta(days=30))
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        assert reminders.send_due_reminders(now=now) == 0
    assert len(queries) <= few <= 1
    # Three early warnings come due an hour before their deadline: the 50 % and 80 % reminders of each
    # go, and nothing else, in a bounded number of queries.
    due = list(Obligation.objects.exclude(incident=template).filter(step="early_warning")[:3])
    Obligation.objects.filter(pk__in=[o.pk for o in due]).update(next_reminder_at=now - datetime.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(now=now) == 6
    assert len(queries) <= 25
    assert len(mail.outbox) == 6
    for obligation in Obligation.objects.filter(pk__in=[o.pk for o in due]):
        assert obligation.next_reminder_at > now


def _expected(incident: Incident, now: datetime.datetime) -> tuple:
    views = selectors.obligation_views(incident, now=now)
    upcoming = selectors.next_deadline(views)
    return (
        upcoming.obligation.due_at if upcoming else None,
        sum(1 for view in views if view.status == deadlines.Status.OVERDUE),
    )


def _varied_incidents(organisation, actor) -> list[Incident]:
    """Filed on time, filed late, covered by a later step, judged not required, an intermediate report
    filed and one not, a closed incident."""
    found = []
    for index in range(6):
        found.append(
            significant_incident(
                organisation,
                actor=actor,
                title=f"Incident {index}",
                detected_at=START + datetime.timedelta(days=index),
                aware_at=START + datetime.timedelta(days=index, hours=1),
                personal_data_breach=index % 2 == 0,
            )
        )
    first, second, third, fourth, fifth, _sixth = found
    warning = first.obligations.get(step="early_warning")
    services.obligation_file(obligation=warning, actor=actor, submitted_at=warning.due_at - datetime.timedelta(hours=1))
    late = second.obligations.get(step="early_warning")
    services.obligation_file(
        obligation=late, actor=actor, submitted_at=late.due_at + datetime.timedelta(hours=2), delay_reason="Panne."
    )
    covering = third.obligations.get(step="notification")
    services.obligation_file(
        obligation=covering, actor=actor, submitted_at=covering.window_start + datetime.timedelta(hours=3)
    )
    gdpr = third.obligations.filter(step="gdpr_breach").first()
    if gdpr is not None:
        services.obligation_mark_not_required(obligation=gdpr, actor=actor, rationale="Aucune donnée exposée.")
    requested = fourth.detected_at + datetime.timedelta(days=2)
    asked = services.obligation_request_intermediate(
        incident=fourth, actor=actor, requested_at=requested, due_at=requested + datetime.timedelta(days=3)
    )
    services.obligation_file(obligation=asked, actor=actor, submitted_at=requested + datetime.timedelta(days=1))
    services.obligation_request_intermediate(
        incident=fifth, actor=actor, requested_at=requested, due_at=requested + datetime.timedelta(days=2)
    )
    return found


def test_the_stored_clock_state_agrees_with_the_filings(organisation, security_officer) -> None:
    _varied_incidents(organisation, security_officer.user)
    for now in (START + datetime.timedelta(hours=20), START + datetime.timedelta(days=9), timezone.now()):
        annotated = {
            incident.pk: (incident.next_due, incident.overdue_count)
            for incident in selectors.with_clock(Incident.objects.all(), now=now)
        }
        listed = selectors.incident_list(user=security_officer.user)
        for incident in listed:
            assert annotated[incident.pk] == _expected(incident, now), incident.title
        stats = selectors.incident_stats(Incident.objects.all(), start=None, end=None, now=now)
        statuses = [view.status for incident in listed for view in selectors.obligation_views(incident, now=now)]
        assert (stats.obligations_on_time, stats.obligations_late, stats.obligations_overdue) == (
            statuses.count(deadlines.Status.SUBMITTED),
            statuses.count(deadlines.Status.SUBMITTED_LATE),
            statuses.count(deadlines.Status.OVERDUE),
        )


def test_the_backfill_stores_what_the_services_store(organisation, security_officer) -> None:
    _varied_incidents(organisation, security_officer.user)
    stored = set(Obligation.objects.values_list("pk", "settled_at", "next_reminder_at"))
    assert any(settled for _pk, settled, _next in stored)
    assert any(upcoming for _pk, _s, upcoming in stored)
    Obligation.objects.update(settled_at=None, next_reminder_at=None)
    assert services.obligations_backfill() == len(stored)
    assert set(Obligation.objects.values_list("pk", "settled_at", "next_reminder_at")) == stored


def test_declaring_an_incident_through_the_api_is_a_lean_write(officer_api, organisation) -> None:
    """The timeline entries and the obligations of a new incident are written in one statement each (and
    one for their history); nothing is read that a new incident cannot have. Was 80 statements."""
    body = {
        "organisation": organisation.pk,
        "title": "Rançongiciel à la médiathèque",
        "detected_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "category": "malicious-code",
        "subcategory": "infected-system",
        "severity": "high",
        "significant": "yes",
        "significant_justification": "Prêts et retours interrompus.",
    }
    with CaptureQueriesContext(connection) as queries:
        response = officer_api.post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 201
    statements = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) <= 21, "\n".join(statements)
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.timeline.count() == 3  # declared, judged significant, the clock started at the verdict
    assert incident.history.count() == 1
    assert Obligation.history.filter(incident_id=incident.pk).count() == incident.obligations.count() == 4
