"""Recording approvals through the services, and the fields a refusal names: shared by the governance
service tests."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.models import Approval

TODAY = datetime.date(2026, 11, 30)


def record(organisation, actor, **fields):
    values = {
        "subject": Approval.Subject.MEASURES,
        "act_type": Approval.ActType.DELIBERATION,
        "act_reference": "2026-045",
        "decided_on": datetime.date(2026, 10, 12),
        "body": Approval.Body.MUNICIPAL_COUNCIL,
        "today": TODAY,
        **fields,
    }
    return services.approval_record(organisation=organisation, actor=actor, **values)


def refused_fields(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict
