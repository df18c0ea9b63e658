from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Nis2Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nis2"
    verbose_name = _("Tenancy")
    waiting_jobs = "nis2.archive.selectors.oldest_waiting_export"

    def ready(self) -> None:
        # Imported once the app registry is ready (the receiver imports models); connects the sign-in receiver.
        from nis2.mfa import signals  # noqa: F401
