"""Registry of the shared tenant-isolation test (tests/test_isolation.py).

Every API viewset route is covered by the harness. An app makes its routes testable by
registering, under the route's basename, how to create one object owned by a given
organisation (and, for nested routes, the URL arguments besides ``pk``). A list route that
only accepts POST (an import) also says how to post to it, naming an organisation. A route
whose basename is missing here fails the harness. Shared reference data (catalogues) is listed
in ``REFERENCE_BASENAMES``: readable by every member, writable through no route.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from controls.models import DutyCompletion
from dependencies import tabular
from nis2.models import Organisation
from nis2.roles import Resource
from tests.controls.factories import ActionFactory, AssessmentFactory, FileEvidenceFactory, ItemFactory
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory, ProductFactory
from tests.incidents.factories import (
    AttachmentFactory,
    CalendarFeedFactory,
    CorrectiveActionFactory,
    significant_incident,
)
from tests.nis2.factories import InvitationFactory, MembershipFactory
from tests.reports.factories import AnnualReportFactory, ApprovalFactory, TrainingFactory


def _no_kwargs(obj: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Posted:
    """How to post to a POST-only list route that names the organisation in its body: a valid body
    naming the given organisation, which writes one object of the route's kind there, and the
    resource a role must be allowed to write (nis2/roles.py) for the post to succeed."""

    body: Callable[[Organisation], dict[str, Any]]
    resource: Resource
    format: str = "multipart"


@dataclass(frozen=True)
class Isolated:
    make: Callable[[Organisation], Model]
    url_kwargs: Callable[[Any], dict[str, Any]] = field(default=_no_kwargs)
    # Extra URL arguments of particular routes (e.g. the report drafts' ``step`` and ``fmt``).
    route_kwargs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Routes answering an aggregate instead of a list: the JSON key that counts the objects seen.
    counted_by: dict[str, str] = field(default_factory=dict)
    # POST-only list routes (imports), by route name.
    posted: dict[str, Posted] = field(default_factory=dict)


def _one_component_file(organisation: Organisation) -> dict[str, Any]:
    """A valid component file (dependencies/tabular.py's columns) of one row, imported into the organisation."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=tabular.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(
        {
            "name": "Messagerie importée",
            "domain": "D02",
            "product": "Courriel Pro",
            "vendor": "Atlantic Mail Inc.",
            "vendor_country": "US",
            "deployment": "vendor_saas",
            "criticality": "3",
        }
    )
    return {
        "organisation": organisation.pk,
        "file": SimpleUploadedFile("components.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv"),
    }


ISOLATION_CASES: dict[str, Isolated] = {
    "organisation": Isolated(lambda organisation: organisation),
    "membership": Isolated(lambda organisation: MembershipFactory(organisation=organisation)),
    "invitation": Isolated(lambda organisation: InvitationFactory(organisation=organisation)),
    "assessment": Isolated(lambda organisation: AssessmentFactory(organisation=organisation)),
    "assessment-item": Isolated(
        lambda organisation: ItemFactory(assessment__organisation=organisation),
        url_kwargs=lambda item: {"assessment_pk": item.assessment_id},
    ),
    "evidence": Isolated(lambda organisation: FileEvidenceFactory(item__assessment__organisation=organisation)),
    "action": Isolated(lambda organisation: ActionFactory(organisation=organisation)),
    "duty-completion": Isolated(
        lambda organisation: DutyCompletion.objects.create(
            organisation=organisation, duty="backup-restore-test", done_on=datetime.date(2026, 3, 2)
        )
    ),
    "incident": Isolated(
        lambda organisation: significant_incident(organisation),
        route_kwargs={"incident-drafts": {"step": "early_warning", "fmt": "json"}},
        counted_by={"incident-stats": "total"},
    ),
    "incident-obligation": Isolated(
        lambda organisation: significant_incident(organisation).obligations.get(step="early_warning"),
        url_kwargs=lambda obligation: {"incident_pk": obligation.incident_id},
    ),
    "incident-corrective-action": Isolated(
        lambda organisation: CorrectiveActionFactory(incident__organisation=organisation),
        url_kwargs=lambda action: {"incident_pk": action.incident_id},
    ),
    "incident-attachment": Isolated(
        lambda organisation: AttachmentFactory(incident__organisation=organisation),
        url_kwargs=lambda attachment: {"incident_pk": attachment.incident_id},
    ),
    "calendar-feed": Isolated(lambda organisation: CalendarFeedFactory(organisation=organisation)),
    "component": Isolated(
        lambda organisation: ComponentFactory(organisation=organisation),
        posted={"component-import-file": Posted(_one_component_file, resource=Resource.DEPENDENCY)},
    ),
    # Catalogue entries an organisation added for itself (the shared catalogue is visible to all).
    "legal-entity": Isolated(lambda organisation: LegalEntityFactory(organisation=organisation)),
    "product": Isolated(lambda organisation: ProductFactory(organisation=organisation)),
    # Annual: it has every report route's file (the PDF and the draft délibération).
    "report": Isolated(lambda organisation: AnnualReportFactory(organisation=organisation)),
    "approval": Isolated(lambda organisation: ApprovalFactory(organisation=organisation)),
    "training": Isolated(lambda organisation: TrainingFactory(organisation=organisation)),
}

REFERENCE_BASENAMES = {"framework", "domain"}
