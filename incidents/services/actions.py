"""Corrective actions (which may join the organisation's security action plan), attachments and the
calendar feed's secret address."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from controls import services as controls_services
from incidents.models import Attachment, CalendarFeed, CorrectiveAction, Incident, new_feed_token
from nis2.history import UNCHANGED, Unchanged, model_create, model_update
from nis2.models import Membership, Organisation
from nis2.uploads import check_upload


def _check_owner(incident: Incident, owner: User | None) -> None:
    if owner is not None and not Membership.objects.filter(organisation=incident.organisation_id, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the organisation.")})


@transaction.atomic
def corrective_action_create(
    *,
    incident: Incident,
    actor: User,
    title: str,
    owner: User | None = None,
    due_date: datetime.date | None = None,
    add_to_action_plan: bool = False,
) -> CorrectiveAction:
    _check_owner(incident, owner)
    action = CorrectiveAction(incident=incident, title=title, owner=owner, due_date=due_date)
    if add_to_action_plan:
        action.plan_action = controls_services.action_create(
            organisation=incident.organisation,
            actor=actor,
            title=title,
            owner=owner,
            due_date=due_date,
            description=_("Corrective action of incident “%(incident)s”.") % {"incident": incident.title},
            requirements=list(incident.implicated_requirements.all()),
        )
    return model_create(action, actor=actor)


@transaction.atomic
def corrective_action_update(
    *,
    action: CorrectiveAction,
    actor: User,
    title: str | Unchanged = UNCHANGED,
    owner: User | Unchanged | None = UNCHANGED,
    due_date: datetime.date | Unchanged | None = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
) -> CorrectiveAction:
    """Change the fields given (its progress is its status)."""
    if owner is not UNCHANGED:
        _check_owner(action.incident, owner)
    values = {"title": title, "owner": owner, "due_date": due_date, "status": status}
    changes = {name: value for name, value in values.items() if value is not UNCHANGED}
    model_update(action, actor=actor, data=changes)
    return action


@transaction.atomic
def attachment_add(*, incident: Incident, actor: User, title: str, upload: UploadedFile[bytes]) -> Attachment:
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = Attachment(
        incident=incident,
        title=title,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "attachment", upload, save=False)
    return model_create(attachment, actor=actor)


@transaction.atomic
def calendar_feed_rotate(*, organisation: Organisation, actor: User) -> CalendarFeed:
    """Create the organisation's calendar address, or replace it (the previous one stops working)."""
    feed = CalendarFeed.objects.select_for_update().filter(organisation=organisation).first()
    if feed is None:
        return model_create(CalendarFeed(organisation=organisation), actor=actor)
    model_update(feed, actor=actor, data={"token": new_feed_token()})
    return feed
