from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dependencies import selectors as dependencies_selectors
from incidents import taxonomy
from incidents.models import FACT_FIELDS, ROOT_CAUSE_FIELDS, Filing, Incident, TimelineEntry, Verdict
from nis2.forms import ParisDateTimeField


def _type_choices() -> list[Any]:
    # No type chosen in advance: the first RSIT type ("spam") would otherwise be declared by default.
    return [("", _("— Choose the type of incident —")), *taxonomy.subcategory_choices()]


class TypeChoiceField(forms.ChoiceField):
    """The RSIT type, grouped by class; the class is derived from the type."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_type_choices, **kwargs)


def _class_of(type_tag: str) -> str:
    return next(entry.tag for entry in taxonomy.classes() if any(item.tag == type_tag for item in entry.types))


class DeclareForm(forms.Form):
    """The quick declaration: what a security officer can fill in under a minute."""

    title = forms.CharField(label=_("What is happening?"), max_length=200)
    detected_at = ParisDateTimeField(label=_("Detected at (Paris time)"))
    subcategory = TypeChoiceField(label=_("Type of incident (RSIT)"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices, initial="high")
    significant = forms.ChoiceField(
        label=_("Significant incident (NIS 2 Art. 23(3))?"),
        choices=Verdict.choices,
        initial=Verdict.UNKNOWN,
        help_text=_("“Yes” starts the legal clock: early warning within 24 h, notification within 72 h."),
    )
    aware_at = ParisDateTimeField(
        label=_("Aware it is significant at (Paris time)"),
        required=False,
        help_text=_("Leave empty to use the time of this declaration when the incident is significant."),
    )
    awareness_delay_justification = forms.CharField(
        label=_("Why awareness came more than 24 h after detection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the incident is significant and was detected more than 24 hours earlier."),
    )
    personal_data_breach = forms.BooleanField(
        label=_("Personal data may be affected (CNIL clock, 72 h)"), required=False
    )
    is_exercise = forms.BooleanField(label=_("This is an exercise"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["detected_at"].initial = timezone.now()

    def incident_fields(self) -> dict[str, Any]:
        """A significant verdict without ``aware_at`` is dated by the service, when it records the verdict."""
        data = dict(self.cleaned_data)
        data["category"] = _class_of(data["subcategory"])
        return data


if TYPE_CHECKING:
    # ModelForm is generic for the type checker only (Django's class takes no subscript at run time).
    _IncidentForm = forms.ModelForm[Incident]
else:
    _IncidentForm = forms.ModelForm


class IncidentEditForm(_IncidentForm):
    """Every fact of the incident that a report draft asks for, except the root cause (its own form on the
    incident page) and the status (the transitions)."""

    detected_at = ParisDateTimeField(label=_("Detected at"))
    aware_at = ParisDateTimeField(label=_("Aware of significance at"), required=False)
    occurred_at = ParisDateTimeField(label=_("Occurred at"), required=False)
    breach_aware_at = ParisDateTimeField(
        label=_("Aware of the personal data breach at"),
        required=False,
        help_text=Incident._meta.get_field("breach_aware_at").help_text,
    )
    subcategory = TypeChoiceField(label=_("Type of incident (RSIT)"))

    class Meta:
        model = Incident
        # The facts the service accepts, less those derived here (the class from the type) or set elsewhere.
        fields = [name for name in FACT_FIELDS if name not in ("category", "significance_criteria")]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "description",
                "awareness_delay_justification",
                "significant_justification",
                "suspected_malicious_justification",
                "cross_border_justification",
                "services_affected",
                "cross_border_effects",
                "recipient_guidance",
                "breach_nature",
                "data_subject_categories",
                "record_categories",
                "personal_data_consequences",
                "indicators_of_compromise",
                "mitigation",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        components = self.fields["affected_components"]
        assert isinstance(components, forms.ModelMultipleChoiceField)  # the model's many-to-many field
        components.queryset = dependencies_selectors.components_of_organisation(self.instance.organisation_id)

    def incident_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["category"] = _class_of(data["subcategory"])
        data["affected_components"] = list(data["affected_components"])
        return data


class RootCauseForm(_IncidentForm):
    class Meta:
        model = Incident
        fields = list(ROOT_CAUSE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("root_cause", "contributing_factors", "undetermined_justification")
        }


class TimelineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (value, label)
            for value, label in TimelineEntry.Kind.choices
            if value not in ("status_change", "verdict_change", "filing")
        ],
    )
    occurred_at = ParisDateTimeField(label=_("When (Paris time)"), required=False)
    text = forms.CharField(label=_("What happened or was decided"), widget=forms.Textarea(attrs={"rows": 2}))


class FilingForm(forms.Form):
    submitted_at = ParisDateTimeField(label=_("Submitted at (Paris time)"))
    reference = forms.CharField(label=_("Case reference"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Filing.Channel.choices)
    delay_reason = forms.CharField(
        label=_("Reasons for the delay"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the report is filed after its deadline."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submitted_at"].initial = timezone.now()


class NotRequiredForm(forms.Form):
    rationale = forms.CharField(label=_("Why this report is not required"), widget=forms.Textarea(attrs={"rows": 2}))


class IntermediateRequestForm(forms.Form):
    requested_at = ParisDateTimeField(label=_("Requested at"))
    due_at = ParisDateTimeField(label=_("Due at"), deadline=True)
    note = forms.CharField(label=_("Request"), required=False)


class CorrectiveActionForm(forms.Form):
    title = forms.CharField(label=_("Corrective action"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    add_to_action_plan = forms.BooleanField(label=_("Also add it to the security action plan"), required=False)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
