import datetime

import factory

from incidents.models import Attachment, CalendarFeed, CorrectiveAction, Incident
from nis2.clock import PARIS
from tests.nis2.factories import OrganisationFactory


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Incident {n}")
    detected_at = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=PARIS)
    category = "malicious-code"
    subcategory = "infected-system"
    severity = Incident.Severity.HIGH


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveAction

    incident = factory.SubFactory(IncidentFactory)
    title = "Restaurer depuis une sauvegarde saine"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    incident = factory.SubFactory(IncidentFactory)
    title = "Rapport d'analyse"
    file = factory.django.FileField(filename="analyse.pdf", data=b"%PDF-1.4\n% analyse\n")
    content_type = "application/pdf"
    size = 20
    sha256 = "0" * 64


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    organisation = factory.SubFactory(OrganisationFactory)


def significant_incident(organisation, *, actor=None, **fields):
    """A significant incident created through the service, so its obligations exist."""
    from incidents import services

    values = {
        "title": "Rançongiciel sur les serveurs",
        "detected_at": datetime.datetime(2026, 10, 5, 8, 0, tzinfo=PARIS),
        "aware_at": datetime.datetime(2026, 10, 5, 10, 0, tzinfo=PARIS),
        "category": "malicious-code",
        "subcategory": "infected-system",
        "severity": "critical",
        "significant": "yes",
        "significant_justification": "Services à la population interrompus.",
        **fields,
    }
    return services.incident_create(organisation=organisation, actor=actor, **values)


def close_incident(incident, actor):
    """Record an explained root cause, then resolve and close the incident (today), through the services."""
    from incidents import services

    incident = services.incident_update(
        incident=incident, actor=actor, root_cause_category="human_error", root_cause="Erreur de manipulation."
    )
    incident = services.incident_transition(incident=incident, status="resolved", actor=actor)
    return services.incident_transition(incident=incident, status="closed", actor=actor)
