from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = _("Incident register")
    organisation_nav = [(_("Incidents"), "incident-register")]
    dashboard_panels = "incidents.dashboard.panels"
    search_provider = "incidents.dashboard.search"
    linked_records = "incidents.dashboard.linked_records"

    def ready(self) -> None:
        # Imported here: reference_data imports the models, which the app registry loads after this module.
        from incidents.reference_data import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid="incidents-reference-data")
