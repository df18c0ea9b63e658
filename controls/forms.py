from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from controls.models import ActionItem, Framework, RequirementAssessment
from nis2.models import Organisation

User = get_user_model()


def members_of(organisation: Organisation) -> Any:
    return User.objects.filter(memberships__organisation=organisation).order_by("last_name", "username")


def owner_choices(organisation: Organisation) -> list[tuple[Any, str]]:
    return [("", "---------")] + [
        (user.pk, user.get_full_name() or user.get_username()) for user in members_of(organisation)
    ]


def _member_name(user: Any) -> str:
    """People are shown by their name, not their username."""
    return str(user.get_full_name() or user.get_username())


class AssessmentCreateForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.order_by("code"))
    label = forms.CharField(label=_("Label"), max_length=64, help_text=_("For example “2026-T4”."))


class ItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = RequirementAssessment
        fields = ["applicable", "justification", "current_level", "target_level", "owner", "comment"]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 2}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, organisation: Organisation, owner_choices: list[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organisation)
        self.fields["owner"].label_from_instance = _member_name
        if owner_choices is not None:  # the grid renders many forms: list the members once
            self.fields["owner"].choices = owner_choices
        self.fields["current_level"].required = False
        prefix = f"item-{self.instance.pk}"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{prefix}-{name}")


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("or link"), required=False, max_length=500, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return data


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date", "priority", "estimated_cost_eur"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_of(organisation)
        self.fields["owner"].label_from_instance = _member_name


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
