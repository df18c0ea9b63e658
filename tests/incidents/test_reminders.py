"""Deadline reminders: once per obligation and threshold (50 %, 80 %, overdue), in French, to the
organisation's security officers only.

The incident (from ``significant_incident``) became significant on 2026-10-05 at 10:00 Paris time
(+02:00): its early warning window runs 24 h, to 2026-10-06 10:00; the notification's, 72 h.
"""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection

from incidents import services
from incidents.models import Incident, Obligation, ReminderSent
from incidents.reminders import send_due_reminders
from nis2.clock import PARIS
from nis2.roles import Role
from tests.incidents.factories import significant_incident
from tests.nis2.factories import OrganisationFactory

AWARE_AT = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=PARIS)
AT_60_PERCENT = AWARE_AT + datetime.timedelta(hours=14, minutes=24)
AT_65_PERCENT = AWARE_AT + datetime.timedelta(hours=15, minutes=36)
AT_85_PERCENT = AWARE_AT + datetime.timedelta(hours=20, minutes=24)
AFTER_DUE = AWARE_AT + datetime.timedelta(hours=24, minutes=1)
TITLE = "Rançongiciel sur les serveurs"


@pytest.fixture
def officers(organisation, security_officer, member_of) -> list[str]:
    """Two security officers (one without e-mail address does not count), and people who get no reminder:
    the other roles, and a security officer of another organisation."""
    member_of(organisation, Role.SECURITY_OFFICER, username="rssi-adjoint", email="adjoint@ville.example")
    member_of(organisation, Role.SECURITY_OFFICER, username="rssi-sans-adresse", email="")
    for role in (Role.ADMIN, Role.IT, Role.EXECUTIVE, Role.AUDITOR):
        member_of(organisation, role, username=f"{role}-ville", email=f"{role}@ville.example")
    member_of(OrganisationFactory(), Role.SECURITY_OFFICER, username="rssi-voisin", email="rssi@voisine.example")
    return ["adjoint@ville.example", "rssi@ville.example"]


@pytest.fixture
def incident(organisation, officers, french_catalogue) -> Incident:
    return significant_incident(organisation)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(now)``: one pass of the reminder job, its e-mails sent as they are after the commit."""

    def send(now: datetime.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(now=now)

    return send


def _early_warning(incident: Incident) -> Obligation:
    return incident.obligations.get(step="early_warning")


def _claimed() -> list[tuple[str, int]]:
    return list(ReminderSent.objects.order_by("pk").values_list("obligation__step", "threshold"))


@pytest.mark.django_db
def test_first_threshold_sends_one_email_to_the_security_officers(run, incident, mailoutbox) -> None:
    sent = run(AT_60_PERCENT)

    assert sent == 1
    [email] = mailoutbox
    assert sorted(email.to) == ["adjoint@ville.example", "rssi@ville.example"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == f"50 % du délai écoulé : Alerte précoce — {TITLE}"
    assert email.body == (
        f"Alerte précoce de l'incident « {TITLE} » : échéance le 6 octobre 2026 10:00 (Europe/Paris), "
        "destinataire : ANSSI / CERT-FR.\n"
        "Base légale : Directive (UE) 2022/2555, art. 23, § 4, a).\n"
        f"{settings.SITE_URL}/o/{incident.organisation_id}/incidents/{incident.pk}/"
    )
    assert _claimed() == [("early_warning", 50)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "second_run", [pytest.param(AT_60_PERCENT, id="same-time"), pytest.param(AT_65_PERCENT, id="later-below-80")]
)
def test_running_again_sends_nothing(run, incident, mailoutbox, second_run) -> None:
    run(AT_60_PERCENT)

    sent = run(second_run)

    assert sent == 0
    assert len(mailoutbox) == 1
    assert _claimed() == [("early_warning", 50)]


@pytest.mark.django_db
def test_eighty_percent_sends_one_more(run, incident, mailoutbox) -> None:
    run(AT_60_PERCENT)

    sent = run(AT_85_PERCENT)

    assert sent == 1
    assert [email.subject for email in mailoutbox] == [
        f"50 % du délai écoulé : Alerte précoce — {TITLE}",
        f"80 % du délai écoulé : Alerte précoce — {TITLE}",
    ]
    assert _claimed() == [("early_warning", 50), ("early_warning", 80)]


@pytest.mark.django_db
def test_after_the_due_time_one_overdue_email(run, incident, mailoutbox) -> None:
    run(AT_60_PERCENT)
    run(AT_85_PERCENT)

    sent = run(AFTER_DUE)
    again = run(AFTER_DUE + datetime.timedelta(hours=1))

    assert (sent, again) == (1, 0)
    assert len(mailoutbox) == 3
    assert mailoutbox[-1].subject == f"EN RETARD : Alerte précoce — {TITLE}"
    assert _claimed() == [("early_warning", 50), ("early_warning", 80), ("early_warning", 100)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filed_step",
    [
        pytest.param("early_warning", id="early-warning-filed"),
        pytest.param("notification", id="notification-filed-covers-the-early-warning"),
    ],
)
def test_submitted_obligation_gets_no_reminder(run, incident, mailoutbox, filed_step) -> None:
    services.obligation_file(
        obligation=incident.obligations.get(step=filed_step),
        actor=None,
        submitted_at=AWARE_AT + datetime.timedelta(hours=2),
    )

    sent = run(AT_85_PERCENT)

    assert sent == 0
    assert mailoutbox == []
    assert _claimed() == []


@pytest.mark.django_db
def test_obligation_judged_not_required_gets_no_reminder(run, incident, security_officer, mailoutbox) -> None:
    services.obligation_mark_not_required(
        obligation=_early_warning(incident),
        actor=security_officer.user,
        rationale="Alerte précoce transmise par téléphone au CERT-FR, consignée dans la main courante.",
    )

    sent = run(AT_60_PERCENT)

    assert sent == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_closed_incident_gets_no_reminder(run, incident, mailoutbox) -> None:
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.CLOSED)

    sent = run(AT_60_PERCENT)

    assert sent == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_exercise_reminders_say_so(run, organisation, officers, french_catalogue, mailoutbox) -> None:
    significant_incident(organisation, title="Exercice de crise cyber", is_exercise=True)

    run(AT_60_PERCENT)

    assert [email.subject for email in mailoutbox] == [
        "[EXERCICE] 50 % du délai écoulé : Alerte précoce — Exercice de crise cyber"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once(organisation, officers, mailoutbox) -> None:
    """Four workers reach the 50 % and 80 % thresholds together: the unique constraint lets one claim each."""
    incident = significant_incident(organisation)
    start = threading.Barrier(4)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            results.append(send_due_reminders(now=AT_85_PERCENT))
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(results) == 2
    assert sorted(ReminderSent.objects.filter(obligation__incident=incident).values_list("threshold", flat=True)) == [
        50,
        80,
    ]
    assert ReminderSent.objects.count() == 2
    assert len(mailoutbox) == 2
    assert sorted(email.subject[:2] for email in mailoutbox) == ["50", "80"]
