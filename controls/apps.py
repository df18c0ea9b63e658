from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "controls"
    verbose_name = _("NIS 2 controls")
    organisation_nav = [
        (_("Assessments"), "assessment-index"),
        (_("Action plan"), "action-plan"),
        (_("Recurring duties"), "duty-calendar"),
    ]
    dashboard_panels = "controls.dashboard.panels"
    onboarding_steps = [
        (_("Start the first self-assessment"), _("The requirements follow your NIS 2 status."), "assessment-index")
    ]
    search_provider = "controls.dashboard.search"
