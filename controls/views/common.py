"""What the assessment pages share: the assessment in the URL, the write check, a refusal shown on a form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from controls import selectors
from controls.models import Assessment, RequirementAssessment
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import readable_organisation, require_write


def assessment_of(request: HttpRequest, organisation_id: int, assessment_id: int) -> tuple[Organisation, Assessment]:
    """The organisation and its assessment, both readable by the user; 404 otherwise."""
    organisation = readable_organisation(request.user, organisation_id)
    assessment = get_object_or_404(
        selectors.assessment_list(user=request.user), pk=assessment_id, organisation=organisation
    )
    return organisation, assessment


def require_assessment_write(request: HttpRequest, organisation: Organisation) -> User:
    """The acting user, if their role may change the organisation's assessments and action plan; 403 otherwise."""
    return require_write(request, organisation, Resource.ASSESSMENT)


def writable_item(
    request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int
) -> tuple[Organisation, RequirementAssessment, User]:
    """The organisation, one item of its assessment and the acting user allowed to change it; 404 or 403 otherwise."""
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    actor = require_assessment_write(request, organisation)
    return organisation, get_object_or_404(selectors.assessment_items(assessment), pk=item_id), actor


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the fields it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_errors(form: forms.BaseForm) -> str:
    """A form's errors as one message."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
