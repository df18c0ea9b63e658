from django import forms
from django.utils.translation import gettext_lazy as _

from dependencies.models import Component


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Component file (CSV or XLSX)"))


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = [
            "strategy",
            "strategy_target_date",
            "strategy_status",
            "exposure_override",
            "exposure_override_justification",
        ]
        widgets = {
            "strategy_target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "exposure_override_justification": forms.Textarea(attrs={"rows": 2}),
        }


class SharingForm(forms.Form):
    share_with_parent = forms.BooleanField(
        label=_("Share an anonymised dependency profile with the intercommunality"), required=False
    )
