from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nis2.models import Organisation
from nis2.roles import Role


class StatusForm(forms.ModelForm):
    """The NIS 2 status, with the population the scoping rule reads (a commune without one gets no suggestion)."""

    class Meta:
        model = Organisation
        fields = ["population", "population_year", "nis2_status", "nis2_status_justification"]
        widgets = {"nis2_status_justification": forms.Textarea(attrs={"rows": 2})}


class RegistrationForm(forms.ModelForm):
    """What the organisation declared to ANSSI (MonEspaceNIS2); the dates are checked by ``organisation_update``."""

    class Meta:
        model = Organisation
        fields = ["registered_on", "registration_identifier", "registration_contact", "registration_updated_on"]
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "registration_updated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AccountSecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["mfa_required"]


class InviteForm(forms.Form):
    """Invite someone by e-mail address: they receive a link to accept (``invitation_create``)."""

    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationAccountForm(forms.Form):
    """The username of the account created when a person without one accepts an invitation."""

    username = forms.CharField(label=_("Username"), max_length=150)
