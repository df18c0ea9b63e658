from celery import shared_task

from incidents.reminders import send_due_reminders


@shared_task(name="incidents.send_deadline_reminders", acks_late=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def send_deadline_reminders() -> int:
    """Beat runs this every few minutes; running it twice, or concurrently, sends nothing twice."""
    return send_due_reminders()
