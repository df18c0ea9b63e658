"""The incident pages as a security officer, an executive and a stranger see them (French, Paris time)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from incidents import services
from incidents.models import Incident, Obligation
from nis2.clock import PARIS, UTC
from nis2.roles import Role
from tests.incidents.factories import IncidentFactory, significant_incident
from tests.nis2.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


def _declare_url(organisation) -> str:
    return reverse("incident-declare", args=[organisation.pk])


def _page_url(incident: Incident) -> str:
    return reverse("incident-detail-page", args=[incident.organisation_id, incident.pk])


def _declaration(detected_at: str, offset: str = "", **fields: str) -> dict[str, str]:
    return {
        "title": "Rançongiciel à la médiathèque",
        "detected_at_0": detected_at,
        "detected_at_1": offset,
        "subcategory": "infected-system",
        "severity": "critical",
        "significant": "unknown",
        "aware_at_0": "",
        "aware_at_1": "",
        "description": "Postes de prêt chiffrés.",
        **fields,
    }


def test_declaring_an_incident(officer_client, organisation, security_officer) -> None:
    response = officer_client.post(
        _declare_url(organisation),
        _declaration("2026-11-20T10:00", significant="yes", aware_at_0="2026-11-20T11:30"),
    )

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _page_url(incident)
    assert (incident.title, incident.category, incident.subcategory, incident.severity, incident.significant) == (
        "Rançongiciel à la médiathèque",
        "malicious-code",
        "infected-system",
        "critical",
        "yes",
    )
    assert incident.detected_at == datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert incident.aware_at == datetime.datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    assert incident.timeline.get(kind="detection").author == security_officer.user
    obligations = {obligation.step: obligation.due_at for obligation in incident.obligations.all()}
    assert (obligations["early_warning"], obligations["notification"]) == (
        datetime.datetime(2026, 11, 21, 11, 30, tzinfo=PARIS),
        datetime.datetime(2026, 11, 23, 11, 30, tzinfo=PARIS),
    )


@pytest.mark.parametrize(
    ("detected_at", "error"),
    [
        pytest.param(
            "2026-03-29T02:30",
            "Cette heure n&#x27;existe pas dans le fuseau Europe/Paris "
            "(passage à l&#x27;heure d&#x27;été cette nuit-là).",
            id="spring-gap",
        ),
        pytest.param(
            "2026-10-25T02:30",
            "Cette heure survient deux fois cette nuit-là dans le fuseau Europe/Paris : "
            "choisissez l&#x27;heure d&#x27;été (+02:00) ou l&#x27;heure d&#x27;hiver (+01:00).",
            id="fall-back-overlap",
        ),
    ],
)
def test_declaring_a_time_that_does_not_exist_or_happens_twice_is_refused(
    officer_client, organisation, detected_at, error
) -> None:
    response = officer_client.post(_declare_url(organisation), _declaration(detected_at))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="form-error" role="alert">' in html
    assert error in html
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("detected_at", "offset", "expected"),
    [
        pytest.param("2026-03-29T02:30", "+01:00", datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), id="gap-+01"),
        pytest.param(
            "2026-10-25T02:30", "+02:00", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), id="overlap-+02"
        ),
        pytest.param(
            "2026-10-25T02:30", "+01:00", datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), id="overlap-+01"
        ),
    ],
)
def test_declaring_with_an_explicit_offset(officer_client, organisation, detected_at, offset, expected) -> None:
    response = officer_client.post(_declare_url(organisation), _declaration(detected_at, offset))

    assert response.status_code == 302
    assert Incident.objects.get().detected_at == expected


def test_incident_page_shows_the_deadlines_in_paris_time(officer_client, organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)  # aware 5 Oct 2026, 10:00 (+02:00)

    html = officer_client.get(_page_url(incident)).content.decode()

    assert "<h3>Alerte précoce — ANSSI / CERT-FR</h3>" in html
    assert "Échéance 06/10/2026 10:00" in html  # 08:00 UTC
    assert "Échéance 08/10/2026 10:00" in html
    assert "Les heures sont affichées dans le fuseau Europe/Paris." in html
    assert html.count('<article class="card obligation"') == incident.obligations.count()
    for obligation in incident.obligations.all():
        assert f'action="{_obligation_file_url(obligation)}"' in html


def _obligation_file_url(obligation: Obligation) -> str:
    incident = obligation.incident
    return reverse("obligation-file", args=[incident.organisation_id, incident.pk, obligation.pk])


def test_filing_through_the_page(officer_client, organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    early_warning = incident.obligations.get(step="early_warning")

    response = officer_client.post(
        _obligation_file_url(early_warning),
        {"submitted_at_0": "2026-10-05T18:00", "submitted_at_1": "", "reference": "CERT-FR-42", "channel": "portal"},
    )

    assert response.status_code == 302
    [filing] = early_warning.filings.all()
    assert (filing.submitted_at, filing.reference, filing.filed_by) == (
        datetime.datetime(2026, 10, 5, 16, 0, tzinfo=UTC),
        "CERT-FR-42",
        security_officer.user,
    )


def test_closing_without_root_cause_on_the_page_is_refused(officer_client, organisation, security_officer) -> None:
    incident = IncidentFactory(organisation=organisation)
    services.incident_transition(incident=incident, status="resolved", actor=security_officer.user)

    response = officer_client.post(
        reverse("incident-transition", args=[organisation.pk, incident.pk]), {"status": "closed"}, follow=True
    )

    assert response.redirect_chain == [(_page_url(incident), 302)]
    html = response.content.decode()
    # The message itself is compared with the service's: its language is fixed at import (bug reported).
    message = escape(str(services.CLOSING_MESSAGES["root_cause_missing"]))
    assert f'<li class="message error" role="alert"><strong>Refusé :</strong> {message}</li>' in html
    incident.refresh_from_db()
    assert (incident.status, incident.closed_at) == ("resolved", None)
    assert incident.timeline.filter(kind="status_change").count() == 1


def test_transition_on_the_page(officer_client, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_client.post(
        reverse("incident-transition", args=[organisation.pk, incident.pk]), {"status": "investigating"}, follow=True
    )

    assert (
        '<li class="message success" role="status">Statut passé à « En cours d&#x27;analyse ».</li>'
        in response.content.decode()
    )
    incident.refresh_from_db()
    assert incident.status == "investigating"


@pytest.fixture
def executive_client(client, organisation, member_of):
    client.force_login(member_of(organisation, Role.EXECUTIVE).user)
    return client


def test_executive_reads_without_any_form(executive_client, organisation, security_officer) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)

    page = executive_client.get(_page_url(incident))
    register = executive_client.get(reverse("incident-register", args=[organisation.pk]))

    assert (page.status_code, register.status_code) == (200, 200)
    incidents_path = f"/o/{organisation.pk}/incidents/"
    assert f'action="{incidents_path}' not in page.content.decode()
    assert f'action="{incidents_path}' not in register.content.decode()
    assert f'href="{_declare_url(organisation)}"' not in register.content.decode()
    assert incident.title in register.content.decode()


@pytest.mark.parametrize(
    ("route", "data"),
    [
        pytest.param("incident-transition", {"status": "investigating"}, id="transition"),
        pytest.param("incident-timeline-add", {"kind": "note", "text": "Appel du préfet."}, id="timeline"),
        pytest.param(
            "incident-root-cause",
            {"root_cause_category": "human_error", "root_cause": "Erreur de manipulation."},
            id="root-cause",
        ),
    ],
)
def test_executive_cannot_change_an_incident(executive_client, organisation, security_officer, route, data) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    entries_before = incident.timeline.count()

    response = executive_client.post(reverse(route, args=[organisation.pk, incident.pk]), data)

    assert response.status_code == 403
    incident.refresh_from_db()
    assert (incident.status, incident.root_cause_category) == ("new", "")
    assert incident.timeline.count() == entries_before


def test_executive_cannot_declare(executive_client, organisation) -> None:
    form = executive_client.get(_declare_url(organisation))
    post = executive_client.post(_declare_url(organisation), _declaration("2026-11-20T10:00"))

    assert (form.status_code, post.status_code) == (403, 403)
    assert not Incident.objects.exists()


@pytest.fixture
def stranger_client(client, member_of):
    client.force_login(member_of(OrganisationFactory(name="Commune voisine"), Role.SECURITY_OFFICER).user)
    return client


@pytest.mark.parametrize(
    ("method", "route", "with_incident"),
    [
        pytest.param("get", "incident-register", False, id="register"),
        pytest.param("get", "incident-declare", False, id="declare-form"),
        pytest.param("get", "incident-detail-page", True, id="incident-page"),
        pytest.param("post", "incident-transition", True, id="transition"),
        pytest.param("post", "incident-timeline-add", True, id="timeline"),
    ],
)
def test_another_organisation_incidents_do_not_exist(
    stranger_client, organisation, method, route, with_incident
) -> None:
    incident = IncidentFactory(organisation=organisation, title="Incident confidentiel")
    args = [organisation.pk, incident.pk] if with_incident else [organisation.pk]

    response = getattr(stranger_client, method)(reverse(route, args=args), {"status": "investigating"})

    assert response.status_code == 404
    assert "Incident confidentiel" not in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == "new"
    assert incident.timeline.count() == 0


def test_the_declaration_does_not_choose_a_type_of_incident_for_you(officer_client, organisation) -> None:
    page = officer_client.get(_declare_url(organisation), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.search(r'<option value="" selected>— Choisissez le type d’incident —</option>', page)

    refused = officer_client.post(
        _declare_url(organisation), _declaration("2026-11-20T10:00", subcategory=""), HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert refused.status_code == 200
    assert "Ce champ est obligatoire." in refused.content.decode()
    assert not Incident.objects.exists()
