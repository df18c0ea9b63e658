"""The home dashboard: each role sees its panels, with a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from controls import services as controls_services
from nis2.models import Organisation
from nis2.roles import Role
from tests.controls.factories import framework_with_requirements
from tests.dependencies.factories import ComponentFactory
from tests.incidents.factories import significant_incident
from tests.nis2.factories import MembershipFactory, OrganisationFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def populate(intercommunality: Organisation, size: int, framework) -> None:
    for _index in range(size):
        commune = OrganisationFactory(parent=intercommunality)
        ComponentFactory(organisation=commune)
        significant_incident(commune)
        controls_services.assessment_create(
            organisation=commune,
            framework=framework,
            label=f"2026-T4-{commune.pk}",
            period_start="2026-10-01",
            period_end="2026-12-31",
            actor=None,
        )
        significant_incident(intercommunality)
        ComponentFactory(organisation=intercommunality)


def home_queries(client, organisation) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisation-home", args=[organisation.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_OFFICER, Role.IT, Role.EXECUTIVE])
def test_dashboard_queries_do_not_grow_with_the_data(client, role) -> None:
    intercommunality = OrganisationFactory(
        kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION,
        nis2_status="essential",
        nis2_status_justification="Désignée par arrêté.",
    )
    framework = framework_with_requirements(20)
    controls_services.assessment_create(
        organisation=intercommunality,
        framework=framework,
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=None,
    )
    ReportFactory(organisation=intercommunality, snapshot=None)
    client.force_login(MembershipFactory(organisation=intercommunality, role=role).user)

    populate(intercommunality, 2, framework)
    few = home_queries(client, intercommunality)
    populate(intercommunality, 8, framework)
    many = home_queries(client, intercommunality)
    assert many == few


def test_each_role_sees_its_panel_first(client) -> None:
    organisation = OrganisationFactory()
    for role, first_heading in (
        (Role.SECURITY_OFFICER, "Incidents ouverts et délais légaux"),
        (Role.IT, "Maturité NIS 2"),
        (Role.EXECUTIVE, "Pour les élus et la direction générale"),
    ):
        client.force_login(MembershipFactory(organisation=organisation, role=role).user)
        html = client.get(reverse("organisation-home", args=[organisation.pk])).content.decode()
        dashboard = html[html.index('class="dashboard"') :]
        assert dashboard.index(first_heading) == min(
            dashboard.index(heading)
            for heading in (
                "Incidents ouverts et délais légaux",
                "Maturité NIS 2",
                "Pour les élus et la direction générale",
            )
        ), role


def test_communes_side_by_side_only_for_those_who_read_them(client) -> None:
    intercommunality = OrganisationFactory(
        name="Agglo",
        kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION,
        nis2_status="essential",
        nis2_status_justification="Arrêté.",
    )
    OrganisationFactory(parent=intercommunality, name="Commune des Tilleuls")
    client.force_login(MembershipFactory(organisation=intercommunality, role=Role.ADMIN).user)
    assert (
        "Commune des Tilleuls" in client.get(reverse("organisation-home", args=[intercommunality.pk])).content.decode()
    )
    client.force_login(MembershipFactory(organisation=intercommunality, role=Role.EXECUTIVE).user)
    assert (
        "Commune des Tilleuls"
        not in client.get(reverse("organisation-home", args=[intercommunality.pk])).content.decode()
    )


def test_search_finds_only_readable_objects(client) -> None:
    own = MembershipFactory(role=Role.SECURITY_OFFICER)
    significant_incident(own.organisation, title="Rançongiciel à la médiathèque")
    significant_incident(OrganisationFactory(), title="Rançongiciel chez le voisin")
    client.force_login(own.user)
    html = client.get(reverse("search"), {"q": "Rançongiciel"}).content.decode()
    assert "Rançongiciel à la médiathèque" in html
    assert "chez le voisin" not in html
