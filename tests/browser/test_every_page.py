"""Every page, for every demo role, renders in a real browser without a console error."""

import pytest
from django.core.management import call_command

from controls.models import Assessment
from dependencies.models import Component
from incidents.models import Incident
from nis2.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-browser-2026"
# Visible form fields that no label names (RGAA criterion 11.1).
UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(field => field.type !== 'hidden' && field.offsetParent !== null)
  .filter(field => !(field.labels && field.labels.length) && !field.getAttribute('aria-label'))
  .map(field => field.name || field.id)"""


def pages(organisation: Organisation) -> list[str]:
    assessment = Assessment.objects.filter(organisation=organisation).order_by("-period_start").first()
    item = assessment.items.order_by("requirement__position").first()
    incident = Incident.objects.filter(organisation=organisation).order_by("-detected_at").first()
    component = Component.objects.filter(organisation=organisation).order_by("name").first()
    base = f"/o/{organisation.pk}"
    return [
        f"{base}/",
        f"{base}/assessments/",
        f"{base}/assessments/{assessment.pk}/?section=20",
        f"{base}/assessments/{assessment.pk}/scores/",
        f"{base}/assessments/{assessment.pk}/coverage/",
        f"{base}/assessments/{assessment.pk}/items/{item.pk}/",
        f"{base}/actions/",
        f"{base}/incidents/",
        f"{base}/incidents/{incident.pk}/",
        f"{base}/dependencies/",
        f"{base}/dependencies/components/",
        f"{base}/dependencies/components/{component.pk}/",
        f"{base}/dependencies/alternatives/",
        f"{base}/reports/",
        "/search/?q=messagerie",
        "/account/security/",
    ]


def test_every_page_renders_without_console_errors(live_server, page, console_errors) -> None:
    call_command("demo", password=PASSWORD)
    organisation = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    for username in ("rssi", "dsi", "elu", "admin"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        administrator_pages = [f"/o/{organisation.pk}/export/"] if username == "admin" else []
        for path in pages(organisation) + administrator_pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path, response.status)
            assert page.locator("h1").count() == 1, (username, path)
            assert page.evaluate(UNLABELLED_FIELDS) == [], (username, path)
    assert console_errors == []
