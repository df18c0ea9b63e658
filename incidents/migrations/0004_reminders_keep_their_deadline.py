from django.db import migrations
from django.db.models import OuterRef, Subquery


def stamp_deadline(apps, schema_editor):
    """Reminders already sent were for the obligation's deadline as it stands."""
    ReminderSent = apps.get_model("incidents", "ReminderSent")
    Obligation = apps.get_model("incidents", "Obligation")
    ReminderSent.objects.filter(due_at__isnull=True).update(
        due_at=Subquery(Obligation.objects.filter(pk=OuterRef("obligation_id")).values("due_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_reporting_clock_end_to_end")]

    operations = [migrations.RunPython(stamp_deadline, migrations.RunPython.noop)]
