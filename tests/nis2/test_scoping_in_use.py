"""The scoping rule where people meet it: the status stored at creation, the justification an override needs,
the API, the organisation's page and the getting-started page with the legal basis of the status, in French."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nis2 import services
from nis2.models import Organisation
from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Kind, Status = Organisation.Kind, Organisation.Nis2StatusChoices


def agglomeration(**fields) -> Organisation:
    return OrganisationFactory(
        name="Agglo du Val",
        kind=Kind.COMMUNAUTE_AGGLOMERATION,
        population=96_400,
        nis2_status=Status.IMPORTANT,
        **fields,
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- Stored status and justification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        pytest.param(
            {"kind": Kind.COMMUNAUTE_AGGLOMERATION, "population": 96_400}, Status.ESSENTIAL, id="ca-no-members"
        ),
        pytest.param({"kind": Kind.COMMUNE}, Status.ESSENTIAL, id="commune-no-population"),
        pytest.param({"kind": Kind.COMMUNE, "population": 2_000}, Status.NOT_IN_SCOPE, id="small-commune"),
        pytest.param({"kind": Kind.COLLECTIVITE_STATUT_PARTICULIER}, Status.ESSENTIAL, id="metropole-de-lyon"),
    ],
)
def test_a_new_organisation_without_the_data_gets_the_most_demanding_possible_status(fields, stored) -> None:
    organisation = services.organisation_create(actor=None, name="Nouvelle", siren="217500016", **fields)

    organisation.refresh_from_db()
    assert organisation.nis2_status == stored


def test_an_undetermined_suggestion_accepts_any_status_the_data_could_lead_to_without_justification() -> None:
    organisation = agglomeration()

    assert organisation.suggested_nis2_status() == "unknown"
    for status in (Status.ESSENTIAL, Status.IMPORTANT):
        organisation.nis2_status = status
        organisation.full_clean()


def test_an_undetermined_suggestion_still_asks_why_for_a_status_it_cannot_lead_to(french_catalogue, settings) -> None:
    settings.LANGUAGE_CODE = "fr"
    organisation = agglomeration()
    organisation.nis2_status = Status.NOT_IN_SCOPE

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert error.value.message_dict["nis2_status_justification"] == [
        "Expliquez pourquoi vous avez choisi ce statut NIS 2 : les données saisies ne peuvent mener qu'à "
        "Entité essentielle / Entité importante."
    ]


def test_entering_a_large_member_commune_decides_the_agglomeration() -> None:
    organisation = agglomeration()
    OrganisationFactory(parent=organisation, population=42_300)

    assert organisation.suggested_nis2_status() == Status.ESSENTIAL
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert list(error.value.message_dict) == ["nis2_status_justification"]


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_says_unknown_and_what_to_enter(api_client_for, french_catalogue) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=agglomeration())

    body = (
        api_client_for(admin.user, language="fr")
        .get(reverse("organisation-detail", kwargs={"pk": admin.organisation_id}))
        .json()
    )

    assert body["suggested_nis2_status"] == "unknown"
    assert body["suggested_nis2_status_note"].startswith(
        "À déterminer : saisissez les communes membres de la communauté d'agglomération"
    )
    assert body["nis2_legal_basis"]["rests_on_bill"] is True
    assert body["nis2_legal_basis"]["last_checked"] == "2026-11-30"
    assert "pas encore promulgué" in body["nis2_legal_basis"]["explanation"]


def test_the_api_suggestion_follows_the_member_communes(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=agglomeration())
    OrganisationFactory(parent=admin.organisation, population=42_300)

    body = api_client_for(admin.user).get(reverse("organisation-detail", kwargs={"pk": admin.organisation_id})).json()

    assert body["suggested_nis2_status"] == "essential"
    assert "member commune of more than 30,000 inhabitants" in body["suggested_nis2_status_note"]


def test_the_organisation_list_reads_member_communes_without_a_query_per_row(
    api_client_for, django_assert_max_num_queries
) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    client = api_client_for(admin.user)

    def add_agglomerations(count: int) -> None:
        for _ in range(count):
            member = agglomeration(parent=admin.organisation)
            OrganisationFactory(parent=member, population=42_300)

    add_agglomerations(2)
    with django_assert_max_num_queries(6) as few:
        listed = client.get(reverse("organisation-list")).json()["results"]
    add_agglomerations(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("organisation-list"))
    suggested = {row["suggested_nis2_status"] for row in listed if row["kind"] == Kind.COMMUNAUTE_AGGLOMERATION}
    assert suggested == {"essential"}


# --- Pages, in French --------------------------------------------------------------------------------------------


@pytest.fixture
def french_client(client, french_catalogue):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


def test_the_getting_started_page_says_to_be_determined_and_what_to_enter(french_client) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=agglomeration())
    french_client.force_login(admin.user)

    page = page_text(french_client.get(reverse("onboarding", args=[admin.organisation_id])))

    assert "À déterminer : saisissez les communes membres de la communauté d'agglomération" in page
    assert "La règle d'assujettissement suggère" not in page


def test_the_getting_started_page_shows_the_legal_basis_and_that_it_rests_on_the_bill(french_client) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=OrganisationFactory(population=45_000))
    french_client.force_login(admin.user)

    page = page_text(french_client.get(reverse("onboarding", args=[admin.organisation_id])))

    assert (
        "La règle d'assujettissement suggère : <strong>Entité essentielle</strong> (les communes de plus de "
        "30\N{NO-BREAK SPACE}000 habitants sont des entités essentielles)."
    ) in page
    assert "Pas encore une loi :" in page
    assert (
        "Ce statut suit le projet de loi de transposition (projet de loi « résilience »), pas encore promulgué lors "
        "de la dernière vérification, le 30 novembre 2026 ; il peut changer."
    ) in page
    # The scoping rules are no longer stated as settled law.
    assert "(projet de loi de transposition, 2025)" not in page


def test_a_syndicat_is_not_told_its_status_rests_on_the_bill(french_client) -> None:
    syndicat = OrganisationFactory(kind=Kind.SYNDICAT, nis2_status=Status.NOT_IN_SCOPE)
    admin = MembershipFactory(role=Role.ADMIN, organisation=syndicat)
    french_client.force_login(admin.user)

    page = page_text(french_client.get(reverse("onboarding", args=[admin.organisation_id])))

    assert "Pas encore une loi" not in page
    assert "son secteur et sa taille" in page


def test_a_commune_enters_its_population_and_status_on_the_page(french_client) -> None:
    commune = OrganisationFactory(population=None, nis2_status=Status.ESSENTIAL)
    admin = MembershipFactory(role=Role.ADMIN, organisation=commune)
    french_client.force_login(admin.user)
    url = reverse("onboarding", args=[commune.pk])
    assert "À déterminer : saisissez la population légale (INSEE) de la commune" in page_text(french_client.get(url))

    saved = french_client.post(
        url, {"nis2_status": Status.NOT_IN_SCOPE, "population": "2400", "population_year": "2023"}, follow=True
    )

    assert "Statut NIS 2 enregistré." in page_text(saved)
    commune.refresh_from_db()
    assert (commune.population, commune.population_year, commune.nis2_status) == (2_400, 2023, Status.NOT_IN_SCOPE)
    assert "La règle d'assujettissement suggère : <strong>Hors champ</strong>" in page_text(saved)


def test_a_status_the_population_contradicts_needs_a_justification_on_the_page(french_client) -> None:
    commune = OrganisationFactory(population=None, nis2_status=Status.ESSENTIAL)
    admin = MembershipFactory(role=Role.ADMIN, organisation=commune)
    french_client.force_login(admin.user)

    refused = french_client.post(
        reverse("onboarding", args=[commune.pk]), {"nis2_status": Status.ESSENTIAL, "population": "2400"}
    )

    assert "Expliquez pourquoi le statut NIS 2 diffère de celui qui est suggéré (Hors champ)." in page_text(refused)
    commune.refresh_from_db()
    assert (commune.population, commune.nis2_status) == (None, Status.ESSENTIAL)


def test_the_organisation_page_says_to_be_determined(french_client) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=agglomeration())
    french_client.force_login(admin.user)

    response = french_client.get(reverse("organisation-home", args=[admin.organisation_id]))

    assert response.status_code == 200
    assert "À déterminer : saisissez les communes membres" in page_text(response)


def test_a_collectivite_a_statut_particulier_is_named_as_such(french_client) -> None:
    lyon = OrganisationFactory(name="Métropole de Lyon", kind=Kind.COLLECTIVITE_STATUT_PARTICULIER, population=None)
    admin = MembershipFactory(role=Role.ADMIN, organisation=lyon)
    french_client.force_login(admin.user)

    page = page_text(french_client.get(reverse("onboarding", args=[lyon.pk])))

    assert "La règle d'assujettissement suggère : <strong>Entité essentielle</strong>" in page
    assert "choix de conception de Rempart" in page
    assert "Pas encore une loi :" in page
