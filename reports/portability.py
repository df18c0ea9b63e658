"""Quarterly reports in an organisation's archive: every version with its snapshot and PDF."""

from nis2.archive.declarations import Owned, Portability
from reports.models import Report

PORTABILITY = Portability(owned=[Owned(Report, parent="organisation")])
