"""The calendar of the recurring ReCyF duties (yearly reviews, backup test, risk analysis every three years):
when each was last done, when it is next due, and for writers a form recording that it was done."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from controls import duties, selectors, services
from controls.views.common import add_service_errors, require_assessment_write
from nis2.bilingual import localized
from nis2.roles import Resource
from nis2.web import readable_organisation, user_can_write

STATUS_BADGES = {
    duties.DutyStatus.NEVER_DONE: "badge-todo",
    duties.DutyStatus.OVERDUE: "badge-overdue",
    duties.DutyStatus.DUE_SOON: "badge-due-soon",
    duties.DutyStatus.ON_TRACK: "badge-ok",
}


class DutyCompletionForm(forms.Form):
    """One duty's "done on" form; prefixed with the duty's code, one per row of the calendar."""

    done_on = forms.DateField(
        label=gettext_lazy("Done on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
def duty_calendar(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    today = timezone.localdate()
    rows = selectors.duty_calendar(organisation=organisation, today=today)
    posted_code, posted_form = "", None
    if request.method == "POST":
        actor = require_assessment_write(request, organisation)
        posted_code = request.POST.get("duty", "")
        row = next((row for row in rows if row.duty.code == posted_code), None)
        if row is None:
            raise Http404  # not one of this organisation's duties
        posted_form = DutyCompletionForm(request.POST, prefix=posted_code)
        if posted_form.is_valid():
            try:
                completion = services.duty_record(
                    organisation=organisation,
                    duty_code=posted_code,
                    done_on=posted_form.cleaned_data["done_on"],
                    note=posted_form.cleaned_data["note"],
                    actor=actor,
                )
            except ValidationError as error:
                add_service_errors(posted_form, error)
            else:
                messages.success(
                    request,
                    _("“%(duty)s”: performance of %(date)s recorded.")
                    % {"duty": localized(row.duty, "title"), "date": date_format(completion.done_on, "DATE_FORMAT")},
                )
                return redirect("duty-calendar", organisation.pk)
    entries = [_entry(row, can_write, today, posted_form if row.duty.code == posted_code else None) for row in rows]
    return render(
        request,
        "controls/duty_calendar.html",
        {
            "organisation": organisation,
            "entries": entries,
            "can_write": can_write,
            "due_soon_days": duties.catalogue().due_soon_days,
        },
    )


def _entry(
    row: selectors.DutyCalendarRow, can_write: bool, today: Any, posted_form: DutyCompletionForm | None
) -> dict[str, Any]:
    form = None
    if can_write:
        form = posted_form or DutyCompletionForm(prefix=row.duty.code, initial={"done_on": today})
    return {
        "row": row,
        "title": localized(row.duty, "title"),
        "description": localized(row.duty, "description"),
        "period": duties.period_in_words(row.duty.every_months),
        "status_label": row.status.label,
        "badge": STATUS_BADGES[row.status],
        "form": form,
    }
