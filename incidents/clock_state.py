"""Every obligation's stored clock state in set-based passes: for the migration that adds the fields and
for data loaded in bulk (the national benchmark). Takes the model classes, so that a migration can pass
its historical models; ``incidents.services.incident_sync_obligations`` keeps the state afterwards."""

from __future__ import annotations

import datetime
from typing import Any

from incidents import deadlines


def store_clock_state(Obligation: Any, Filing: Any, ReminderSent: Any, ReportingRule: Any) -> int:
    """Fill ``settled_at`` (the first filing, or the earlier filing of a later step that covers it) and
    ``next_reminder_at`` (the next threshold not yet reminded) of every obligation, as
    ``incidents.services.incident_sync_obligations`` stores them from now on."""
    by_step: dict[tuple[int, str], datetime.datetime] = {}
    by_obligation: dict[int, datetime.datetime] = {}
    for obligation_id, incident_id, step, submitted_at in (
        Filing.objects.filter(supersedes__isnull=True)
        .order_by("recorded_at", "pk")
        .values_list("obligation_id", "obligation__incident_id", "obligation__step", "submitted_at")
    ):
        by_step.setdefault((incident_id, step), submitted_at)
        by_obligation.setdefault(obligation_id, submitted_at)
    covering: dict[str, list[str]] = {}
    for step, satisfies in (
        ReportingRule.objects.filter(active=True).exclude(satisfies_step="").values_list("step", "satisfies_step")
    ):
        covering.setdefault(satisfies, []).append(step)
    sent: dict[tuple[int, datetime.datetime | None], set[int]] = {}
    for obligation_id, due_at, threshold in ReminderSent.objects.values_list("obligation_id", "due_at", "threshold"):
        sent.setdefault((obligation_id, due_at), set()).add(threshold)
    changed, count = [], 0
    for obligation in Obligation.objects.select_related("rule", "incident").iterator(chunk_size=2000):
        if obligation.step == "intermediate":
            settled = by_obligation.get(obligation.pk)
        else:
            times = [
                by_step.get((obligation.incident_id, step))
                for step in [obligation.step, *covering.get(obligation.step, [])]
            ]
            settled = min((time for time in times if time), default=None)
        remind = None
        if not settled and not obligation.not_required and obligation.incident.status != "closed":
            remind = deadlines.next_reminder_at(
                window_start=obligation.window_start,
                due_at=obligation.due_at,
                without_undue_delay=obligation.rule.without_undue_delay,
                sent=sent.get((obligation.pk, obligation.due_at), set()),
            )
        obligation.settled_at, obligation.next_reminder_at = settled, remind
        changed.append(obligation)
        count += 1
        if len(changed) >= 2000:
            Obligation.objects.bulk_update(changed, ["settled_at", "next_reminder_at"])
            changed = []
    Obligation.objects.bulk_update(changed, ["settled_at", "next_reminder_at"])
    return count
