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

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents import deadlines, selectors
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


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders whose thresholds were crossed; returns how many were sent by this run."""
    now = now or timezone.now()
    sent = 0
    # A system task: it runs over every organisation, unscoped on purpose, and writes to no one else.
    pending = (
        Incident.objects.exclude(status=Incident.Status.CLOSED)
        .filter(obligations__due_at__isnull=False, obligations__not_required=False)
        .distinct()
        .prefetch_related(selectors.obligation_prefetch())
        .select_related("organisation")
    )
    for incident in pending:
        for view in selectors.obligation_views(incident, now=now):
            if not view.is_pending or view.obligation.due_at is None:
                continue
            obligation = view.obligation
            already = {
                reminder.threshold for reminder in obligation.reminders.all() if reminder.due_at == obligation.due_at
            }
            if obligation.rule.without_undue_delay:
                thresholds = [deadlines.DUE_NOW_THRESHOLD]
            else:
                thresholds = deadlines.thresholds_crossed(obligation.window_start, obligation.due_at, now)
            for threshold in thresholds:
                if threshold in already:
                    continue
                if _claim_and_send(view.obligation, threshold):
                    sent += 1
    return sent


def _claim_and_send(obligation: Obligation, threshold: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(obligation=obligation, due_at=obligation.due_at, threshold=threshold)
            subject, body = _message(obligation, threshold)
            recipients = _recipients(obligation.incident.organisation_id)
            transaction.on_commit(
                lambda: (
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
                    if recipients
                    else logger.warning(
                        "No security officer e-mail for organisation %s", obligation.incident.organisation_id
                    )
                )
            )
    except IntegrityError:
        return False  # another run claimed this reminder first
    return True
