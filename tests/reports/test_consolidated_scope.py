"""The consolidated report of an intercommunality stays within what it may be shown: it is requested by
the intercommunality's administrators and executives only, and it holds the data of the member communes
that opted in to sharing (dependencies.DependencySharing); a commune that did not is listed as not shared,
with no incident, no component and no figure of its own."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dependencies import services as dependency_services
from incidents.models import Incident
from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports import services
from reports.models import Report
from reports.snapshot import build_snapshot
from tests.nis2.factories import OrganisationFactory
from tests.reports.dates import Q3, paris
from tests.reports.pdf_text import pdf_pages

pytestmark = pytest.mark.django_db

SHARED_INCIDENT = "Hameçonnage de la mairie d'Amont"
SHARED_COMPONENT = "Parapheur d'Amont"
PRIVATE_INCIDENT = "Rançongiciel à la médiathèque d'Aval"
PRIVATE_COMPONENT = "Messagerie d'Aval"
CONSOLIDATION_REFUSED_FR = (
    "Seuls les administrateurs et les exécutifs de l'intercommunalité peuvent demander un rapport consolidé : "
    "il rassemble les données de ses communes membres."
)


@pytest.fixture
def intercommunality(
    member_of: Callable[..., Membership], past_incident: Callable[..., Incident], past_component: Callable[..., Any]
) -> Organisation:
    """Agglomération du Val and two communes, each with one Q3 incident and one exposed, critical component:
    Amont shares with the intercommunality, Aval does not."""
    intercommunality = OrganisationFactory(name="Agglomération du Val", kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION)
    upstream = OrganisationFactory(name="Commune d'Amont", parent=intercommunality)
    downstream = OrganisationFactory(name="Commune d'Aval", parent=intercommunality)
    for commune, incident, component, shares in (
        (upstream, SHARED_INCIDENT, SHARED_COMPONENT, True),
        (downstream, PRIVATE_INCIDENT, PRIVATE_COMPONENT, False),
    ):
        officer = member_of(commune, Role.SECURITY_OFFICER).user
        it = member_of(commune, Role.IT).user
        dependency_services.sharing_set(organisation=commune, share_with_parent=shares, actor=it)
        past_incident(commune, officer, paris(8, 10), title=incident)
        past_component(commune, it, component, exposure=4, criticality=4, cost=1_000, recorded_at=paris(7, 3))
    return intercommunality


def requested_by(intercommunality: Organisation, role: str, member_of: Callable[..., Membership]) -> Any:
    return member_of(intercommunality, role).user


# --- Who may request it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.ADMIN, 202, id="admin"),
        pytest.param(Role.EXECUTIVE, 202, id="executive"),
        pytest.param(Role.SECURITY_OFFICER, 403, id="security-officer"),
        pytest.param(Role.IT, 403, id="it"),
        pytest.param(Role.AUDITOR, 403, id="auditor"),
    ],
)
def test_api_consolidated_report_is_requested_by_admins_and_executives_only(
    intercommunality: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    django_capture_on_commit_callbacks: Callable[..., Any],
    role: str,
    expected: int,
) -> None:
    client = api_client_for(member_of(intercommunality, role).user, language="fr")
    data = {"organisation": intercommunality.pk, "period": Q3.code, "language": "fr", "consolidated": True}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-list"), data, format="json")

    assert response.status_code == expected, response.content
    assert Report.objects.filter(consolidated=True).count() == (1 if expected == 202 else 0)
    if expected == 403:
        assert response.json()["detail"] == CONSOLIDATION_REFUSED_FR


def test_api_a_security_officer_still_requests_the_intercommunality_own_report(
    intercommunality: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = api_client_for(member_of(intercommunality, Role.SECURITY_OFFICER).user)
    data = {"organisation": intercommunality.pk, "period": Q3.code, "language": "fr", "consolidated": False}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-list"), data, format="json")

    assert response.status_code == 202, response.content
    assert list(Report.objects.values_list("consolidated", flat=True)) == [False]


def test_api_an_executive_still_cannot_request_a_single_organisation_report(
    intercommunality: Organisation, member_of: Callable[..., Membership], api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(member_of(intercommunality, Role.EXECUTIVE).user)
    data = {"organisation": intercommunality.pk, "period": Q3.code, "language": "fr", "consolidated": False}

    response = client.post(reverse("report-list"), data, format="json")

    assert response.status_code == 403
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        pytest.param(Role.ADMIN, True, id="admin"),
        pytest.param(Role.EXECUTIVE, True, id="executive"),
        pytest.param(Role.SECURITY_OFFICER, False, id="security-officer"),
        pytest.param(Role.IT, False, id="it"),
        pytest.param(Role.AUDITOR, False, id="auditor"),
    ],
)
def test_web_consolidated_report_is_requested_by_admins_and_executives_only(
    intercommunality: Organisation,
    member_of: Callable[..., Membership],
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
    role: str,
    allowed: bool,
) -> None:
    client.force_login(member_of(intercommunality, role).user)
    url = reverse("report-list-page", args=[intercommunality.pk])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"period": Q3.code, "language": "fr", "consolidated": "on"}, HTTP_ACCEPT_LANGUAGE="fr"
        )

    assert ('name="consolidated"' in page) is allowed
    if allowed:
        assert response.status_code == 302
        assert Report.objects.get().consolidated is True
    else:
        assert response.status_code == 403
        assert CONSOLIDATION_REFUSED_FR.replace("'", "&#x27;") in response.content.decode()
        assert Report.objects.count() == 0


def test_the_service_refuses_a_security_officer(
    intercommunality: Organisation, member_of: Callable[..., Membership]
) -> None:
    from django.core.exceptions import PermissionDenied

    officer = member_of(intercommunality, Role.SECURITY_OFFICER).user

    with pytest.raises(PermissionDenied):
        services.report_request(
            organisation=intercommunality, period=Q3.code, language="fr", actor=officer, consolidated=True
        )

    assert Report.objects.count() == 0


# --- What it holds --------------------------------------------------------------------------------------


def test_snapshot_holds_only_the_communes_that_share(intercommunality: Organisation) -> None:
    snapshot = build_snapshot(intercommunality, Q3, language="fr", consolidated=True)

    text = json.dumps(snapshot, ensure_ascii=False)
    assert PRIVATE_INCIDENT not in text
    assert PRIVATE_COMPONENT not in text
    assert [row["title"] for row in snapshot["incidents"]["rows"]] == [SHARED_INCIDENT]
    assert [row["name"] for row in snapshot["dependencies"]["top"]] == [SHARED_COMPONENT]
    assert snapshot["incidents"]["stats"]["total"] == 1
    assert snapshot["dependencies"]["components"] == 1
    assert [member["name"] for member in snapshot["members"]] == ["Commune d'Amont", "Commune d'Aval"]
    assert snapshot["members"][0]["shared"] is True
    assert snapshot["members"][0]["incidents"]["total"] == 1
    assert snapshot["members"][1] == {"name": "Commune d'Aval", "shared": False}


@pytest.mark.parametrize(
    ("language", "not_shared"),
    [pytest.param("fr", "non partagé", id="fr"), pytest.param("en", "not shared", id="en")],
)
def test_pdf_lists_a_commune_that_does_not_share_without_its_data(
    intercommunality: Organisation,
    member_of: Callable[..., Membership],
    django_capture_on_commit_callbacks: Callable[..., Any],
    language: str,
    not_shared: str,
) -> None:
    admin = member_of(intercommunality, Role.ADMIN).user
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            organisation=intercommunality, period=Q3.code, language=language, actor=admin, consolidated=True
        )
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        text = " ".join(pdf_pages(handle.read()))

    assert PRIVATE_INCIDENT not in text
    assert PRIVATE_COMPONENT not in text
    assert SHARED_INCIDENT in text
    assert SHARED_COMPONENT in text
    assert f"Commune d'Aval {not_shared}" in text
