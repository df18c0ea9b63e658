"""Reports in an organisation's archive: every version with its snapshot and PDF; the management body's
approvals (with their signed acts) and trainings (with their attestations)."""

from nis2.archive.declarations import Owned, Portability
from reports.models import Approval, Report, Training

PORTABILITY = Portability(
    owned=[
        Owned(Report, parent="organisation"),
        # After the reports they may name (and the assessments of controls, an app declared earlier).
        Owned(Approval, parent="organisation"),
        Owned(Training, parent="organisation"),
    ]
)
