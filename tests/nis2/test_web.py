import pytest
from django.urls import reverse

from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_login_page_speaks_french_by_default(client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter à Rempart" in html


@pytest.mark.django_db
def test_pages_need_a_login(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_member_with_one_organisation_lands_on_its_home(client) -> None:
    membership = MembershipFactory(organisation=OrganisationFactory(name="Ville d'Ys"), role=Role.EXECUTIVE)
    client.force_login(membership.user)
    response = client.get(reverse("home"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("organisation-home", args=[membership.organisation_id])
    assert "<h1>Ville d&#x27;Ys</h1>" in html
    assert "Dirigeant" in html or "Élu" in html


@pytest.mark.django_db
def test_home_of_another_organisation_is_not_found(client) -> None:
    membership = MembershipFactory()
    stranger = OrganisationFactory(name="Commune voisine")
    client.force_login(membership.user)
    response = client.get(reverse("organisation-home", args=[stranger.pk]))
    assert response.status_code == 404
    assert "Commune voisine" not in response.content.decode()


@pytest.mark.django_db
def test_user_written_names_are_escaped(client) -> None:
    membership = MembershipFactory(organisation=OrganisationFactory(name="<script>alert(1)</script>"))
    client.force_login(membership.user)
    html = client.get(reverse("organisation-home", args=[membership.organisation_id])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_language_switch_keeps_the_page_and_is_remembered(client, settings) -> None:
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = reverse("organisation-home", args=[membership.organisation_id])
    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "NIS 2 status" in client.get(page).content.decode()


def test_numbers_in_html_ids_are_never_grouped() -> None:
    """Element ids such as ``item-6175`` (htmx targets) must not become ``item-6 175`` in French."""
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr"):
        assert Template('id="item-{{ pk }}"').render(Context({"pk": 6175})) == 'id="item-6175"'
        assert Template('{{ amount|floatformat:"0g" }}').render(Context({"amount": 522600})) == "522\xa0600"


def test_the_browser_icon_is_served_at_the_address_browsers_ask_for(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("rempart/favicon.svg")
