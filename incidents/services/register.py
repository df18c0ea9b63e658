"""Declaring and describing an incident, and moving it through its statuses. Each change leaves a dated
timeline entry, and the reporting obligations are recomputed after anything that can move a deadline."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Unpack

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from incidents import lifecycle, taxonomy
from incidents.models import EDITABLE_FIELDS, LINK_FIELDS, Incident, IncidentChanges, TimelineEntry, Verdict
from incidents.services.obligations import incident_sync_obligations
from incidents.services.timeline import not_in_the_future, timeline_record
from nis2.clock import paris_time_for_display
from nis2.history import model_create, model_update
from nis2.models import Organisation, OrganisationScopedModel

#: What ``incident_create`` and ``incident_update`` accept (``incidents.models.IncidentChanges``).
INCIDENT_FIELDS = frozenset(EDITABLE_FIELDS) - frozenset(LINK_FIELDS)
#: The stored columns a change may touch (a foreign key by its column), and the times the rules derive.
STORED_COLUMNS = tuple(
    dict.fromkeys(
        field.attname
        for name in (*EDITABLE_FIELDS, "aware_at", "breach_aware_at", "root_cause_identified_at")
        for field in Incident._meta.concrete_fields
        if field.name == name
    )
)
VERDICT_FIELDS = ("significant", "suspected_malicious", "cross_border", "breach_high_risk")
CLOSING_MESSAGES = {
    "root_cause_missing": gettext_lazy(
        "An incident cannot be closed without a root cause. Record the root cause, or “undetermined” with a "
        "justification and at least one investigation step."
    ),
    "root_cause_not_explained": gettext_lazy("Explain the root cause before closing the incident."),
    "undetermined_not_justified": gettext_lazy("Explain why the root cause remains undetermined before closing."),
    "third_party_component_missing": gettext_lazy(
        "A third-party failure names the failing component of the dependency map before the incident is closed."
    ),
    "undetermined_not_investigated": gettext_lazy(
        "Record at least one investigation step in the timeline before closing with an undetermined root cause."
    ),
}


def _validate_incident(incident: Incident, components: Sequence[OrganisationScopedModel] | None = None) -> None:
    errors: dict[str, str] = {}
    foreign = [component for component in components or [] if component.organisation_id != incident.organisation_id]
    if foreign:
        errors["affected_components"] = _("A component of another organisation cannot be linked.")
    component = incident.root_cause_component
    if component is not None and component.organisation_id != incident.organisation_id:
        errors["root_cause_component"] = _("A component of another organisation cannot be linked.")
    if taxonomy.class_by_tag(incident.category) is None:
        errors["category"] = _("Unknown category “%(tag)s”: use a class tag of the RSIT taxonomy.") % {
            "tag": incident.category
        }
    elif incident.subcategory and not taxonomy.type_belongs_to(incident.category, incident.subcategory):
        errors["subcategory"] = _("“%(type)s” is not a type of the class “%(class)s”.") % {
            "type": incident.subcategory,
            "class": incident.category,
        }
    if incident.aware_at and incident.detected_at and incident.aware_at < incident.detected_at:
        errors["aware_at"] = _("Awareness of significance cannot precede detection.")
    if (
        incident.detected_at
        and lifecycle.awareness_needs_justification(incident.detected_at, incident.aware_at)
        and not incident.awareness_delay_justification.strip()
    ):
        errors["awareness_delay_justification"] = _(
            "More than 24 hours passed between detection and awareness of significance: explain why."
        )
    if incident.root_cause_identified and not incident.root_cause_identified_at:
        incident.root_cause_identified_at = timezone.now()
    if errors:
        raise ValidationError(errors)


def _start_the_clocks(incident: Incident) -> list[str]:
    """A significant verdict, or a personal data breach, recorded without its awareness time starts its
    clock at the moment it is recorded (docs/adr/0004): a legal clock always exists. Returns the timeline
    texts that say so."""
    now = timezone.now()
    said: list[str] = []
    if incident.significant == Verdict.YES and incident.aware_at is None:
        incident.aware_at = now
        said.append(_("Awareness of significance recorded at the verdict: the NIS 2 clock starts now."))
    if incident.personal_data_breach and incident.breach_aware_at is None:
        # Without its own time, the breach was known when the incident became significant, or else (the
        # conservative reading of GDPR Art. 33(1)) from detection.
        incident.breach_aware_at = incident.aware_at or incident.detected_at
        said.append(
            _("Awareness of the personal data breach set to %(moment)s: the GDPR clock starts then.")
            % {"moment": paris_time_for_display(incident.breach_aware_at).strftime("%d/%m/%Y %H:%M")}
        )
    return said


def _check_fields(fields: IncidentChanges, message: str) -> None:
    """Forms and the API pass plain dictionaries: a name the service does not accept is refused."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), message))


@transaction.atomic
def incident_create(*, organisation: Organisation, actor: User, **fields: Unpack[IncidentChanges]) -> Incident:
    """Declare an incident: its facts (``incidents.models.IncidentChanges``), a timeline of what was
    declared, and the reports its verdicts oblige to."""
    _check_fields(fields, _("This field cannot be set here."))
    requirements = fields.pop("implicated_requirements", None)
    components = fields.pop("affected_components", None)
    incident = Incident(organisation=organisation, **fields)
    clock_texts = _start_the_clocks(incident)
    _validate_incident(incident, components)
    model_create(incident, actor=actor)
    if requirements:
        incident.implicated_requirements.set([requirement.pk for requirement in requirements])
    if components:
        incident.affected_components.set([component.pk for component in components])
    now = timezone.now()
    entries = [
        TimelineEntry(kind=TimelineEntry.Kind.DETECTION, text=_("Incident declared."), occurred_at=incident.detected_at)
    ]
    entries += [
        TimelineEntry(kind=TimelineEntry.Kind.VERDICT_CHANGE, text=_verdict_text(incident, name), occurred_at=now)
        for name in VERDICT_FIELDS
        if getattr(incident, name) != Verdict.UNKNOWN
    ]
    entries += [TimelineEntry(kind=TimelineEntry.Kind.NOTE, text=text, occurred_at=now) for text in clock_texts]
    for entry in entries:
        entry.incident, entry.author = incident, actor
    # Built here from facts already validated: written in two statements (rows, history), not one per entry.
    bulk_create_with_history(entries, TimelineEntry, default_user=actor)
    incident_sync_obligations(incident=incident, new=True)
    return incident


def _verdict_text(incident: Incident, name: str) -> str:
    label = str(getattr(Incident._meta.get_field(name), "verbose_name", name))
    value = getattr(incident, f"get_{name}_display")()
    justification = getattr(incident, f"{name}_justification", "")
    text = _("%(verdict)s: %(value)s.") % {"verdict": label.capitalize(), "value": value}
    return f"{text} {justification}".strip()


@transaction.atomic
def incident_update(*, incident: Incident, actor: User, **fields: Unpack[IncidentChanges]) -> Incident:
    """Change the facts given; the verdicts that changed and the clocks they start go to the timeline.
    Saves the columns that changed only (nothing when nothing did)."""
    _check_fields(fields, _("This field cannot be changed here."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    requirements = fields.pop("implicated_requirements", None)
    components = fields.pop("affected_components", None)
    before = {column: getattr(incident, column) for column in STORED_COLUMNS}
    for name, value in fields.items():
        setattr(incident, name, value)
    if incident.status == Incident.Status.CLOSED:
        _ensure_closable(incident)
    clock_texts = _start_the_clocks(incident)
    _validate_incident(incident, components)
    # The values given and those the rules derived (a clock's start, when the cause was identified).
    changed = [column for column in STORED_COLUMNS if getattr(incident, column) != before[column]]
    model_update(incident, actor=actor, also_save=changed)
    if requirements is not None:
        incident.implicated_requirements.set([requirement.pk for requirement in requirements])
    if components is not None:
        incident.affected_components.set([component.pk for component in components])
    for name in VERDICT_FIELDS:
        if getattr(incident, name) != before[name]:
            _record(incident, actor, TimelineEntry.Kind.VERDICT_CHANGE, _verdict_text(incident, name))
    for text in clock_texts:
        _record(incident, actor, TimelineEntry.Kind.NOTE, text)
    incident_sync_obligations(incident=incident)
    return incident


def _record(
    incident: Incident, actor: User, kind: str, text: str, occurred_at: datetime.datetime | None = None
) -> None:
    timeline_record(incident=incident, actor=actor, kind=kind, text=text, occurred_at=occurred_at)


def _ensure_closable(incident: Incident) -> None:
    problems = lifecycle.closing_problems(
        lifecycle.RootCauseFacts(
            category=incident.root_cause_category,
            explanation=incident.root_cause,
            undetermined_justification=incident.undetermined_justification,
            investigation_steps=incident.timeline.filter(kind=TimelineEntry.Kind.INVESTIGATION).count(),
            names_component=incident.root_cause_component_id is not None,
        )
    )
    if problems:
        raise ValidationError({"status": [CLOSING_MESSAGES[problem] for problem in problems]})


@transaction.atomic
def incident_transition(
    *, incident: Incident, status: str, actor: User, at: datetime.datetime | None = None
) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    not_in_the_future(at, field="at", message=_("A status change cannot be dated in the future."))
    if status not in Incident.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    if not lifecycle.transition_allowed(incident.status, status):
        raise ValidationError(
            {
                "status": _("An incident cannot go from “%(current)s” to “%(target)s”.")
                % {"current": incident.get_status_display(), "target": Incident.Status(status).label}
            }
        )
    if status == Incident.Status.CLOSED:
        _ensure_closable(incident)
    moment = at or timezone.now()
    previous = incident.get_status_display()
    # Reopened: the end of handling is not known any more.
    changes: dict[str, Any] = {"status": status, **dict.fromkeys(lifecycle.timestamps_cleared_by(status))}
    field = lifecycle.STATUS_TIMESTAMPS.get(status)
    if field and getattr(incident, field) is None:
        changes[field] = moment
    model_update(incident, actor=actor, data=changes)
    _record(
        incident,
        actor,
        TimelineEntry.Kind.STATUS_CHANGE,
        _("Status: %(previous)s → %(current)s.") % {"previous": previous, "current": incident.get_status_display()},
        moment,
    )
    incident_sync_obligations(incident=incident)
    return incident
