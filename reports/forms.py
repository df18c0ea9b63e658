"""Forms of the governance page: an approval of the management body and a training of one of its members.
They read the input; the rules (dates, subject and object, membership, files) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from reports.models import Approval, Report

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Model) -> str:
        report: Report = obj  # type: ignore[assignment]
        label = (
            _("%(kind)s %(period)s v%(version)s, %(language)s, consolidated")
            if report.consolidated
            else _("%(kind)s %(period)s v%(version)s, %(language)s")
        )
        return str(label) % {
            "kind": report.get_kind_display(),
            "period": report.period,
            "version": report.version,
            "language": report.get_language_display(),
        }


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Model) -> str:
        return str(obj.get_full_name() or obj.get_username())  # type: ignore[attr-defined]


class ApprovalForm(forms.Form):
    subject = forms.ChoiceField(label=_("What is approved"), choices=Approval.Subject.choices)
    assessment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assessment"),
        queryset=None,
        required=False,
        empty_label=_("The current assessment"),
        help_text=_(
            "For the security measures (by default the current assessment: the latest validated one), the action "
            "plan and the statement of applicability."
        ),
    )
    report = ReportChoiceField(
        label=_("Report"), queryset=None, required=False, help_text=_("For the approval of a report.")
    )
    act_type = forms.ChoiceField(label=_("Type of act"), choices=Approval.ActType.choices)
    act_reference = forms.CharField(label=_("Act reference"), max_length=64, help_text=_("For example “2026-045”."))
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE_WIDGET)
    body = forms.ChoiceField(label=_("Deciding body"), choices=Approval.Body.choices)
    act_file = forms.FileField(label=_("Signed act (PDF)"), required=False)

    def __init__(self, *args: Any, assessments: QuerySet[Any], reports: QuerySet[Report], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_approval_%s")
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments  # type: ignore[attr-defined]
        self.fields["report"].queryset = reports  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``services.approval_record`` takes it: the assessment or the report, as the
        subject says."""
        arguments = {name: self.cleaned_data.get(name) for name in self.fields}
        if arguments["subject"] == Approval.Subject.REPORT:
            arguments["assessment"] = None
        else:
            arguments["report"] = None
        return arguments


class TrainingForm(forms.Form):
    person = MemberChoiceField(
        label=_("Member of the organisation"),
        queryset=None,
        required=False,
        empty_label=_("— someone without an account —"),
    )
    person_name = forms.CharField(
        label=_("or name of an assembly member without an account"), max_length=200, required=False
    )
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE_WIDGET)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2, localize=True)  # "3,5" in French
    attestation = forms.FileField(label=_("Attestation (PDF or image)"), required=False)

    def __init__(self, *args: Any, members: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_training_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as ``services.training_record`` takes it."""
        return {name: self.cleaned_data.get(name) for name in self.fields} | {
            "person_name": self.cleaned_data.get("person_name") or ""
        }


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the fields it names (the rest above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def members_of(organisation_id: int) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id=organisation_id)
        .order_by("last_name", "first_name", "username")
    )
