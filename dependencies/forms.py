from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from dependencies.fields import STRATEGY_FIELDS
from dependencies.models import Component


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Component file (CSV or XLSX)"))


if TYPE_CHECKING:
    # ModelForm is generic for the type checker only (Django's class takes no subscript at run time).
    _ComponentForm = forms.ModelForm[Component]
else:
    _ComponentForm = forms.ModelForm


class StrategyForm(_ComponentForm):
    class Meta:
        model = Component
        fields = STRATEGY_FIELDS
        widgets = {
            "strategy_target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "exposure_override_justification": forms.Textarea(attrs={"rows": 2}),
        }


class SharingForm(forms.Form):
    share_with_parent = forms.BooleanField(
        label=_("Share an anonymised dependency profile with the intercommunality"), required=False
    )
