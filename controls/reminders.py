"""Reminders of the recurring ReCyF duties (controls/duties.py), e-mailed to each organisation's security
officers and administrators once per duty, due date and threshold: when the next date comes within the "due
soon" window, then once more when it has passed. A duty never recorded is reminded once, as overdue (its due
date, "today", would otherwise move every day); recording it starts the calendar. Organisations outside the
scope of NIS 2 keep the calendar page but get no reminder: ReCyF does not bind them (as for quarterly reports).

As for the incident reminders (incidents/reminders.py), the DutyReminder row is inserted in the transaction
that prepares the e-mail, and its unique constraint settles races: when two runs reach the same threshold,
only the one whose insert succeeds sends; the e-mail leaves after that row is committed.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from controls import duties, selectors
from controls.models import DutyReminder, entity_category_of
from nis2.models import Membership, Organisation
from nis2.roles import Role

logger = logging.getLogger(__name__)

ROLES_REMINDED = (Role.SECURITY_OFFICER, Role.ADMIN)
THRESHOLDS = {
    duties.DutyStatus.DUE_SOON: DutyReminder.Threshold.SOON,
    duties.DutyStatus.OVERDUE: DutyReminder.Threshold.OVERDUE,
    duties.DutyStatus.NEVER_DONE: DutyReminder.Threshold.OVERDUE,
}


def send_duty_reminders(*, today: datetime.date | None = None) -> int:
    """Send the reminders of every organisation's duties that became due soon or overdue; returns how many
    e-mails this run prepared (a run repeated the same day prepares none)."""
    today = today or timezone.localdate()
    # A system task: it reads every organisation in scope, unscoped on purpose, and writes to no one else.
    # Organisations outside NIS 2 (most communes) are left out of every read, not only of the loop.
    scope = Organisation.objects.exclude(nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE)
    ids = scope.values("pk")  # a subquery in each read below
    latest = selectors.latest_duty_completions(organisation_ids=ids)
    sent_before = set(
        DutyReminder.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "duty", "due_on", "threshold"
        )
    )
    reminded_overdue = {
        (organisation_id, duty) for organisation_id, duty, _due, threshold in sent_before if threshold == "overdue"
    }
    recipients = _recipients(ids)
    sent = 0
    for organisation in scope.only("pk", "name", "nis2_status").order_by("pk"):
        for duty in duties.duties_for(entity_category_of(organisation)):
            completion = latest.get((organisation.pk, duty.code))
            last_done = completion.done_on if completion else None
            due_on = duties.next_due(last_done, duty.every_months, today=today)
            state = duties.status(due_on, today, ever_done=completion is not None)
            threshold = THRESHOLDS.get(state)
            if threshold is None:
                continue
            if state is duties.DutyStatus.NEVER_DONE:
                if (organisation.pk, duty.code) in reminded_overdue:
                    continue
            elif (organisation.pk, duty.code, due_on, threshold) in sent_before:
                continue
            reminder = DutyReminder(organisation=organisation, duty=duty.code, due_on=due_on, threshold=threshold)
            if _claim_and_send(reminder, duty, state, last_done, recipients.get(organisation.pk, [])):
                sent += 1
    return sent


def _recipients(organisation_ids: QuerySet[Organisation, Mapping[str, object]]) -> dict[int, list[str]]:
    """The e-mail addresses of these organisations' security officers and administrators (one query);
    ``organisation_ids`` is a ``values("pk")`` subquery."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = (
        Membership.objects.filter(role__in=ROLES_REMINDED, organisation_id__in=organisation_ids)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in rows:
        found[organisation_id].add(email)
    return {organisation_id: sorted(emails) for organisation_id, emails in found.items()}


def _claim_and_send(
    reminder: DutyReminder,
    duty: duties.Duty,
    state: duties.DutyStatus,
    last_done: datetime.date | None,
    recipients: list[str],
) -> bool:
    try:
        with transaction.atomic():
            reminder.full_clean(validate_constraints=False)  # the insert below settles uniqueness
            reminder.save()
            subject, body = _message(reminder, duty, state, last_done)
            organisation_id = reminder.organisation_id

            def send() -> None:
                if not recipients:
                    logger.warning("No security officer or administrator e-mail in organisation %s", organisation_id)
                    return
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)

            transaction.on_commit(send)
    except IntegrityError:
        return False  # another run claimed this reminder first
    return True


def _message(
    reminder: DutyReminder, duty: duties.Duty, state: duties.DutyStatus, last_done: datetime.date | None
) -> tuple[str, str]:
    """The e-mail in French, the language of the people reminded."""
    with translation.override("fr"):
        values = {
            "duty": duty.title_fr,
            "organisation": reminder.organisation.name,
            "ref": duty.recyf_ref,
            "period": duties.period_in_words(duty.every_months),
            "due": date_format(reminder.due_on, "DATE_FORMAT"),
            "last": date_format(last_done, "DATE_FORMAT") if last_done else "",
        }
        if state is duties.DutyStatus.NEVER_DONE:
            subject = _("Recurring duty never recorded: %(duty)s — %(organisation)s")
            situation = _("“%(duty)s” (ReCyF %(ref)s, %(period)s): no performance recorded in Rempart yet.")
        elif state is duties.DutyStatus.OVERDUE:
            subject = _("Recurring duty overdue: %(duty)s — %(organisation)s")
            situation = _(
                "“%(duty)s” (ReCyF %(ref)s, %(period)s): last done on %(last)s; the due date, %(due)s, has passed."
            )
        else:
            subject = _("Recurring duty due on %(due)s: %(duty)s — %(organisation)s")
            situation = _("“%(duty)s” (ReCyF %(ref)s, %(period)s): last done on %(last)s, next due on %(due)s.")
        url = settings.SITE_URL + reverse("duty-calendar", args=[reminder.organisation_id])
        body = "\n\n".join(
            [
                situation % values,
                duty.description_fr,
                _("Once it is done, record it on the calendar of recurring duties: %(url)s") % {"url": url},
            ]
        )
    return subject % values, body
