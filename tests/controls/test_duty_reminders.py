"""Reminders of the recurring duties: one e-mail per duty, due date and threshold (due soon, overdue; a duty never
recorded once, as overdue), in French, to the organisation's security officers and administrators.

The commune's backup and restore test (ReCyF 13.2, yearly) was last done on 2025-12-15: due on 2026-12-15, "due
soon" from 2026-11-15, overdue from 2026-12-16. Every other duty was done on 2026-06-01 (on track until 2027-05-02).
"""

import datetime

import pytest
from django.conf import settings

from controls import duties, tasks
from controls.models import DutyCompletion, DutyReminder
from controls.reminders import send_duty_reminders
from nis2.celery import app as celery_app
from nis2.models import Organisation
from nis2.roles import Role
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BACKUP_DONE = datetime.date(2025, 12, 15)
OTHERS_DONE = datetime.date(2026, 6, 1)
BEFORE_WINDOW = datetime.date(2026, 11, 14)
IN_WINDOW = datetime.date(2026, 11, 20)
LATER_IN_WINDOW = datetime.date(2026, 12, 1)
OVERDUE = datetime.date(2026, 12, 16)
LATER_OVERDUE = datetime.date(2027, 1, 20)


@pytest.fixture
def commune(organisation) -> Organisation:
    """An essential entity, all of whose duties are on track but the backup test."""
    for duty in duties.all_duties():
        done_on = BACKUP_DONE if duty.code == "backup-restore-test" else OTHERS_DONE
        DutyCompletion.objects.create(organisation=organisation, duty=duty.code, done_on=done_on)
    return organisation


@pytest.fixture
def recipients(organisation, security_officer, member_of) -> list[str]:
    """The security officer and an administrator are reminded; the other roles, a security officer without an
    address and the security officer of a neighbour outside the scope of NIS 2 are not."""
    member_of(organisation, Role.ADMIN, username="dgs-admin", email="admin@ville.example")
    member_of(organisation, Role.SECURITY_OFFICER, username="rssi-sans-adresse", email="")
    for role in (Role.IT, Role.EXECUTIVE, Role.AUDITOR):
        member_of(organisation, role, username=f"{role}-ville", email=f"{role}@ville.example")
    neighbour = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE)
    member_of(neighbour, Role.SECURITY_OFFICER, username="rssi-voisin", email="rssi@voisine.example")
    return ["admin@ville.example", "rssi@ville.example"]


@pytest.fixture
def run(django_capture_on_commit_callbacks, french_catalogue):
    """``run(today)``: one pass of the reminder job, its e-mails sent as they are after the commit."""

    def send(today: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_duty_reminders(today=today)

    return send


def _claimed() -> list[tuple[str, datetime.date, str]]:
    return list(DutyReminder.objects.order_by("pk").values_list("duty", "due_on", "threshold"))


def test_nothing_is_sent_while_every_duty_is_on_track(run, commune, recipients, mailoutbox) -> None:
    assert run(BEFORE_WINDOW) == 0
    assert mailoutbox == []
    assert _claimed() == []


def test_a_duty_due_within_thirty_days_is_reminded_once_in_french(run, commune, recipients, mailoutbox) -> None:
    sent = run(IN_WINDOW)

    assert sent == 1
    [email] = mailoutbox
    assert sorted(email.to) == recipients
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == (
        "Obligation récurrente à échéance le 15 décembre 2026 : "
        f"Test des sauvegardes et de la restauration — {commune.name}"
    )
    assert email.body == (
        "« Test des sauvegardes et de la restauration » (ReCyF 13.2, tous les ans) : dernière réalisation le "
        "15 décembre 2025, prochaine échéance le 15 décembre 2026.\n\n"
        f"{duties.duty_by_code('backup-restore-test').description_fr}\n\n"
        "Une fois l’obligation remplie, enregistrez-la dans le calendrier des obligations récurrentes : "
        f"{settings.SITE_URL}/o/{commune.pk}/calendar/duties/"
    )
    assert _claimed() == [("backup-restore-test", datetime.date(2026, 12, 15), "soon")]


@pytest.mark.parametrize(
    "second_run", [pytest.param(IN_WINDOW, id="same-day"), pytest.param(LATER_IN_WINDOW, id="later-still-soon")]
)
def test_running_again_sends_nothing(run, commune, recipients, mailoutbox, second_run) -> None:
    run(IN_WINDOW)

    assert run(second_run) == 0
    assert len(mailoutbox) == 1
    assert len(_claimed()) == 1


def test_once_overdue_one_more_reminder_and_no_other(run, commune, recipients, mailoutbox) -> None:
    run(IN_WINDOW)

    assert run(OVERDUE) == 1
    assert run(OVERDUE) == 0
    assert run(LATER_OVERDUE) == 0

    assert [email.subject.split(" :")[0] for email in mailoutbox] == [
        "Obligation récurrente à échéance le 15 décembre 2026",
        "Obligation récurrente en retard",
    ]
    assert "l’échéance du 15 décembre 2026 est dépassée" in mailoutbox[1].body
    assert _claimed() == [
        ("backup-restore-test", datetime.date(2026, 12, 15), "soon"),
        ("backup-restore-test", datetime.date(2026, 12, 15), "overdue"),
    ]


def test_a_duty_first_seen_overdue_gets_the_overdue_reminder_only(run, commune, recipients, mailoutbox) -> None:
    assert run(OVERDUE) == 1
    assert _claimed() == [("backup-restore-test", datetime.date(2026, 12, 15), "overdue")]


def test_recording_the_duty_starts_a_new_cycle(run, commune, recipients, mailoutbox) -> None:
    run(IN_WINDOW)
    run(OVERDUE)
    DutyCompletion.objects.create(organisation=commune, duty="backup-restore-test", done_on=datetime.date(2026, 12, 20))

    run(datetime.date(2027, 11, 25))

    assert [claim for claim in _claimed() if claim[0] == "backup-restore-test"] == [
        ("backup-restore-test", datetime.date(2026, 12, 15), "soon"),
        ("backup-restore-test", datetime.date(2026, 12, 15), "overdue"),
        ("backup-restore-test", datetime.date(2027, 12, 20), "soon"),
    ]


def test_a_duty_never_recorded_is_reminded_once(run, organisation, recipients, mailoutbox) -> None:
    first = run(IN_WINDOW)
    second = run(IN_WINDOW + datetime.timedelta(days=1))
    third = run(LATER_OVERDUE)

    assert (first, second, third) == (len(duties.all_duties()), 0, 0)
    assert {email.subject for email in mailoutbox} == {
        f"Obligation récurrente jamais enregistrée : {duty.title_fr} — {organisation.name}"
        for duty in duties.all_duties()
    }
    assert all("aucune réalisation n’est encore enregistrée dans Rempart" in email.body for email in mailoutbox)
    assert {threshold for _duty, _due, threshold in _claimed()} == {"overdue"}


def test_an_important_entity_is_reminded_of_its_duties_only(run, member_of, mailoutbox) -> None:
    important = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)
    member_of(important, Role.SECURITY_OFFICER, email="rssi@petite-ville.example")

    run(IN_WINDOW)

    reminded = {duty for duty, _due, _threshold in _claimed()}
    assert reminded == {duty.code for duty in duties.duties_for("important")}
    assert len(reminded) == 6
    assert len(mailoutbox) == 6


def test_an_organisation_outside_the_scope_of_nis2_is_not_reminded(run, member_of, mailoutbox) -> None:
    outside = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE)
    member_of(outside, Role.SECURITY_OFFICER, email="rssi@hors-champ.example")

    assert run(IN_WINDOW) == 0
    assert mailoutbox == []
    assert _claimed() == []


def test_an_organisation_without_anyone_to_remind_is_claimed_without_e_mail(run, commune, mailoutbox) -> None:
    assert run(IN_WINDOW) == 1
    assert mailoutbox == []
    assert len(_claimed()) == 1


def test_the_task_runs_the_reminders_and_beat_schedules_it_daily(
    organisation, recipients, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["duty-reminders"]
    assert entry["task"] == tasks.send_recurring_duty_reminders.name == "controls.send_duty_reminders"
    assert "controls.send_duty_reminders" in celery_app.tasks

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_recurring_duty_reminders.delay().get()
        second = tasks.send_recurring_duty_reminders.delay().get()

    assert (first, second) == (len(duties.all_duties()), 0)  # nothing recorded yet: each duty reminded once
    assert len(mailoutbox) == len(duties.all_duties())
