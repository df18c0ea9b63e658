from celery import shared_task

from controls.reminders import send_duty_reminders


@shared_task(name="controls.send_duty_reminders", acks_late=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def send_recurring_duty_reminders() -> int:
    """Beat runs this every morning; running it twice, or concurrently, sends nothing twice."""
    return send_duty_reminders()
