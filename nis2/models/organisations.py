"""Organisations, their members and the base every domain model uses: the tenancy core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nis2.entity_status import EntityKind, Nis2Status, StatusSuggestion, suggest_nis2_status
from nis2.roles import ROLES_READING_CHILDREN, Resource, Role, roles_writing
from nis2.siren import normalise_siren, siren_is_valid

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def validate_siren(value: str) -> None:
    if not siren_is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIREN: 9 digits with a correct check digit are expected."),
            code="invalid_siren",
            params={"value": value},
        )


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def readable_organisation_ids(user: AbstractBaseUser | AnonymousUser) -> RawSQL:
    """The one scoping predicate: ids of the organisations the user may read, as a SQL subquery. A union of
    two index lookups (the user's memberships; the children of the organisations where the user is an
    admin or auditor), so its cost follows the user's memberships, never the size of the database: the
    planner joins a handful of ids to the scoped table's ``organisation_id`` index."""
    membership = Membership._meta.db_table
    organisation = Organisation._meta.db_table
    roles = sorted(ROLES_READING_CHILDREN)
    placeholders = ", ".join(["%s"] * len(roles))
    return RawSQL(
        f"SELECT m.organisation_id FROM {membership} m WHERE m.user_id = %s "  # model tables only
        f"UNION SELECT o.id FROM {organisation} o JOIN {membership} p ON o.parent_id = p.organisation_id "
        f"WHERE p.user_id = %s AND p.role IN ({placeholders})",
        (user.pk, user.pk, *roles),
    )


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> OrganisationQuerySet:
        """Organisations whose data the user may read: own memberships, plus the children of
        organisations where the user is an admin or auditor."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=readable_organisation_ids(user))

    def writable_by(self, user: AbstractBaseUser | AnonymousUser, resource: Resource) -> OrganisationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user.pk, memberships__role__in=roles_writing(resource)).distinct()


class Nis2StatusChoices(models.TextChoices):
    """The NIS 2 status an organisation records, with the labels every page and report shows
    (also reachable as ``Organisation.Nis2StatusChoices``)."""

    ESSENTIAL = Nis2Status.ESSENTIAL.value, _("Essential entity")
    IMPORTANT = Nis2Status.IMPORTANT.value, _("Important entity")
    NOT_IN_SCOPE = Nis2Status.NOT_IN_SCOPE.value, _("Not in scope")


class Organisation(TimestampedModel):
    """A French local authority (or a grouping of them) using Rempart."""

    class Kind(models.TextChoices):
        COMMUNE = EntityKind.COMMUNE.value, _("Commune")
        COMMUNAUTE_COMMUNES = EntityKind.COMMUNAUTE_COMMUNES.value, _("Intercommunality — communauté de communes")
        COMMUNAUTE_AGGLOMERATION = (
            EntityKind.COMMUNAUTE_AGGLOMERATION.value,
            _("Intercommunality — communauté d'agglomération"),
        )
        COMMUNAUTE_URBAINE = EntityKind.COMMUNAUTE_URBAINE.value, _("Intercommunality — communauté urbaine")
        METROPOLE = EntityKind.METROPOLE.value, _("Intercommunality — métropole")
        DEPARTEMENT = EntityKind.DEPARTEMENT.value, _("Département")
        REGION = EntityKind.REGION.value, _("Région")
        COLLECTIVITE_STATUT_PARTICULIER = (
            EntityKind.COLLECTIVITE_STATUT_PARTICULIER.value,
            _(
                "Collectivité à statut particulier "
                "(Métropole de Lyon, Ville de Paris, Corse, Guyane, Martinique, Mayotte…)"
            ),
        )
        SYNDICAT = EntityKind.SYNDICAT.value, _("Syndicat")
        OTHER = EntityKind.OTHER.value, _("Other")

    Nis2StatusChoices = Nis2StatusChoices

    name = models.CharField(_("name"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population reference year"), null=True, blank=True, help_text=_("INSEE legal population year.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The intercommunality that pools IT services for this organisation."),
    )
    nis2_status = models.CharField(_("NIS 2 status"), max_length=16, choices=Nis2StatusChoices.choices)
    nis2_status_justification = models.TextField(
        _("NIS 2 status justification"),
        blank=True,
        help_text=_("Required when the status differs from the one the scoping rule suggests."),
    )
    mfa_required = models.BooleanField(
        _("two-factor authentication required for administrators and security officers"),
        default=False,
        help_text=_(
            "When set, administrators and security officers of this organisation must confirm each sign-in with "
            "a code from an authenticator application (or sign in through an identity provider that did)."
        ),
    )

    # Registration with the national competent authority: Directive (EU) 2022/2555, Art. 3(4) (name, address,
    # contacts, IP ranges, sector; changes notified). In France, ANSSI's MonEspaceNIS2 service
    # (nis2/data/transposition.yaml). What the organisation declared, as it recorded it: Rempart does not call
    # the service.
    registered_on = models.DateField(
        _("registered with ANSSI on"),
        null=True,
        blank=True,
        help_text=_("The date the organisation registered on MonEspaceNIS2, ANSSI's registration service."),
    )
    registration_identifier = models.CharField(
        _("registration identifier"),
        max_length=100,
        blank=True,
        help_text=_("The identifier or file number ANSSI's service gave the registration, if any."),
    )
    registration_contact = models.EmailField(
        _("contact declared to ANSSI"),
        blank=True,
        help_text=_("The e-mail address declared as the organisation's contact in the registration."),
    )
    registration_updated_on = models.DateField(
        _("registration last updated on"),
        null=True,
        blank=True,
        help_text=_("The date the registered information was last brought up to date (changes must be notified)."),
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True)
                | Q(registration_updated_on__isnull=True)
                | Q(registration_updated_on__gte=models.F("registered_on")),
                name="organisation_registration_updated_after_registered",
                violation_error_message=_("The registration cannot be updated before the date it was made."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def nis2_status_suggestion(self) -> StatusSuggestion:
        """What the scoping rule suggests for this organisation (``nis2.entity_status``): for a communauté
        d'agglomération, from the population of its member communes entered in Rempart (its children)."""
        return suggest_nis2_status(
            kind=EntityKind(self.kind),
            population=self.population,
            largest_member_population=self._largest_member_population(),
        )

    def suggested_nis2_status(self) -> Nis2Status:
        """The suggested status, ``Nis2Status.UNKNOWN`` when the data the rule needs is missing."""
        return self.nis2_status_suggestion().status

    def clean(self) -> None:
        super().clean()
        self.siren = normalise_siren(self.siren or "")
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
        if self.kind in self.Kind.values and self.nis2_status and not self.nis2_status_justification.strip():
            suggestion = self.nis2_status_suggestion()
            if not suggestion.allows(self.nis2_status):
                raise ValidationError({"nis2_status_justification": self._justification_needed(suggestion)})

    def _justification_needed(self, suggestion: StatusSuggestion) -> str:
        if suggestion.is_determined:
            return _("Explain why the NIS 2 status differs from the suggested one (%(suggested)s).") % {
                "suggested": self.Nis2StatusChoices(suggestion.status).label
            }
        return _("Explain why you chose this NIS 2 status: the data entered can only lead to %(possible)s.") % {
            "possible": " / ".join(str(self.Nis2StatusChoices(status).label) for status in suggestion.possible_statuses)
        }

    def _largest_member_population(self) -> int | None:
        """The population of the largest member commune entered (None: none entered). Only a communauté
        d'agglomération needs it; ``organisation_list`` annotates it to spare a query per row."""
        if self.kind != self.Kind.COMMUNAUTE_AGGLOMERATION or self.pk is None:
            return None
        if "largest_member_population" in self.__dict__:
            annotated: int | None = self.__dict__["largest_member_population"]
            return annotated
        largest: int | None = self.children.aggregate(largest=models.Max("population"))["largest"]
        return largest


# The fields of an organisation its administrators edit, declared once: the getting-started page's forms,
# the API serializer and ``organisation_update`` derive their field lists from these groups.
ORGANISATION_STATUS_FIELDS = ("population", "population_year", "nis2_status", "nis2_status_justification")
ORGANISATION_REGISTRATION_FIELDS = (
    "registered_on",
    "registration_identifier",
    "registration_contact",
    "registration_updated_on",
)
ORGANISATION_SECURITY_FIELDS = ("mfa_required",)
ORGANISATION_EDITABLE_FIELDS = (
    "name",
    *ORGANISATION_STATUS_FIELDS,
    *ORGANISATION_SECURITY_FIELDS,
    *ORGANISATION_REGISTRATION_FIELDS,
)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> MembershipQuerySet:
        return self.filter(organisation_id__in=readable_organisation_ids(user))


class Membership(TimestampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_role_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class OrganisationScopedQuerySet(models.QuerySet[Any]):
    """Base queryset of every domain model that belongs to one organisation (of whichever model the
    subclass serves: the base names none)."""

    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        if not user.is_authenticated:
            return self.none()
        # The alias adds nothing to the SQL; it tells ``nis2.api.viewsets`` the rows are scoped already.
        return self.filter(organisation_id__in=readable_organisation_ids(user)).alias(**{SCOPED_FOR: Value(user.pk)})


# The alias a queryset scoped by ``readable_by`` carries: the user's id.
SCOPED_FOR = "rempart_scoped_for"


class OrganisationScopedModel(TimestampedModel):
    """Abstract base of domain data owned by one organisation. Subclasses add
    ``history = HistoricalRecords()`` and keep ``objects`` a subclass of the scoped queryset."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        abstract = True
