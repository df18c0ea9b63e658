"""What a report's snapshot reads, through the pillars' selectors, in set-based queries: each section is
read once for the organisation and every member commune sharing its data with it, one query per moment
(the period's end, the previous period's end, and each quarter's end for an annual report), whatever the
number of members (issue 15). Each section is read on first use, so that the report's progress follows."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from controls import selectors as controls_selectors
from dependencies import selectors as dependency_selectors
from incidents import selectors as incident_selectors
from nis2.clock import PARIS
from nis2.periods import Period, Quarter, Year


def quarter_end_moment(quarter: Period) -> datetime.datetime:
    """The last instant of the period in Europe/Paris (the start of the next one, exclusive)."""
    return datetime.datetime.combine(quarter.next().start, datetime.time(), tzinfo=PARIS) - datetime.timedelta(
        microseconds=1
    )


def start_moment(period: Period) -> datetime.datetime:
    """The first instant of the period in Europe/Paris."""
    return datetime.datetime.combine(period.start, datetime.time(), tzinfo=PARIS)


def trend_quarters(period: Period) -> list[Quarter]:
    """The quarters a trend chart shows: the four quarters of a year, or a quarter and the three before it."""
    if isinstance(period, Year):
        return period.quarters
    quarters = [period]
    for _index in range(3):
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


class SnapshotData:
    """The pillars' data of one report: the organisation's and its sharing members' (``member_ids``)."""

    def __init__(self, *, organisation_id: int, member_ids: list[int], period: Period) -> None:
        self.organisation_id = organisation_id
        self.member_ids = member_ids
        self.scope = [organisation_id, *member_ids]
        self.period = period
        self.end = quarter_end_moment(period)
        self.previous_end = quarter_end_moment(period.previous())
        quarter_ends = [quarter_end_moment(quarter) for quarter in period.quarters] if isinstance(period, Year) else []
        # Every moment the actions and the dependency map are read at.
        self.moments = list(dict.fromkeys([self.end, self.previous_end, *quarter_ends]))

    # --- Self-assessment -------------------------------------------------------------------------------------

    @cached_property
    def assessments(self) -> dict[tuple[Period, int], Any]:
        """(period, organisation id) -> the assessment of the period as it stood at the period's end: the
        period's for the organisation and its members, the previous period's and, for a year, each quarter's
        for the organisation."""
        lookups: list[tuple[Period, list[int]]] = [(self.period, self.scope), (self.period.previous(), self.scope[:1])]
        if isinstance(self.period, Year):
            lookups += [(quarter, self.scope[:1]) for quarter in self.period.quarters]
        found: dict[tuple[Period, int], Any] = {}
        for period, organisation_ids in lookups:
            by_organisation = controls_selectors.assessments_as_of_for(
                organisation_ids=organisation_ids, start=period.start, end=period.end, as_of=quarter_end_moment(period)
            )
            found.update({(period, organisation_id): item for organisation_id, item in by_organisation.items()})
        return found

    @cached_property
    def _ratings(self) -> dict[tuple[int, datetime.datetime], list[controls_selectors.RatedItem]]:
        return controls_selectors.ratings_as_of_for(
            (assessment.pk, quarter_end_moment(period))
            for (period, _organisation), assessment in self.assessments.items()
        )

    def assessment(self, organisation_id: int, period: Period) -> Any:
        """The organisation's assessment of ``period`` as it stood at its end, None without one."""
        return self.assessments.get((period, organisation_id))

    def ratings(self, organisation_id: int, period: Period) -> list[controls_selectors.RatedItem]:
        """The items of that assessment as they stood at the end of ``period``."""
        assessment = self.assessment(organisation_id, period)
        if assessment is None:
            return []
        return self._ratings.get((assessment.pk, quarter_end_moment(period)), [])

    # --- Action plan, incidents, dependency map --------------------------------------------------------------

    @cached_property
    def actions(self) -> dict[datetime.datetime, list[dict[str, Any]]]:
        """Moment -> the actions of the organisation and its members then."""
        return controls_selectors.actions_as_of_for(organisation_ids=self.scope, moments=self.moments)

    @cached_property
    def incidents(self) -> list[incident_selectors.IncidentAsOf]:
        """The incidents of the organisation and its members detected in the period, as of its end."""
        return incident_selectors.incidents_as_of(
            organisation_ids=self.scope, as_of=self.end, detected_from=start_moment(self.period)
        )

    @cached_property
    def incidents_by_organisation(self) -> dict[int, list[incident_selectors.IncidentAsOf]]:
        grouped: dict[int, list[incident_selectors.IncidentAsOf]] = {}
        for row in self.incidents:
            grouped.setdefault(row.organisation_id, []).append(row)
        return grouped

    @cached_property
    def trend(self) -> dict[Quarter, incident_selectors.IncidentCounts]:
        """Each trend quarter's incidents (detected in the quarter, as of its end): counted from the period's
        incidents for a quarter ending with the period, read for the others."""
        counts = {}
        for quarter in trend_quarters(self.period):
            start = start_moment(quarter)
            if quarter_end_moment(quarter) == self.end and quarter.start >= self.period.start:
                rows = [row for row in self.incidents if row.record.detected_at >= start]
                counts[quarter] = incident_selectors.IncidentCounts(
                    total=len(rows), significant=sum(1 for row in rows if row.record.significant == "yes")
                )
            else:
                counts[quarter] = incident_selectors.incident_counts_as_of(
                    organisation_ids=self.scope, as_of=quarter_end_moment(quarter), detected_from=start
                )
        return counts

    @cached_property
    def components(self) -> dependency_selectors.ComponentsAsOf:
        """The components of the organisation and its members at each moment, scored."""
        return dependency_selectors.components_as_of_for(organisation_ids=self.scope, moments=self.moments)
