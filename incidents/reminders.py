"""Deadline reminders to the security officers, exactly once per obligation, due date and threshold
(a due date that moves is a new deadline, reminded again). A report due "without undue delay" gets one
reminder, as soon as it is due.

The row in ReminderSent is inserted before the e-mail leaves, inside the same transaction, and its
unique constraint settles races: when two runs (or two workers) reach the same threshold, only the
one whose insert succeeds sends; the e-mail goes out after that row is committed.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents import deadlines
from incidents.legal_bases import legal_basis_label
from incidents.models import Incident, Obligation, ReminderSent
from nis2.models import Membership
from nis2.roles import Role

logger = logging.getLogger(__name__)


def _recipients(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(organisation_id=organisation_id, role=Role.SECURITY_OFFICER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _message(obligation: Obligation, threshold: int) -> tuple[str, str]:
    incident = obligation.incident
    with translation.override("fr"):
        due = date_format(timezone.localtime(obligation.due_at), "DATETIME_FORMAT")
        prefix = _("[EXERCISE] ") if incident.is_exercise else ""
        if obligation.rule.without_undue_delay:
            subject = _("%(prefix)sDUE NOW (without undue delay): %(step)s — %(incident)s")
        elif threshold >= 100:
            subject = _("%(prefix)sOVERDUE: %(step)s — %(incident)s")
        else:
            subject = _("%(prefix)s%(share)s %% of the time elapsed: %(step)s — %(incident)s")
        subject %= {
            "prefix": prefix,
            "share": threshold,
            "step": obligation.get_step_display(),
            "incident": incident.title,
        }
        body = _(
            "%(step)s for the incident “%(incident)s” is due to %(authority)s on %(due)s (Europe/Paris).\n"
            "Legal basis: %(basis)s.\n%(url)s"
        ) % {
            "step": obligation.get_step_display(),
            "incident": incident.title,
            "authority": obligation.authority.name,
            "due": due,
            "basis": legal_basis_label(obligation.rule.legal_basis),
            "url": settings.SITE_URL + reverse("incident-detail-page", args=[incident.organisation_id, incident.pk]),
        }
    return subject, body


BATCH_SIZE = 500


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders whose thresholds were crossed; returns how many were sent by this run. Reads only
    the obligations whose stored next reminder has come (an index), in batches: the run's cost follows the
    reminders due, not the number of open incidents."""
    now = now or timezone.now()
    sent, after, recipients = 0, 0, _RecipientCache()
    # A system task: it runs over every organisation, unscoped on purpose, and writes to no one else.
    while True:
        batch = list(
            Obligation.objects.filter(next_reminder_at__lte=now, pk__gt=after)
            .select_related("incident", "rule", "authority")
            .prefetch_related("reminders")
            .order_by("pk")[:BATCH_SIZE]
        )
        if not batch:
            return sent
        after = batch[-1].pk
        for obligation in batch:
            sent += _remind(obligation, now, recipients)


def _remind(obligation: Obligation, now: datetime.datetime, recipients: _RecipientCache) -> int:
    """Send what this obligation is owed at ``now``, then store when its next reminder falls due."""
    reminded = 0
    already = {reminder.threshold for reminder in obligation.reminders.all() if reminder.due_at == obligation.due_at}
    open_and_pending = (
        obligation.incident.status != Incident.Status.CLOSED
        and obligation.settled_at is None
        and not obligation.not_required
        and obligation.due_at is not None
    )
    if open_and_pending and obligation.due_at is not None:
        if obligation.rule.without_undue_delay:
            thresholds = [deadlines.DUE_NOW_THRESHOLD]
        else:
            thresholds = deadlines.thresholds_crossed(obligation.window_start, obligation.due_at, now)
        for threshold in thresholds:
            if threshold not in already and _claim_and_send(obligation, threshold, recipients):
                reminded += 1
            already.add(threshold)
    following = (
        deadlines.next_reminder_at(
            window_start=obligation.window_start,
            due_at=obligation.due_at,
            without_undue_delay=obligation.rule.without_undue_delay,
            sent=already,
        )
        if open_and_pending
        else None
    )
    Obligation.objects.filter(pk=obligation.pk).update(next_reminder_at=following)
    return reminded


class _RecipientCache:
    """The security officers' addresses of each organisation, read once per run."""

    def __init__(self) -> None:
        self.found: dict[int, list[str]] = {}

    def __call__(self, organisation_id: int) -> list[str]:
        if organisation_id not in self.found:
            self.found[organisation_id] = _recipients(organisation_id)
        return self.found[organisation_id]


def _send(subject: str, body: str, recipients: list[str], organisation_id: int) -> None:
    """Once the reminder's claim is committed: mail the security officers, or say there is nobody to mail."""
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    else:
        logger.warning("No security officer e-mail for organisation %s", organisation_id)


def _claim_and_send(obligation: Obligation, threshold: int, recipients_of: _RecipientCache) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(obligation=obligation, due_at=obligation.due_at, threshold=threshold)
            subject, body = _message(obligation, threshold)
            organisation_id = obligation.incident.organisation_id
            recipients = recipients_of(organisation_id)
            transaction.on_commit(partial(_send, subject, body, recipients, organisation_id))
    except IntegrityError:
        return False  # another run claimed this reminder first
    return True
