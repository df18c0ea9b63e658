from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Quarterly reports")
    organisation_nav = [(_("Reports"), "report-list-page"), (_("Governance (Art. 20)"), "governance-page")]
    dashboard_panels = "reports.dashboard.panels"
    waiting_jobs = "reports.selectors.oldest_waiting_report"
