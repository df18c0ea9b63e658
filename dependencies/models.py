"""Where the information system rests on which vendors: domains, legal entities and their ownership
chains, products and alternatives, and each organisation's components as deployed."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dependencies.choices import Deployment, LicenceModel, Sensitivity, Strategy, StrategyStatus
from nis2.models import (
    Localized,
    Organisation,
    OrganisationScopedModel,
    TimestampedModel,
    readable_organisation_ids,
    user_field,
)

Entry = TypeVar("Entry", bound=models.Model)
country_code = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 country code, e.g. FR, DE, US."))


class CatalogueQuerySet(models.QuerySet[Entry]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> CatalogueQuerySet[Entry]:
        """The shared catalogue plus the entries the user's organisations added themselves."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id__in=readable_organisation_ids(user)))


def catalogue_keys(prefix: str) -> list[models.BaseConstraint]:
    """A key is unique in the shared catalogue, and within each organisation's own additions."""
    return [
        models.UniqueConstraint(fields=["key"], condition=Q(organisation__isnull=True), name=f"{prefix}_shared_key"),
        models.UniqueConstraint(fields=["organisation", "key"], name=f"{prefix}_organisation_key"),
    ]


class Domain(TimestampedModel):
    class Block(models.TextChoices):
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        SOFTWARE = "software", _("Software")
        WORKSTATION = "workstation", _("Workstation")

    code = models.CharField(_("code"), max_length=8, unique=True)
    block = models.CharField(_("block"), max_length=16, choices=Block.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name = Localized("name")
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LegalEntity(TimestampedModel):
    """A vendor, operator or host. Its country is the head office's; the ultimate parent's country is
    derived by walking ``parent`` links, never typed twice."""

    key = models.SlugField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    identifier = models.CharField(_("SIREN or other identifier"), max_length=40, blank=True)
    country = models.CharField(
        _("head-office country"),
        max_length=2,
        blank=True,
        validators=[country_code],
        help_text=_("Empty when unknown (an international open-source community, for instance)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    parent_since = models.DateField(_("controlled by the parent since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    as_of = models.DateField(_("facts as of"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for the shared catalogue; set when an organisation adds an entity for itself."),
    )

    history = HistoricalRecords()
    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["name"]
        constraints = catalogue_keys("entity")

    def __str__(self) -> str:
        return self.name

    def chain(self) -> list[LegalEntity]:
        """This entity and its parents up to the ultimate parent (cycle-safe)."""
        chain: list[LegalEntity] = []
        seen: set[int] = set()
        current: LegalEntity | None = self
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain

    @property
    def ultimate_parent(self) -> LegalEntity:
        return self.chain()[-1]

    def clean(self) -> None:
        super().clean()
        parent = self.parent if self.parent_id else None
        if parent is not None and self.pk and any(entity.pk == self.pk for entity in parent.chain()):
            raise ValidationError({"parent": _("This parent would make the ownership chain loop.")})


class Product(TimestampedModel):
    LicenceModel = LicenceModel

    key = models.SlugField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    publisher = models.ForeignKey(
        LegalEntity, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="products"
    )
    licence_model = models.CharField(_("licence model"), max_length=16, choices=LicenceModel.choices)
    spdx = models.CharField(_("SPDX licence"), max_length=64, blank=True)
    domains = models.ManyToManyField(Domain, verbose_name=_("domains"), blank=True, related_name="products")
    sill_id = models.CharField(_("SILL id"), max_length=20, blank=True)
    wikidata = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    comptoir_id = models.CharField(_("Comptoir du Libre id"), max_length=20, blank=True)
    alternatives = models.ManyToManyField(
        "self",
        verbose_name=_("European or open-source alternatives"),
        symmetrical=False,
        blank=True,
        related_name="alternative_to",
    )
    verified = models.BooleanField(_("verified"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("added by"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    history = HistoricalRecords()
    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = catalogue_keys("product")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open_source(self) -> bool:
        return self.licence_model in (self.LicenceModel.OPEN_SOURCE, self.LicenceModel.PUBLIC_COMMONS)


class Component(OrganisationScopedModel):
    """A product as deployed by one organisation, with what it takes to score its dependency."""

    Sensitivity = Sensitivity
    Strategy = Strategy
    StrategyStatus = StrategyStatus

    name = models.CharField(_("name"), max_length=200)
    domain = models.ForeignKey(Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="components")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="components")
    deployment = models.CharField(_("deployment"), max_length=24, choices=Deployment.choices)
    operator = models.ForeignKey(
        LegalEntity, verbose_name=_("operator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hosting_provider = models.ForeignKey(
        LegalEntity,
        verbose_name=_("hosting provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hosting_country = models.CharField(_("hosting country"), max_length=2, blank=True, validators=[country_code])
    data_country = models.CharField(_("data country"), max_length=2, blank=True, validators=[country_code])
    certifications = models.JSONField(
        _("certifications"),
        default=list,
        blank=True,
        help_text=_('List of {"scheme": "SecNumCloud", "valid_until": "2027-06-30"}.'),
    )
    data_sensitivity = models.CharField(
        _("data sensitivity"), max_length=16, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    criticality = models.PositiveSmallIntegerField(
        _("criticality (1–4)"), validators=[MinValueValidator(1), MaxValueValidator(4)], default=2
    )
    legal_obligation = models.BooleanField(
        _("supports a legal obligation"),
        default=False,
        help_text=_("État civil, elections, payroll...: criticality 3 at least."),
    )
    users = models.PositiveIntegerField(_("users"), null=True, blank=True)
    annual_cost_eur = models.DecimalField(
        _("annual cost (€)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    full_export_open_formats = models.BooleanField(_("full export in open formats"), default=False)
    open_standards_apis = models.BooleanField(_("open standards and APIs"), default=False)
    alternative_exists = models.BooleanField(_("an alternative exists"), default=False)
    dependent_components = models.PositiveSmallIntegerField(_("dependent components"), default=0)
    reversibility = models.BooleanField(_("reversibility clause or tested exit plan"), default=False)
    exposure_override = models.PositiveSmallIntegerField(
        _("exposure override (0–4)"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    exposure_override_justification = models.TextField(_("why the exposure is overridden"), blank=True)
    strategy = models.CharField(_("strategy"), max_length=16, choices=Strategy.choices, blank=True)
    strategy_owner = user_field(_("strategy owner"))
    strategy_target_date = models.DateField(_("strategy target date"), null=True, blank=True)
    strategy_status = models.CharField(_("strategy status"), max_length=16, choices=StrategyStatus.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["organisation", "domain__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="component_unique_name"),
            models.CheckConstraint(
                condition=Q(exposure_override__isnull=True) | ~Q(exposure_override_justification=""),
                name="component_override_justified",
            ),
            models.CheckConstraint(
                condition=Q(legal_obligation=False) | Q(criticality__gte=3), name="component_legal_obligation_critical"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.legal_obligation and self.criticality < 3:
            errors["criticality"] = _("A component supporting a legal obligation has a criticality of 3 at least.")
        if self.exposure_override is not None and not self.exposure_override_justification.strip():
            errors["exposure_override_justification"] = _("Explain why the derived exposure is overridden.")
        if errors:
            raise ValidationError(errors)


class DependencySharing(TimestampedModel):
    """An organisation's consent to show its parent intercommunality an anonymised dependency profile."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="dependency_sharing"
    )
    share_with_parent = models.BooleanField(_("share an anonymised profile with the intercommunality"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependency sharing")
        verbose_name_plural = _("dependency sharing")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.share_with_parent}"
