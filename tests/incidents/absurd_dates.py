"""Dates out of the plausible range and how their refusal reads, shared by the bad date tests."""

from incidents.models import Filing, Incident, Obligation, TimelineEntry

BEFORE_2000 = "This date is before 1 January 2000: check the year."


def _rows() -> dict[str, int]:
    """Every row a refused request could have written, history included."""
    return {
        "incidents": Incident.objects.count(),
        "incident history": Incident.history.count(),
        "timeline": TimelineEntry.objects.count(),
        "timeline history": TimelineEntry.history.count(),
        "obligations": Obligation.objects.count(),
        "obligation history": Obligation.history.count(),
        "filings": Filing.objects.count(),
        "filing history": Filing.history.count(),
    }
