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


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
