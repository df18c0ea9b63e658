"""The dated cases of the reporting clock: incidents with their facts and the due dates they owe, as
data (for test_reporting_clock.py)."""

from __future__ import annotations

import pytest

from tests.incidents.deadline_rules import Case, paris, utc

CASES = [
    # Aware Mon 12 Jan 2026 10:00 (+01). Early warning +24 h, notification +72 h. Still handled, notification
    # not filed: the progress report runs from the notification's due time, 15 Jan 10:00 → 15 Feb 10:00.
    pytest.param(
        Case(aware=paris(2026, 1, 12, 10)),
        {
            "early_warning": "2026-01-13T10:00:00+01:00",
            "notification": "2026-01-15T10:00:00+01:00",
            "progress": "2026-02-15T10:00:00+01:00",
            "final": None,
        },
        id="01-winter-ongoing-progress-at-one-month-final-unknown",
    ),
    # The same, resolved on 20 January, before the month is up: no progress report, final on 15 Feb.
    pytest.param(
        Case(aware=paris(2026, 1, 12, 10), resolved=paris(2026, 1, 20, 16)),
        {
            "early_warning": "2026-01-13T10:00:00+01:00",
            "notification": "2026-01-15T10:00:00+01:00",
            "final": "2026-02-15T10:00:00+01:00",
        },
        id="02-winter-resolved-within-the-month",
    ),
    # Aware Sat 28 March 10:00 (+01) = 09:00 UTC. +24 h = Sun 29 March 09:00 UTC = 11:00 (+02), the clock having
    # jumped. +72 h = 31 March 09:00 UTC = 11:00 (+02). Progress one month after 31 March 11:00: 30 April 11:00.
    pytest.param(
        Case(aware=paris(2026, 3, 28, 10)),
        {
            "early_warning": "2026-03-29T11:00:00+02:00",
            "notification": "2026-03-31T11:00:00+02:00",
            "progress": "2026-04-30T11:00:00+02:00",
            "final": None,
        },
        id="03-spring-forward-inside-the-24-hours",
    ),
    # Aware Sun 29 March 01:30 (+01) = 00:30 UTC, half an hour before the change. +24 h = 30 March 00:30 UTC
    # = 02:30 (+02); +72 h = 1 April 02:30 (+02). Resolved at once: final 1 May 02:30 (+02).
    pytest.param(
        Case(aware=paris(2026, 3, 29, 1, 30), resolved=paris(2026, 3, 29, 6)),
        {
            "early_warning": "2026-03-30T02:30:00+02:00",
            "notification": "2026-04-01T02:30:00+02:00",
            "final": "2026-05-01T02:30:00+02:00",
        },
        id="04-spring-forward-night-of-the-change",
    ),
    # Aware Sat 24 Oct 10:00 (+02) = 08:00 UTC. +24 h = 25 Oct 08:00 UTC = 09:00 (+01): the clock went back.
    # +72 h = 27 Oct 08:00 UTC = 09:00 (+01). Resolved at once: final 27 Nov 09:00 (+01).
    pytest.param(
        Case(aware=paris(2026, 10, 24, 10), resolved=paris(2026, 10, 24, 12)),
        {
            "early_warning": "2026-10-25T09:00:00+01:00",
            "notification": "2026-10-27T09:00:00+01:00",
            "final": "2026-11-27T09:00:00+01:00",
        },
        id="05-autumn-back-inside-the-24-hours",
    ),
    # Aware 25 Oct 02:30 during the first pass (+02) = 00:30 UTC. +24 h = 26 Oct 00:30 UTC = 01:30 (+01).
    pytest.param(
        Case(aware=utc(2026, 10, 25, 0, 30), resolved=utc(2026, 10, 25, 5)),
        {
            "early_warning": "2026-10-26T01:30:00+01:00",
            "notification": "2026-10-28T01:30:00+01:00",
            "final": "2026-11-28T01:30:00+01:00",
        },
        id="06-autumn-ambiguous-hour-given-in-utc",
    ),
    # Notification filed Sat 31 Jan 10:00 (+01): one month later is clamped to Sat 28 Feb 10:00 (+01).
    pytest.param(
        Case(
            aware=paris(2026, 1, 30, 12),
            filed={"notification": paris(2026, 1, 31, 10)},
            resolved=paris(2026, 2, 10),
        ),
        {
            "early_warning": "2026-01-31T12:00:00+01:00",
            "notification": "2026-02-02T12:00:00+01:00",
            "final": "2026-02-28T10:00:00+01:00",
        },
        id="07-31-january-plus-one-month-is-28-february",
    ),
    # 2028 is a leap year: 31 Jan + one month = Tue 29 Feb 2028.
    pytest.param(
        Case(
            aware=paris(2028, 1, 30, 12),
            filed={"notification": paris(2028, 1, 31, 10)},
            resolved=paris(2028, 2, 10),
        ),
        {
            "early_warning": "2028-01-31T12:00:00+01:00",
            "notification": "2028-02-02T12:00:00+01:00",
            "final": "2028-02-29T10:00:00+01:00",
        },
        id="08-leap-year-31-january-plus-one-month-is-29-february",
    ),
    # Filed on 29 Feb 2028 10:00 (+01); one month later, 29 March 2028, summer time started on 26 March: +02.
    pytest.param(
        Case(
            aware=paris(2028, 2, 28, 9),
            filed={"notification": paris(2028, 2, 29, 10)},
            resolved=paris(2028, 3, 1),
        ),
        {
            "early_warning": "2028-02-29T09:00:00+01:00",
            "notification": "2028-03-02T09:00:00+01:00",
            "final": "2028-03-29T10:00:00+02:00",
        },
        id="09-29-february-plus-one-month-across-the-change",
    ),
    # Filed 31 March 18:00 (+02): 30 April 18:00 (+02), clamped.
    pytest.param(
        Case(
            aware=paris(2026, 3, 30, 8),
            filed={"notification": paris(2026, 3, 31, 18)},
            resolved=paris(2026, 4, 2),
        ),
        {
            "early_warning": "2026-03-31T08:00:00+02:00",
            "notification": "2026-04-02T08:00:00+02:00",
            "final": "2026-04-30T18:00:00+02:00",
        },
        id="10-31-march-plus-one-month-is-30-april",
    ),
    # Filed Sun 28 Feb 2027 02:30 (+01). One month later, 28 March 2027 02:30, does not exist (02:00 → 03:00):
    # read with the winter offset, 01:30 UTC, shown 03:30 (+02): never earlier than the month elapsed.
    pytest.param(
        Case(
            aware=paris(2027, 2, 27, 3),
            filed={"notification": paris(2027, 2, 28, 2, 30)},
            resolved=paris(2027, 3, 1),
        ),
        {
            "early_warning": "2027-02-28T03:00:00+01:00",
            "notification": "2027-03-02T03:00:00+01:00",
            "final": "2027-03-28T03:30:00+02:00",
        },
        id="11-one-month-lands-in-the-spring-forward-gap",
    ),
    # Filed 25 Sept 02:30 (+02); 25 Oct 02:30 happens twice: the first time (+02) counts.
    pytest.param(
        Case(
            aware=paris(2026, 9, 24, 12),
            filed={"notification": paris(2026, 9, 25, 2, 30)},
            resolved=paris(2026, 9, 26),
        ),
        {
            "early_warning": "2026-09-25T12:00:00+02:00",
            "notification": "2026-09-27T12:00:00+02:00",
            "final": "2026-10-25T02:30:00+02:00",
        },
        id="12-one-month-lands-in-the-autumn-overlap",
    ),
    # Awareness typed in UTC: 1 June 08:00 UTC is 10:00 (+02) in Paris.
    pytest.param(
        Case(aware=utc(2026, 6, 1, 8)),
        {
            "early_warning": "2026-06-02T10:00:00+02:00",
            "notification": "2026-06-04T10:00:00+02:00",
            "progress": "2026-07-04T10:00:00+02:00",
            "final": None,
        },
        id="13-utc-input",
    ),
    # Notification filed 4 March 15:20 (+01), still handled: progress one month after the filing, 4 April 15:20.
    pytest.param(
        Case(aware=paris(2026, 3, 2, 10), filed={"notification": paris(2026, 3, 4, 15, 20)}),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "progress": "2026-04-04T15:20:00+02:00",
            "final": None,
        },
        id="14-ongoing-at-one-month-progress-report",
    ),
    # The same, handling ended 20 May 17:00 (+02): final report one month later, 20 June 17:00.
    pytest.param(
        Case(
            aware=paris(2026, 3, 2, 10),
            filed={"notification": paris(2026, 3, 4, 15, 20)},
            resolved=paris(2026, 5, 20, 17),
        ),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "progress": "2026-04-04T15:20:00+02:00",
            "final": "2026-06-20T17:00:00+02:00",
        },
        id="15-end-of-handling-after-the-month-final-a-month-later",
    ),
    # Resolved at the very minute the month is up: the final report is due then, no progress report.
    pytest.param(
        Case(
            aware=paris(2026, 3, 2, 10),
            filed={"notification": paris(2026, 3, 4, 15, 20)},
            resolved=paris(2026, 4, 4, 15, 20),
        ),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "final": "2026-04-04T15:20:00+02:00",
        },
        id="16-resolved-at-the-month-final-report-then",
    ),
    # Notification 1 Dec 10:00 (+01), progress 1 Jan 10:00; resolved 31 Jan 2027 09:00: final 28 Feb 09:00.
    pytest.param(
        Case(
            aware=paris(2026, 11, 30, 10),
            filed={"notification": paris(2026, 12, 1, 10)},
            resolved=paris(2027, 1, 31, 9),
        ),
        {
            "early_warning": "2026-12-01T10:00:00+01:00",
            "notification": "2026-12-03T10:00:00+01:00",
            "progress": "2027-01-01T10:00:00+01:00",
            "final": "2027-02-28T09:00:00+01:00",
        },
        id="17-end-of-handling-on-31-january-final-clamped",
    ),
    # A full notification filed 10 h after awareness is also the early warning; the final runs from it.
    pytest.param(
        Case(
            aware=paris(2026, 3, 2, 10),
            filed={"notification": paris(2026, 3, 2, 20)},
            resolved=paris(2026, 3, 10),
        ),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "final": "2026-04-02T20:00:00+02:00",
        },
        id="18-notification-first-also-the-early-warning",
    ),
    # Late filing: the notification was due 5 March 10:00, filed 7 March 09:00; the final runs from the filing.
    pytest.param(
        Case(
            aware=paris(2026, 3, 2, 10),
            filed={"early_warning": paris(2026, 3, 3, 9), "notification": paris(2026, 3, 7, 9)},
            resolved=paris(2026, 3, 20),
        ),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "final": "2026-04-07T09:00:00+02:00",
        },
        id="19-late-notification-anchors-the-final-report",
    ),
    pytest.param(Case(aware=paris(2026, 3, 2, 10), significant=False), {}, id="20-not-significant-nothing-owed"),
    # Personal data only: 72 h from awareness of the breach, 2 March 10:00 → 5 March 10:00.
    pytest.param(
        Case(aware=None, significant=False, breach=True, breach_aware=paris(2026, 3, 2, 10)),
        {"gdpr_breach": "2026-03-05T10:00:00+01:00"},
        id="21-breach-only-cnil-72-hours",
    ),
    # GDPR awareness two days before NIS 2 awareness: each clock runs from its own event.
    pytest.param(
        Case(aware=paris(2026, 3, 10, 9), breach=True, breach_aware=paris(2026, 3, 8, 14), resolved=paris(2026, 3, 12)),
        {
            "early_warning": "2026-03-11T09:00:00+01:00",
            "notification": "2026-03-13T09:00:00+01:00",
            "final": "2026-04-13T09:00:00+02:00",
            "gdpr_breach": "2026-03-11T14:00:00+01:00",
        },
        id="22-breach-known-before-significance",
    ),
    # Personal data found on day 8 of an incident significant since day 1: the CNIL's 72 h start on day 8.
    pytest.param(
        Case(aware=paris(2026, 3, 1, 9), breach=True, breach_aware=paris(2026, 3, 8, 16), resolved=paris(2026, 3, 2)),
        {
            "early_warning": "2026-03-02T09:00:00+01:00",
            "notification": "2026-03-04T09:00:00+01:00",
            "final": "2026-04-04T09:00:00+02:00",
            "gdpr_breach": "2026-03-11T16:00:00+01:00",
        },
        id="23-breach-found-on-day-8",
    ),
    # 27 March 12:00 (+01) = 11:00 UTC; +72 h = 30 March 11:00 UTC = 13:00 (+02).
    pytest.param(
        Case(aware=None, significant=False, breach=True, breach_aware=paris(2026, 3, 27, 12)),
        {"gdpr_breach": "2026-03-30T13:00:00+02:00"},
        id="24-breach-clock-across-spring-forward",
    ),
    # 23 Oct 12:00 (+02) = 10:00 UTC; +72 h = 26 Oct 10:00 UTC = 11:00 (+01).
    pytest.param(
        Case(aware=None, significant=False, breach=True, breach_aware=paris(2026, 10, 23, 12)),
        {"gdpr_breach": "2026-10-26T11:00:00+01:00"},
        id="25-breach-clock-across-autumn-back",
    ),
    # No breach time recorded: from awareness of significance (the service also stores it so).
    pytest.param(
        Case(aware=paris(2026, 3, 2, 10), breach=True, resolved=paris(2026, 3, 3)),
        {
            "early_warning": "2026-03-03T10:00:00+01:00",
            "notification": "2026-03-05T10:00:00+01:00",
            "final": "2026-04-05T10:00:00+02:00",
            "gdpr_breach": "2026-03-05T10:00:00+01:00",
        },
        id="26-breach-without-its-time-from-significance",
    ),
    # Neither time: from detection, 1 March 08:00 → 4 March 08:00.
    pytest.param(
        Case(aware=None, significant=False, breach=True, detected=paris(2026, 3, 1, 8)),
        {"gdpr_breach": "2026-03-04T08:00:00+01:00"},
        id="27-breach-without-any-awareness-from-detection",
    ),
    # High risk (Art. 34): the people concerned are due "without undue delay": due from the breach awareness.
    pytest.param(
        Case(aware=None, significant=False, breach=True, breach_aware=paris(2026, 5, 4, 9), high_risk=True),
        {"gdpr_breach": "2026-05-07T09:00:00+02:00", "gdpr_data_subjects": "2026-05-04T09:00:00+02:00"},
        id="28-high-risk-people-informed-without-undue-delay",
    ),
    pytest.param(
        Case(aware=None, significant=False, high_risk=True, detected=paris(2026, 5, 4, 9)),
        {},
        id="29-high-risk-without-a-breach-owes-nothing",
    ),
    # Recipients affected by a significant incident: informed without undue delay, from awareness.
    pytest.param(
        Case(aware=paris(2026, 7, 14, 22), recipients=True),
        {
            "recipients": "2026-07-14T22:00:00+02:00",
            "early_warning": "2026-07-15T22:00:00+02:00",
            "notification": "2026-07-17T22:00:00+02:00",
            "progress": "2026-08-17T22:00:00+02:00",
            "final": None,
        },
        id="30-recipients-informed-without-undue-delay",
    ),
    pytest.param(
        Case(aware=paris(2026, 7, 14, 22), significant=False, recipients=True),
        {},
        id="31-recipients-of-a-non-significant-incident-owe-nothing",
    ),
    pytest.param(Case(aware=None), {}, id="32-no-awareness-no-clock-the-service-always-sets-one"),
    # Aware 31 Dec 23:30 (+01) = 22:30 UTC: +24 h 1 Jan 23:30, +72 h 3 Jan 23:30; final 3 Feb 23:30.
    pytest.param(
        Case(aware=paris(2026, 12, 31, 23, 30), resolved=paris(2027, 1, 2)),
        {
            "early_warning": "2027-01-01T23:30:00+01:00",
            "notification": "2027-01-03T23:30:00+01:00",
            "final": "2027-02-03T23:30:00+01:00",
        },
        id="33-year-end",
    ),
    # Reopened: resolution cleared, so the incident is handled again: back to progress + unknown final.
    pytest.param(
        Case(aware=paris(2026, 1, 12, 10), filed={"notification": paris(2026, 1, 14, 9)}, resolved=None),
        {
            "early_warning": "2026-01-13T10:00:00+01:00",
            "notification": "2026-01-15T10:00:00+01:00",
            "progress": "2026-02-14T09:00:00+01:00",
            "final": None,
        },
        id="34-reopened-resolution-cleared",
    ),
]
