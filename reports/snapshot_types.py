"""The shape of a report's snapshot: what ``reports.snapshot`` builds, ``Report.snapshot`` stores as JSON and the
readers (``rendering``, ``verdicts``, ``deliberation``, ``dashboard``) read, one ``TypedDict`` per section so that
mypy checks every key looked up.

Dates are ISO 8601 strings and decimals floats: the snapshot is plain JSON. A key marked ``NotRequired`` may be
missing from a snapshot stored by an earlier version (or built by hand in a test); readers use ``.get`` for it.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class LocalisedText(TypedDict):
    fr: str
    en: str


# --- meta ---------------------------------------------------------------------------------------------------


class LegalBasis(TypedDict):
    """``nis2.entity_status.LegalBasis.as_dict()``: what the organisation's NIS 2 status rests on."""

    kind: str
    references: list[str]
    source: str
    rests_on_bill: bool
    bill: str
    bill_promulgated: bool
    last_checked: str
    explanation: str
    sources: list[str]


class Meta(TypedDict):
    organisation: str
    siren: str
    organisation_kind: NotRequired[str]
    nis2_status: str
    period: str  # "2026-Q3", "2026"
    quarter_number: int | None  # None for a year
    year: int
    start: str
    end: str
    as_of: str
    language: str
    issued_at: str
    consolidated: bool
    kind: str  # "quarterly" or "annual"
    legal_basis: NotRequired[LegalBasis]
    version: NotRequired[int]  # the report's version, set once the report row is known


# --- maturity -----------------------------------------------------------------------------------------------


class Score(TypedDict):
    level: float | None
    percent: float | None
    target: float | None
    assessed: int
    applicable: int


class MeasureScore(Score):
    point: str  # NIS 2 Art. 21(2) point, "a" to "j"
    previous_level: float | None


class PreviousMaturity(TypedDict):
    label: str
    overall: Score


class Gap(TypedDict):
    ref: str
    title: LocalisedText
    current: int
    target: int
    weighted_gap: int


class RequirementLevel(TypedDict):
    ref: str
    title: LocalisedText
    applicable: bool
    level: int | None
    target: int
    alternative: bool


class Maturity(TypedDict):
    framework: LocalisedText
    label: str
    status: str
    entity_category: str
    overall: Score
    previous: PreviousMaturity | None
    by_measure: list[MeasureScore]
    top_gaps: list[Gap]
    requirements: list[RequirementLevel]


# --- action plan --------------------------------------------------------------------------------------------


class Action(TypedDict):
    title: str
    owner: str
    due_date: str | None
    status: str
    priority: str


class Actions(TypedDict):
    previous_overdue: int
    done: list[Action]
    overdue: list[Action]
    due_next: list[Action]


# --- incidents ----------------------------------------------------------------------------------------------


class IncidentStatistics(TypedDict):
    """``incidents.statistics.IncidentStats`` with its root-cause share."""

    total: int
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_status: dict[str, int]
    significant: int
    closed: int
    closed_with_root_cause: int
    unknown_cause_after_30_days: int
    median_hours_to_root_cause: float | None
    median_hours_to_containment: float | None
    obligations_on_time: int
    obligations_late: int
    obligations_overdue: int
    root_cause_identified_share: float | None


class IncidentRow(TypedDict):
    title: str
    detected_at: str
    category: str
    severity: str
    significant: str  # "yes", "no", "unknown"
    status: str
    root_cause: str
    obligations: list[str]  # the obligations' statuses


class QuarterCounts(TypedDict):
    quarter: str
    label: str
    total: int
    significant: int


class Incidents(TypedDict):
    rows: list[IncidentRow]
    stats: IncidentStatistics
    trend: list[QuarterCounts]


# --- dependencies -------------------------------------------------------------------------------------------


class DomainIndex(TypedDict):
    code: str
    name: LocalisedText
    index: float | None
    exposure_counts: list[int]  # components per exposure level, E0 to E4


# ``class`` is a keyword: this section is declared with the functional syntax.
TopComponent = TypedDict(
    "TopComponent",
    {
        "name": str,
        "domain": str,
        "product": str,
        "score": int,
        "class": int,
        "exposure": int,
        "strategy": str,
        "alternatives": list[str],
    },
)


class Renewal(TypedDict):
    name: str
    contract_end: str | None
    annual_cost_eur: float | None
    exposure: int
    strategy: str


class Dependencies(TypedDict):
    index: float | None
    previous_index: float | None
    previous_exposed_spend_share: float | None
    components: int
    total_spend_eur: float | None
    exposed_spend_eur: float | None
    exposed_spend_share: float | None
    open_source_share: float | None
    by_domain: list[DomainIndex]
    top: list[TopComponent]
    renewals: list[Renewal]


# --- governance (NIS 2 Art. 20) -----------------------------------------------------------------------------


class ApprovalInForce(TypedDict):
    subject: str
    act_type: str
    act_reference: str
    decided_on: str  # ISO 8601
    body: str
    approved_state: dict[str, Any]  # one of ``reports.selectors``' subject states
    has_act_file: bool


class ApprovalChange(TypedDict):
    subject: str
    approved: dict[str, Any]
    now: dict[str, Any]
    changed: list[str]  # the keys whose value differs, sorted


class TrainingSummary(TypedDict):
    members: int
    trained: int
    share: float | None  # trained / members, None without members
    not_trained: list[str]  # display names, sorted
    hours: float  # hours of training of the members in the window


class Governance(TypedDict):
    approvals: list[ApprovalInForce]
    changes: list[ApprovalChange]
    training: TrainingSummary


# --- consolidated and annual reports ------------------------------------------------------------------------


class MemberSummary(TypedDict):
    """A member commune's line in a consolidated report; only ``name`` and ``shared`` for a commune that does
    not share its data."""

    name: str
    shared: bool
    maturity: NotRequired[Score | None]
    incidents: NotRequired[IncidentStatistics]
    dependency_index: NotRequired[float | None]
    exposed_spend_share: NotRequired[float | None]


class QuarterOfTheYear(TypedDict):
    quarter: str
    maturity_percent: float | None
    incidents: int
    significant: int
    exposed_spend_share: float | None
    overdue_actions: int


class Snapshot(TypedDict):
    version: int
    meta: Meta
    maturity: Maturity | None
    actions: Actions
    incidents: Incidents
    dependencies: Dependencies
    governance: NotRequired[Governance]
    year_by_quarter: NotRequired[list[QuarterOfTheYear]]  # an annual report
    members: NotRequired[list[MemberSummary]]  # a consolidated report
