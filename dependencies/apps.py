from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_domains_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Imported when the signal fires: at module level, the models would load before the app registry is ready.
    from dependencies.services import load_domains

    load_domains()


class DependenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dependencies"
    verbose_name = _("Dependency map")
    organisation_nav = [(_("Dependencies"), "dependency-map")]
    dashboard_panels = "dependencies.dashboard.panels"
    onboarding_steps = [
        (_("Import your dependency file"), _("Fill in the template, one row per component."), "dependency-import")
    ]
    search_provider = "dependencies.dashboard.search"

    def ready(self) -> None:
        post_migrate.connect(load_domains_after_migrate, sender=self, dispatch_uid="dependencies-domains")
