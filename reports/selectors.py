"""Reads of the reports app for the rest of the service: waiting reports, and the management body's approvals
and trainings (NIS 2 Art. 20) as the governance page and the quarterly report show them."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import Any, TypedDict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from controls import scoring
from controls import selectors as controls
from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports.models import Approval, Report, Training
from reports.snapshot_types import ApprovalChange, ApprovalInForce, TrainingSummary


def oldest_waiting_report() -> datetime.datetime | None:
    """When the oldest report still waiting or being generated was asked for (the health URL reports it)."""
    waiting = (Report.Status.PENDING, Report.Status.RUNNING)
    return Report.objects.filter(status__in=waiting).order_by("created_at").values_list("created_at", flat=True).first()


# --- Reports ----------------------------------------------------------------------------------------------------


def report_list(*, organisation_id: int | None = None) -> QuerySet[Report]:
    """Reports without their snapshot (a large JSON), the latest period and version first; of one organisation
    when it is given (the API scopes the others)."""
    reports = Report.objects.select_related("organisation").defer("snapshot").order_by("-period", "-version")
    return reports if organisation_id is None else reports.filter(organisation_id=organisation_id)


def latest_quarterly_report(*, organisation_id: int) -> Report | None:
    """The organisation's latest generated quarterly report of its own (not consolidated), with its snapshot."""
    return (
        Report.objects.filter(
            organisation_id=organisation_id,
            status=Report.Status.DONE,
            consolidated=False,
            kind=Report.Kind.QUARTERLY,
        )
        .order_by("-period", "-version")
        .first()
    )


def has_member_communes(organisation: Organisation) -> bool:
    """Whether the organisation groups communes (a consolidated report is possible)."""
    return organisation.children.exists()


def readable_member_communes(
    *, user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> list[Organisation]:
    """The organisation's member communes the user may read, by name."""
    return list(Organisation.objects.readable_by(user).filter(parent=organisation).order_by("name"))


# --- What an approval approved: the state of its subject at a moment ----------------------------------------

# The bounds given to ``controls.selectors.assessment_as_of`` to look at every period.
ALL_PERIODS = (datetime.date(1900, 1, 1), datetime.date(9999, 12, 31))


class MeasuresState(TypedDict):
    assessment: str | None  # the assessment's label
    applicable_requirements: int
    maturity_level: float | None  # weighted mean level, 0–5 (controls/scoring.py)


class ApplicabilityState(MeasuresState):
    not_applicable: list[str]  # refs of the requirements marked not applicable
    justifications_sha256: str  # SHA-256 of those refs with their justifications


class ActionPlanState(TypedDict):
    open_actions: int
    action_ids: list[int]  # ids of the open actions, ascending


class ReportState(TypedDict):
    period: str | None
    version: int | None
    sha256: str | None


SubjectState = MeasuresState | ApplicabilityState | ActionPlanState | ReportState


def current_assessment(*, organisation_id: int, as_of: datetime.datetime) -> Any:
    """The organisation's current assessment at ``as_of``: its latest validated one, else its latest one
    (``controls.selectors.assessment_as_of``); None when it has none."""
    start, end = ALL_PERIODS
    return controls.assessment_as_of(organisation_id=organisation_id, start=start, end=end, as_of=as_of)


def measures_state(*, assessment_id: int | None, label: str | None, as_of: datetime.datetime) -> MeasuresState:
    if assessment_id is None:
        return {"assessment": None, "applicable_requirements": 0, "maturity_level": None}
    overall = scoring.score(rating for rating, _fr, _en in controls.ratings_as_of(assessment_id, as_of))
    return {
        "assessment": label,
        "applicable_requirements": overall.applicable,
        "maturity_level": float(overall.level) if overall.level is not None else None,
    }


def applicability_state(
    *, assessment_id: int | None, label: str | None, as_of: datetime.datetime, measures: MeasuresState | None = None
) -> ApplicabilityState:
    """``measures``: the assessment's ``measures_state``, when already read."""
    justified = controls.not_applicable_as_of(assessment_id, as_of) if assessment_id is not None else []
    return {
        **(measures or measures_state(assessment_id=assessment_id, label=label, as_of=as_of)),
        "not_applicable": [ref for ref, _justification in justified],
        "justifications_sha256": justifications_digest(justified),
    }


def justifications_digest(justified: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of the (ref, justification) pairs, in ref order: any change of a justification changes it."""
    canonical = json.dumps(sorted([ref, text.strip()] for ref, text in justified), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def action_plan_state(*, organisation_id: int, as_of: datetime.datetime) -> ActionPlanState:
    """The organisation's whole action plan (the plan is the organisation's, whatever the assessment)."""
    ids = controls.open_action_ids_as_of(organisation_id, as_of)
    return {"open_actions": len(ids), "action_ids": ids}


def report_state(report: Report | None) -> ReportState:
    if report is None:
        return {"period": None, "version": None, "sha256": None}
    return {"period": report.period, "version": report.version, "sha256": report.sha256}


def latest_version_of(report: Report, *, as_of: datetime.datetime) -> Report | None:
    """The latest version of the same report (period, kind, language, scope) generated by ``as_of``."""
    return (
        Report.objects.filter(
            organisation_id=report.organisation_id,
            period=report.period,
            kind=report.kind,
            language=report.language,
            consolidated=report.consolidated,
            status=Report.Status.DONE,
            generated_at__lte=as_of,
        )
        .defer("snapshot")
        .order_by("-period", "-version")
        .first()
    )


def subject_state(
    *,
    organisation_id: int,
    subject: str,
    as_of: datetime.datetime,
    assessment_id: int | None = None,
    assessment_label: str | None = None,
    report: Report | None = None,
) -> SubjectState:
    """What an approval of ``subject`` approves, summarised at ``as_of`` (stored as its ``approved_state``)."""
    if subject == Approval.Subject.MEASURES:
        return measures_state(assessment_id=assessment_id, label=assessment_label, as_of=as_of)
    if subject == Approval.Subject.APPLICABILITY:
        return applicability_state(assessment_id=assessment_id, label=assessment_label, as_of=as_of)
    if subject == Approval.Subject.ACTION_PLAN:
        return action_plan_state(organisation_id=organisation_id, as_of=as_of)
    return report_state(report)


def state_now(approval: Approval, *, as_of: datetime.datetime) -> SubjectState:
    """The state of what ``approval`` approved, at ``as_of``: for an assessment subject, the organisation's
    current assessment then (a newer assessment shows as a change); for a report, its latest version then."""
    return StatesAt(organisation_id=approval.organisation_id, as_of=as_of).of(approval)


class StatesAt:
    """``state_now`` of the approvals of one organisation: the current assessment and its summary are read once,
    however many subjects name them."""

    def __init__(self, *, organisation_id: int, as_of: datetime.datetime) -> None:
        self.organisation_id = organisation_id
        self.as_of = as_of

    @cached_property
    def _assessment(self) -> tuple[int | None, str | None]:
        assessment = current_assessment(organisation_id=self.organisation_id, as_of=self.as_of)
        return (assessment.pk, assessment.label) if assessment else (None, None)

    @cached_property
    def _measures(self) -> MeasuresState:
        assessment_id, label = self._assessment
        return measures_state(assessment_id=assessment_id, label=label, as_of=self.as_of)

    def of(self, approval: Approval) -> SubjectState:
        if approval.subject == Approval.Subject.MEASURES:
            return self._measures
        if approval.subject == Approval.Subject.APPLICABILITY:
            assessment_id, label = self._assessment
            return applicability_state(
                assessment_id=assessment_id, label=label, as_of=self.as_of, measures=self._measures
            )
        if approval.subject == Approval.Subject.ACTION_PLAN:
            return action_plan_state(organisation_id=self.organisation_id, as_of=self.as_of)
        if approval.report is None:
            return report_state(None)
        return report_state(latest_version_of(approval.report, as_of=self.as_of))


# --- Approvals ------------------------------------------------------------------------------------------------


def approval_list(*, organisation_id: int | None = None) -> QuerySet[Approval]:
    """Approvals, the latest decision first; of one organisation when it is given (the API scopes the others)."""
    approvals = Approval.objects.select_related("recorded_by").order_by("-decided_on", "-created_at", "-pk")
    return approvals if organisation_id is None else approvals.filter(organisation_id=organisation_id)


def approval_register(*, organisation_id: int) -> list[Approval]:
    """The organisation's register of approvals, the latest decision first (the governance page)."""
    return list(approval_list(organisation_id=organisation_id))


def latest_per_subject(approvals: Iterable[Approval]) -> list[Approval]:
    """The approval in force for each subject: of the approvals of one organisation, per subject the latest
    decision (then the latest recorded). A later approval of a subject supersedes the earlier ones, even when
    an older act is recorded afterwards. In the order of ``Approval.Subject``."""
    latest: dict[str, Approval] = {}
    for approval in approvals:
        current = latest.get(approval.subject)
        if current is None or _recency(approval) > _recency(current):
            latest[approval.subject] = approval
    return [latest[subject] for subject in Approval.Subject.values if subject in latest]


def _recency(approval: Approval) -> tuple[datetime.date, datetime.datetime, int]:
    return (approval.decided_on, approval.created_at, approval.pk)


def _in_force_at(organisation_id: int, as_of: datetime.datetime) -> list[Approval]:
    # Approvals are append-only (no update or deletion through the API or the web): the rows recorded by
    # ``as_of`` are the register as it stood then.
    recorded = Approval.objects.filter(organisation_id=organisation_id, created_at__lte=as_of).select_related("report")
    return latest_per_subject(recorded.defer("report__snapshot"))


def approvals_in_force(*, organisation_id: int, as_of: datetime.datetime) -> list[ApprovalInForce]:
    """The latest approval per subject recorded on or before ``as_of``, as plain JSON-ready dicts.
    Directive (EU) 2022/2555, Art. 20(1)."""
    return [_in_force_row(approval) for approval in _in_force_at(organisation_id, as_of)]


def _in_force_row(approval: Approval) -> ApprovalInForce:
    return {
        "subject": approval.subject,
        "act_type": approval.act_type,
        "act_reference": approval.act_reference,
        "decided_on": approval.decided_on.isoformat(),
        "body": approval.body,
        "approved_state": dict(approval.approved_state),
        "has_act_file": bool(approval.act_file),
    }


def approval_changes(*, organisation_id: int, as_of: datetime.datetime) -> list[ApprovalChange]:
    """For each subject in force at ``as_of``: what was approved, the same summary at ``as_of``, and which of
    its keys differ. Queries: a fixed number per subject (four subjects at most)."""
    return _changes(_in_force_at(organisation_id, as_of), organisation_id=organisation_id, as_of=as_of)


def approvals_and_changes(
    *, organisation_id: int, as_of: datetime.datetime
) -> tuple[list[ApprovalInForce], list[ApprovalChange]]:
    """``approvals_in_force`` and ``approval_changes`` together, the register read once (a report)."""
    approvals = _in_force_at(organisation_id, as_of)
    changes = _changes(approvals, organisation_id=organisation_id, as_of=as_of)
    return [_in_force_row(approval) for approval in approvals], changes


def _changes(approvals: list[Approval], *, organisation_id: int, as_of: datetime.datetime) -> list[ApprovalChange]:
    states = StatesAt(organisation_id=organisation_id, as_of=as_of)
    changes: list[ApprovalChange] = []
    for approval in approvals:
        approved = dict(approval.approved_state)
        now = dict(states.of(approval))
        changed = sorted(key for key in approved.keys() | now.keys() if approved.get(key) != now.get(key))
        changes.append({"subject": approval.subject, "approved": approved, "now": now, "changed": changed})
    return changes


def approvable_assessments(*, user: Any, organisation_id: int) -> Any:
    """The organisation's assessments an approval may name (the controls selector, scoped to the user)."""
    return controls.assessment_list(user=user).filter(organisation_id=organisation_id)


def approvable_reports(*, organisation_id: int) -> QuerySet[Report]:
    """The organisation's generated reports an approval may name, the latest first."""
    return (
        Report.objects.filter(organisation_id=organisation_id, status=Report.Status.DONE)
        .defer("snapshot")
        .order_by("-period", "-version", "language")
    )


# --- Trainings ------------------------------------------------------------------------------------------------

# Rempart's design choice: NIS 2 Art. 20(2) asks the members of the management body to follow training
# "regularly" without a period; a member counts as trained with a training completed in the 24 months
# before the date of the summary (the span of a council's mid-term, and of ANSSI's awareness campaigns).
TRAINING_VALIDITY_MONTHS = 24


def training_window_start(as_of: datetime.date) -> datetime.date:
    """The first day a training counts on ``as_of``: the same day ``TRAINING_VALIDITY_MONTHS`` earlier
    (28 February for a 29 February)."""
    year = as_of.year - TRAINING_VALIDITY_MONTHS // 12
    try:
        return as_of.replace(year=year)
    except ValueError:  # 29 February, two years before a leap year
        return as_of.replace(year=year, day=28)


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _name_key(name: str) -> str:
    """Names typed by hand are compared without case or extra spaces."""
    return " ".join(name.split()).casefold()


def training_list(*, organisation_id: int | None = None) -> QuerySet[Training]:
    """Trainings, the latest first; of one organisation when it is given (the API scopes the others)."""
    trainings = Training.objects.select_related("person", "recorded_by").order_by("-completed_on", "-pk")
    return trainings if organisation_id is None else trainings.filter(organisation_id=organisation_id)


def training_summary(*, organisation_id: int, as_of: datetime.date) -> TrainingSummary:
    """The management body's training at ``as_of``. Directive (EU) 2022/2555, Art. 20(2).

    The management body is the organisation's members with the executive role, plus the people without an
    account named in its trainings; a member is trained with a training completed in the
    ``TRAINING_VALIDITY_MONTHS`` before ``as_of`` (``as_of`` and the window's first day included). Two queries."""
    start = training_window_start(as_of)
    memberships = Membership.objects.filter(organisation_id=organisation_id, role=Role.EXECUTIVE).select_related("user")
    executives = {membership.user_id: display_name(membership.user) for membership in memberships}
    named: dict[str, str] = {}  # name key -> the name as last written
    trained: set[str] = set()
    hours = Decimal(0)
    trainings = Training.objects.filter(organisation_id=organisation_id, completed_on__lte=as_of).order_by(
        "completed_on", "pk"
    )
    for person_id, person_name, completed_on, training_hours in trainings.values_list(
        "person_id", "person_name", "completed_on", "hours"
    ):
        if person_id is not None:
            if person_id not in executives:
                continue  # a member outside the management body
            key = f"user:{person_id}"
        else:
            key = f"name:{_name_key(person_name)}"
            named[key] = " ".join(person_name.split())
        if completed_on >= start:
            trained.add(key)
            hours += training_hours
    body = {f"user:{user_id}": name for user_id, name in executives.items()} | named
    members = len(body)
    trained_count = sum(1 for key in body if key in trained)
    return {
        "members": members,
        "trained": trained_count,
        "share": trained_count / members if members else None,
        "not_trained": sorted((name for key, name in body.items() if key not in trained), key=str.casefold),
        "hours": float(hours),
    }
