import re

import pytest
from playwright.sync_api import expect

from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_logs_in_and_sees_the_home_page(live_server, page, screenshot, console_errors) -> None:
    organisation = OrganisationFactory(name="Villeneuve-la-Forte")
    MembershipFactory(organisation=organisation, role=Role.SECURITY_OFFICER, user=UserFactory(username="rssi-b"))

    page.goto(f"{live_server.url}/")
    page.get_by_label("Identifiant").fill("rssi-b")
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    screenshot("login")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Villeneuve-la-Forte"
    assert page.get_by_text("Responsable de la sécurité (RSSI)").first.is_visible()
    screenshot("organisation-home")

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/$"))
    assert page.get_by_role("heading", name="Open incidents and legal deadlines").is_visible()
    assert console_errors == []


def test_a_wrong_password_is_refused(live_server, page) -> None:
    UserFactory(username="elu")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Identifiant").fill("elu")
    page.get_by_label("Mot de passe").fill("wrong")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()  # waits for the answer to the form
    assert "/login/" in page.url
