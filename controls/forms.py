from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from controls.art21 import ART21_TITLES
from controls.maturity import LEVEL_CHOICES
from controls.models import (
    ACTION_EDITABLE_FIELDS,
    ITEM_EDITABLE_FIELDS,
    ActionItem,
    Assessment,
    Framework,
    Requirement,
    RequirementAssessment,
)
from controls.selectors import requirements_assessed_by
from nis2.models import Organisation

if TYPE_CHECKING:
    # Django's form classes are generic for the type checker only (they take no subscript at run time).
    _ItemForm = forms.ModelForm[RequirementAssessment]
    _ActionForm = forms.ModelForm[ActionItem]
    _AssessmentChoiceField = forms.ModelChoiceField[Assessment]
    _UserChoiceField = forms.ModelChoiceField[User]
else:
    _ItemForm = _ActionForm = forms.ModelForm
    _AssessmentChoiceField = _UserChoiceField = forms.ModelChoiceField


def members_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(memberships__organisation=organisation).order_by("last_name", "username")


def owner_choices(organisation: Organisation) -> list[tuple[Any, str]]:
    return [("", "---------")] + [
        (user.pk, user.get_full_name() or user.get_username()) for user in members_of(organisation)
    ]


class MemberChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        """People are shown by their name, not their username."""
        return obj.get_full_name() or obj.get_username()


class AssessmentChoiceField(_AssessmentChoiceField):
    def label_from_instance(self, obj: Assessment) -> str:
        scope = f" — {obj.information_system}" if obj.information_system else ""
        return f"{obj.label} ({obj.framework.code}){scope}"


def _member_field(form: forms.BaseForm) -> MemberChoiceField:
    """The ``owner`` field of a form, a choice among the organisation's members (``Meta.field_classes``)."""
    field = form.fields["owner"]
    assert isinstance(field, MemberChoiceField)
    return field


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class AssessmentCreateForm(forms.Form):
    """A new assessment: from scratch, or a new campaign that starts from an earlier one (every answer
    carried over "to be reconfirmed")."""

    start_from = AssessmentChoiceField(
        label=_("Start from"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("— A blank assessment —"),
        help_text=_("A new campaign copies every answer of the chosen assessment, each to be reconfirmed."),
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.order_by("code"),
        required=False,
        help_text=_("Not needed when starting from an earlier assessment."),
    )
    label = forms.CharField(label=_("Label"), max_length=64, help_text=_("For example “2026-T4”."))
    information_system = forms.CharField(
        label=_("Information system"),
        max_length=200,
        required=False,
        help_text=_("Empty: the whole organisation. ReCyF 2.C.1 asks for an analysis per information system."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessments = Assessment.objects.filter(organisation=organisation).select_related("framework")
        start_from = self.fields["start_from"]
        assert isinstance(start_from, AssessmentChoiceField)
        start_from.queryset = assessments.order_by("-period_start", "label")
        latest = assessments.filter(information_system="").order_by("-period_start").first()
        if latest is not None and not self.is_bound:
            self.fields["start_from"].initial = latest.pk

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start_from = data.get("start_from")
        if start_from is not None:
            data["framework"] = start_from.framework
            if not self.data.get("information_system"):
                data["information_system"] = start_from.information_system
        elif data.get("framework") is None and "framework" not in self.errors:
            self.add_error("framework", _("Choose a framework, or an earlier assessment to start from."))
        return data


class ItemForm(_ItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = RequirementAssessment
        fields = [name for name in ITEM_EDITABLE_FIELDS if name != "to_confirm"]  # the "Confirm" button sets it
        field_classes = {"owner": MemberChoiceField}
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 2}),
            "comment": forms.Textarea(attrs={"rows": 2}),
            "alternative_measure": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, organisation: Organisation, owner_choices: list[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = _member_field(self)
        owner.queryset = members_of(organisation)
        if owner_choices is not None:  # the grid renders many forms: list the members once
            owner.choices = owner_choices
        self.fields["current_level"].required = False
        prefix = f"item-{self.instance.pk}"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{prefix}-{name}")


class GridFilterForm(forms.Form):
    """The assessment grid's filters (GET parameters, combinable). An empty ``section`` shows every objective."""

    section = forms.ChoiceField(label=_("Objective"), required=False)
    unrated = forms.BooleanField(label=_("Not rated yet"), required=False)
    below_target = forms.BooleanField(label=_("Below target"), required=False)
    art21 = forms.ChoiceField(label=_("Article 21(2) point"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    to_confirm = forms.BooleanField(label=_("To reconfirm"), required=False)

    NO_OWNER = "none"
    FILTERS = ("unrated", "below_target", "art21", "owner", "to_confirm")

    def __init__(
        self,
        *args: Any,
        sections: list[tuple[str, str]],
        owner_choices: list[tuple[Any, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        _choice_field(self, "section").choices = [("", _("Every objective")), *sections]
        _choice_field(self, "art21").choices = [
            ("", _("Every point")),
            *((point, format_lazy("({}) {}", point, title)) for point, title in ART21_TITLES.items()),
        ]
        people = [(str(value), name) for value, name in owner_choices if value != ""]
        _choice_field(self, "owner").choices = [("", _("Every owner")), (self.NO_OWNER, _("No owner yet")), *people]

    def values(self) -> dict[str, Any]:
        """The valid filters, a wrong value (an unknown point or person) ignored rather than refused."""
        self.is_valid()
        return {name: self.cleaned_data[name] for name in ("section", *self.FILTERS) if name in self.cleaned_data}


class SectionTargetForm(forms.Form):
    target_level = forms.TypedChoiceField(label=_("Target level"), choices=LEVEL_CHOICES, coerce=int)


class SectionNotApplicableForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Explain why the measures of this objective do not apply.")},
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("or link"), required=False, max_length=500, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return data


class ActionForm(_ActionForm):
    """Create or edit an entry of the action plan; its measures are typed as references ("10.A.6, 13.2")."""

    measures = forms.CharField(
        label=_("Measures concerned"),
        required=False,
        max_length=1000,
        help_text=_("References separated by commas, for example “10.A.6, 13.2”."),
    )

    class Meta:
        model = ActionItem
        fields = [name for name in ACTION_EDITABLE_FIELDS if name != "assessment"]  # set by the gap's action
        field_classes = {"owner": MemberChoiceField}
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "progress_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        owner = _member_field(self)
        owner.queryset = members_of(organisation)
        owner.empty_label = _("— Nobody yet —")
        if self.instance.pk:
            self.fields["measures"].initial = ", ".join(r.ref for r in self.instance.requirements.all())

    def clean_measures(self) -> list[Requirement]:
        refs = [ref for ref in re.split(r"[,;\s]+", self.cleaned_data["measures"]) if ref]
        if not refs:
            return []
        found = {r.ref.lower(): r for r in requirements_assessed_by(self.organisation, refs)}
        unknown = [ref for ref in refs if ref.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No measure of this organisation's assessments has the reference %(refs)s."),
                params={"refs": ", ".join(unknown)},
            )
        return list(dict.fromkeys(found[ref.lower()] for ref in refs))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
