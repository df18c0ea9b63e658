from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nis2.models import Organisation
from nis2.roles import Role


class StatusForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["nis2_status", "nis2_status_justification"]
        widgets = {"nis2_status_justification": forms.Textarea(attrs={"rows": 2})}


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
