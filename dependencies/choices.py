"""The dependency map's choices, importable without the models: other apps show their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Strategy(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    NEGOTIATE = "negotiate", _("Negotiate")
    MITIGATE = "mitigate", _("Mitigate")
    MIGRATE = "migrate", _("Migrate")
    POOL = "pool", _("Pool")
    ELIMINATE = "eliminate", _("Eliminate")


class StrategyStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    PERSONAL = "personal", _("Personal data")
    SENSITIVE = "sensitive", _("Sensitive (health, social, minors)")
    PARTICULAR = "particular", _("Of particular sensitivity")


class Deployment(models.TextChoices):
    ON_PREMISES = "on_premises", _("On premises")
    EU_PRIVATE_HOSTING = "eu_private_hosting", _("Private hosting in the EU")
    VENDOR_SAAS = "vendor_saas", _("Vendor's SaaS")
    PUBLIC_CLOUD = "public_cloud", _("Public cloud")
    HYBRID = "hybrid", _("Hybrid")


class LicenceModel(models.TextChoices):
    PROPRIETARY = "proprietary", _("Proprietary")
    OPEN_SOURCE = "open_source", _("Open source")
    OPEN_CORE = "open_core", _("Open core")
    PUBLIC_COMMONS = "public_commons", _("Public digital commons")
