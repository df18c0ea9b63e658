"""Page 1 of a report: one verdict per pillar and at most three decisions, in words an élu uses.

Pure functions of a report snapshot (no ORM, no clock). The statuses and their thresholds are Rempart's design
choices, not the law: NIS 2 sets no maturity level to reach. They are printed on the page itself ("How to read").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.snapshot_types import (
    Actions,
    ApprovalChange,
    Dependencies,
    Governance,
    Incidents,
    IncidentStatistics,
    Maturity,
    Snapshot,
)

# Design choices (see the module docstring), printed under "How to read this page".
MATURITY_ON_TRACK_PERCENT = 80  # at least 80 % of the target level the organisation set itself
MATURITY_WATCH_PERCENT = 50
EXPOSED_SPEND_ACT_PERCENT = 50  # half the IT spend or more with vendors exposed to extra-European laws
EXPOSED_SPEND_WATCH_PERCENT = 20
OVERDUE_ACTIONS_ACT = 3
TRAINING_PERIOD_MONTHS = 24
LEVEL_CHANGE_NOTICED = 0.1  # a change of the mean level smaller than this is "stable"
SHARE_CHANGE_NOTICED = 2.0  # percentage points
MAX_DECISIONS = 3


class Status(StrEnum):
    ON_TRACK = "on_track"
    WATCH = "watch"
    ACT = "act"
    UNKNOWN = "unknown"


STATUS_LABELS = {
    Status.ON_TRACK: gettext_lazy("Under control"),
    Status.WATCH: gettext_lazy("To watch"),
    Status.ACT: gettext_lazy("Action needed"),
    Status.UNKNOWN: gettext_lazy("Not assessed"),
}


class Trend(StrEnum):
    BETTER = "better"
    STABLE = "stable"
    WORSE = "worse"
    FIRST = "first"  # nothing to compare with


TREND_LABELS = {
    Trend.BETTER: gettext_lazy("improving since last quarter"),
    Trend.STABLE: gettext_lazy("stable since last quarter"),
    Trend.WORSE: gettext_lazy("worsening since last quarter"),
    Trend.FIRST: gettext_lazy("no earlier quarter to compare with"),
}
YEAR_TREND_LABELS = {
    Trend.BETTER: gettext_lazy("improving since last year"),
    Trend.STABLE: gettext_lazy("stable since last year"),
    Trend.WORSE: gettext_lazy("worsening since last year"),
    Trend.FIRST: gettext_lazy("no earlier year to compare with"),
}


def trend_label(trend: Trend, *, annual: bool = False) -> str:
    return str((YEAR_TREND_LABELS if annual else TREND_LABELS)[trend])


def _this_period(annual: bool) -> str:
    return _("this year") if annual else _("this quarter")


@dataclass(frozen=True)
class Verdict:
    pillar: str  # a translated title: "Security level", "Incidents", ...
    status: Status
    sentence: str
    trend: Trend


@dataclass(frozen=True)
class Decision:
    title: str
    reason: str
    deadline: str = ""  # already formatted, may be empty
    cost: str = ""


@dataclass(frozen=True)
class DecisionPage:
    verdicts: list[Verdict]
    decisions: list[Decision] = field(default_factory=list)


def number(value: float | int | None, places: int = 0) -> str:
    if value is None:
        return "—"
    # Rounded first: Django truncates the decimals of a float it formats.
    return formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def euros(value: float | None) -> str:
    return _("%(amount)s € a year") % {"amount": number(value)} if value else ""


def day(value: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(value[:10]), "DATE_FORMAT") if value else ""


def _trend(current: float | None, previous: float | None, *, noticed: float, higher_is_better: bool) -> Trend:
    if current is None or previous is None:
        return Trend.FIRST
    change = current - previous if higher_is_better else previous - current
    if change >= noticed:
        return Trend.BETTER
    if change <= -noticed:
        return Trend.WORSE
    return Trend.STABLE


def maturity_verdict(maturity: Maturity | None) -> Verdict:
    title = _("Security level")
    percent = maturity["overall"]["percent"] if maturity else None
    if not maturity or percent is None:
        return Verdict(
            title,
            Status.UNKNOWN,
            _("No self-assessment covers this quarter: the security level is not known."),
            Trend.FIRST,
        )
    overall = maturity["overall"]
    status = (
        Status.ON_TRACK
        if percent >= MATURITY_ON_TRACK_PERCENT
        else Status.WATCH
        if percent >= MATURITY_WATCH_PERCENT
        else Status.ACT
    )
    previous_maturity = maturity.get("previous")
    previous = previous_maturity["overall"]["level"] if previous_maturity else None
    sentence = _(
        "The security measures reach %(percent)s %% of the level the organisation set itself as a target "
        "(on a scale from 0, nothing in place, to 5, controlled and improved)."
    ) % {"percent": number(percent)}
    trend = _trend(overall["level"], previous, noticed=LEVEL_CHANGE_NOTICED, higher_is_better=True)
    return Verdict(title, status, sentence, trend)


def incidents_verdict(incidents: Incidents, *, annual: bool = False) -> Verdict:
    title = _("Incidents")
    stats = incidents["stats"]
    missed = stats["obligations_late"] + stats["obligations_overdue"]
    total, significant = stats["total"], stats["significant"]
    if total == 0:
        sentence = _("No incident was recorded %(period)s.") % {"period": _this_period(annual)}
    else:
        sentence = ngettext(
            "%(count)s incident was recorded %(period)s.", "%(count)s incidents were recorded %(period)s.", total
        ) % {"count": total, "period": _this_period(annual)}
        if significant == 0:
            sentence += " " + _("None was serious enough to be reported to the national authority (ANSSI).")
        else:
            sentence += " " + ngettext(
                "%(count)s was serious enough to be reported to the national authority (ANSSI).",
                "%(count)s were serious enough to be reported to the national authority (ANSSI).",
                significant,
            ) % {"count": significant}
            if missed:
                sentence += " " + ngettext(
                    "%(count)s legal report was late or is overdue.",
                    "%(count)s legal reports were late or are overdue.",
                    missed,
                ) % {"count": missed}
            else:
                sentence += " " + _("Every legal report was made on time.")
    if stats["unknown_cause_after_30_days"]:
        sentence += " " + ngettext(
            "The cause of %(count)s incident is still unknown after 30 days.",
            "The cause of %(count)s incidents is still unknown after 30 days.",
            stats["unknown_cause_after_30_days"],
        ) % {"count": stats["unknown_cause_after_30_days"]}
    status = (
        Status.ACT
        if missed
        else Status.WATCH
        if significant or stats["unknown_cause_after_30_days"]
        else Status.ON_TRACK
    )
    trend_rows = incidents.get("trend") or []
    trend = Trend.FIRST
    if len(trend_rows) >= 2:
        trend = _trend(trend_rows[-1]["significant"], trend_rows[-2]["significant"], noticed=1, higher_is_better=False)
    return Verdict(title, status, sentence, trend)


def dependencies_verdict(dependencies: Dependencies) -> Verdict:
    title = _("Dependence on non-European vendors")
    share = dependencies.get("exposed_spend_share")
    if not dependencies["components"] or share is None:
        return Verdict(
            title,
            Status.UNKNOWN,
            _("The information system's components and their costs are not recorded yet."),
            Trend.FIRST,
        )
    status = (
        Status.ACT
        if share >= EXPOSED_SPEND_ACT_PERCENT
        else Status.WATCH
        if share >= EXPOSED_SPEND_WATCH_PERCENT
        else Status.ON_TRACK
    )
    sentence = _(
        "%(share)s %% of the IT spend goes to vendors subject to non-European laws that can compel access to data "
        "or stop a service (such as the US CLOUD Act)."
    ) % {"share": number(share)}
    renewals = dependencies.get("renewals") or []
    if renewals:
        sentence += " " + ngettext(
            "%(count)s of their contracts ends within 12 months: the moment to choose.",
            "%(count)s of their contracts end within 12 months: the moment to choose.",
            len(renewals),
        ) % {"count": len(renewals)}
    trend = _trend(
        share, dependencies.get("previous_exposed_spend_share"), noticed=SHARE_CHANGE_NOTICED, higher_is_better=False
    )
    return Verdict(title, status, sentence, trend)


def actions_verdict(actions: Actions, maturity: Maturity | None, *, annual: bool = False) -> Verdict:
    title = _("Security action plan")
    done, overdue, due_next = (len(actions[key]) for key in ("done", "overdue", "due_next"))
    if not (done or overdue or due_next) and not maturity:
        return Verdict(title, Status.UNKNOWN, _("No action plan is recorded."), Trend.FIRST)
    sentence = ngettext(
        "%(count)s action was completed this quarter", "%(count)s actions were completed this quarter", done
    ) % {"count": done}
    sentence += "; " + ngettext("%(count)s is overdue", "%(count)s are overdue", overdue) % {"count": overdue}
    sentence += "; " + ngettext("%(count)s is due next quarter.", "%(count)s are due next quarter.", due_next) % {
        "count": due_next
    }
    status = Status.ACT if overdue >= OVERDUE_ACTIONS_ACT else Status.WATCH if overdue else Status.ON_TRACK
    trend = _trend(overdue, actions.get("previous_overdue"), noticed=1, higher_is_better=False)
    return Verdict(title, status, sentence, trend)


def _renewal_decisions(dependencies: Dependencies) -> list[Decision]:
    return [
        Decision(
            title=_("Choose what follows the contract “%(name)s”") % {"name": renewal["name"]},
            reason=_(
                "Its vendor is subject to non-European laws; renewing it as it is extends the dependence for "
                "the length of a new contract."
            ),
            deadline=_("before %(date)s") % {"date": day(renewal["contract_end"])},
            cost=euros(renewal.get("annual_cost_eur")),
        )
        for renewal in dependencies.get("renewals") or []
    ]


def _late_reports_decision(stats: IncidentStatistics) -> list[Decision]:
    if not stats["obligations_late"] + stats["obligations_overdue"]:
        return []
    return [
        Decision(
            title=_("Ask for a review of the late legal reports"),
            reason=_(
                "NIS 2 (Art. 23) gives 24 hours for the early warning and 72 hours for the notification; "
                "the management body answers for these obligations (Art. 20)."
            ),
            deadline=_("at once"),
        )
    ]


def _overdue_actions_decision(actions: Actions) -> list[Decision]:
    overdue = actions["overdue"]
    if not overdue:
        return []
    return [
        Decision(
            title=ngettext(
                "Confirm an owner and a new date for %(count)s overdue action",
                "Confirm owners and new dates for %(count)s overdue actions",
                len(overdue),
            )
            % {"count": len(overdue)},
            reason=_("An action plan only protects when its actions are done."),
            deadline=_("next quarter"),
        )
    ]


def _governance_decisions(governance: Governance | None) -> list[Decision]:
    """Art. 20: the measures approved (when the snapshot reads the approvals), the management body trained."""
    if not governance:
        return []
    found: list[Decision] = []
    if "measures" not in {approval["subject"] for approval in governance.get("approvals", [])}:
        found.append(
            Decision(
                title=_("Approve the security measures"),
                reason=_(
                    "NIS 2 (Art. 20(1)) asks the management body to approve the cybersecurity risk-management "
                    "measures; no approval is on record."
                ),
                deadline=_("at the next council meeting"),
            )
        )
    not_trained = (governance.get("training") or {}).get("not_trained")
    if not_trained:
        found.append(
            Decision(
                title=ngettext(
                    "Train %(count)s member of the management body",
                    "Train %(count)s members of the management body",
                    len(not_trained),
                )
                % {"count": len(not_trained)},
                reason=_("NIS 2 (Art. 20(2)) asks the members of the management body to follow training."),
            )
        )
    return found


def decisions(snapshot: Snapshot) -> list[Decision]:
    """At most three decisions asked of the executives, the most pressing first: late legal reports, then the
    contracts to renew, the overdue actions and what Art. 20 asks of the management body."""
    found = [
        *_late_reports_decision(snapshot["incidents"]["stats"]),
        *_renewal_decisions(snapshot["dependencies"]),
        *_overdue_actions_decision(snapshot["actions"]),
        *_governance_decisions(snapshot.get("governance")),
    ]
    return found[:MAX_DECISIONS]


def change_sentence(change: ApprovalChange) -> str | None:
    """What changed in an approved subject since its approval, in one sentence (None when nothing did)."""
    if not change.get("changed"):
        return None
    approved, now = change["approved"], change["now"]
    subject = change["subject"]
    if subject in ("measures", "applicability") and "maturity_level" in change["changed"]:
        return _("Since the measures were approved, their mean level went from %(before)s to %(after)s out of 5.") % {
            "before": number(approved.get("maturity_level"), 1),
            "after": number(now.get("maturity_level"), 1),
        }
    if subject == "applicability" and "justifications_sha256" in change["changed"]:
        return _("Since the statement of applicability was approved, the measures judged not applicable changed.")
    if subject == "action_plan":
        return _("Since the action plan was approved, its open actions went from %(before)s to %(after)s.") % {
            "before": approved.get("open_actions", "—"),
            "after": now.get("open_actions", "—"),
        }
    if subject == "report":
        newer = (now.get("version") or 0) > (approved.get("version") or 0)
        return _("A newer version of the approved report exists.") if newer else None
    return _("Since its approval, %(subject)s changed.") % {"subject": subject}


def decision_page(snapshot: Snapshot) -> DecisionPage:
    annual = snapshot["meta"].get("kind") == "annual"
    return DecisionPage(
        verdicts=[
            maturity_verdict(snapshot["maturity"]),
            incidents_verdict(snapshot["incidents"], annual=annual),
            dependencies_verdict(snapshot["dependencies"]),
            actions_verdict(snapshot["actions"], snapshot["maturity"], annual=annual),
        ],
        decisions=decisions(snapshot),
    )
