"""Journey 5: a member of one commune types the address of another commune's incident and learns
nothing: the page is "not found", exactly as for an incident that does not exist."""

import re

import pytest
from playwright.sync_api import expect

from nis2.roles import Role
from tests.browser.journeys import log_in, member
from tests.incidents.factories import IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The app has no 404.html yet, so Django's own page answers ("Not Found. The requested resource was not
# found on this server."); a French page of the app's own would say "introuvable" or "non trouvée".
NOT_FOUND = re.compile(r"not found|introuvable|non trouvée|n.existe pas", re.IGNORECASE)


def test_a_member_cannot_open_another_communes_incident(live_server, page, screenshot, console_errors) -> None:
    page.set_default_timeout(10_000)
    rssi_a = member("rssi-a", Role.SECURITY_OFFICER, name="Commune A")
    rssi_b = member("rssi-b", Role.SECURITY_OFFICER, name="Commune B")
    own = IncidentFactory(organisation=rssi_a.organisation, title="Panne du standard téléphonique")
    foreign = IncidentFactory(organisation=rssi_b.organisation, title="Fuite du fichier des électeurs de B")
    a, b = rssi_a.organisation.pk, rssi_b.organisation.pk

    log_in(page, live_server, "rssi-a", landing=rf"/o/{a}/$")
    response = page.goto(f"{live_server.url}/o/{a}/incidents/{own.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(own.title)
    screenshot("journey5-own-incident")

    addresses = {
        "foreign-organisation": f"/o/{b}/incidents/{foreign.pk}/",  # B's incident under B's address
        "own-organisation": f"/o/{a}/incidents/{foreign.pk}/",  # B's incident under A's address
        "missing": f"/o/{a}/incidents/{foreign.pk + 1000}/",  # an incident that does not exist
    }
    pages = {}
    for name, address in addresses.items():
        response = page.goto(f"{live_server.url}{address}")
        assert response.status == 404, address
        expect(page.locator("body")).to_contain_text(NOT_FOUND)
        content = page.content()
        assert foreign.title not in content
        assert "Commune B" not in content
        pages[name] = page.locator("body").inner_text()
        screenshot(f"journey5-not-found-{name}")
    assert pages["foreign-organisation"] == pages["own-organisation"] == pages["missing"]

    page.goto(f"{live_server.url}/o/{a}/incidents/")
    expect(page.get_by_role("link", name=own.title)).to_be_visible()
    expect(page.get_by_text(foreign.title)).to_have_count(0)
    screenshot("journey5-register")
    # Chromium reports every 404 document as a console error; anything else would be the app's.
    not_found_noise = re.compile(r"^Failed to load resource: the server responded with a status of 404")
    assert [error for error in console_errors if not not_found_noise.match(error)] == []
