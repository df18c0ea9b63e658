from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from nis2.models import (
    ORGANISATION_REGISTRATION_FIELDS,
    ORGANISATION_SECURITY_FIELDS,
    ORGANISATION_STATUS_FIELDS,
    Organisation,
)
from nis2.roles import Role

if TYPE_CHECKING:
    # ModelForm is generic for the type checker only (Django's class takes no subscript at run time).
    _OrganisationForm = forms.ModelForm[Organisation]
else:
    _OrganisationForm = forms.ModelForm


class StatusForm(_OrganisationForm):
    """The NIS 2 status, with the population the scoping rule reads (a commune without one gets no suggestion)."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_STATUS_FIELDS
        widgets = {"nis2_status_justification": forms.Textarea(attrs={"rows": 2})}


class RegistrationForm(_OrganisationForm):
    """What the organisation declared to ANSSI (MonEspaceNIS2); the dates are checked by ``organisation_update``."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_REGISTRATION_FIELDS
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "registration_updated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AccountSecurityPolicyForm(_OrganisationForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_SECURITY_FIELDS


class InviteForm(forms.Form):
    """Invite someone by e-mail address: they receive a link to accept (``invitation_create``)."""

    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationAccountForm(forms.Form):
    """The username of the account created when a person without one accepts an invitation."""

    username = forms.CharField(label=_("Username"), max_length=150)
