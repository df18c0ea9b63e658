"""Every page, for every demo role, renders in a real browser without a console error and passes
WCAG 2.1 AA as axe-core checks it, with no reference to a missing element and no duplicated id."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from controls.models import ActionItem, Assessment
from dependencies.models import Component
from incidents.models import Incident
from nis2.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-browser-2026"
# The demo's people: security officer (RSSI), IT department (DSI), executive (élu), administrator.
ROLES = ("rssi", "dsi", "elu", "admin")
# Visible form fields that no label names (RGAA criterion 11.1).
UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(field => field.type !== 'hidden' && field.offsetParent !== null)
  .filter(field => !(field.labels && field.labels.length) && !field.getAttribute('aria-label'))
  .map(field => field.name || field.id)"""
# Ids given twice, and aria-describedby, aria-labelledby or label[for] naming an id no element has
# (WCAG 4.1.1 and 1.3.1: a screen reader then reads nothing, or the wrong element).
BROKEN_REFERENCES = """() => {
  const problems = [];
  const counts = new Map();
  for (const element of document.querySelectorAll('[id]')) {
    if (element.id) counts.set(element.id, (counts.get(element.id) || 0) + 1);
  }
  for (const [id, count] of counts) if (count > 1) problems.push(`id "${id}" appears ${count} times`);
  for (const attribute of ['aria-describedby', 'aria-labelledby']) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        const tag = element.tagName.toLowerCase();
        if (!document.getElementById(id)) problems.push(`${tag} ${attribute}="${id}": no such id`);
      }
    }
  }
  for (const label of document.querySelectorAll('label[for]')) {
    const id = label.getAttribute('for');
    const text = label.textContent.trim();
    if (!id || !document.getElementById(id)) problems.push(`label "${text}" for="${id}": no such id`);
  }
  return problems;
}"""
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pages(organisation: Organisation) -> list[str]:
    assessment = Assessment.objects.filter(organisation=organisation).order_by("-period_start").first()
    item = assessment.items.order_by("requirement__position").first()
    incident = Incident.objects.filter(organisation=organisation).order_by("-detected_at").first()
    component = Component.objects.filter(organisation=organisation).order_by("name").first()
    action = ActionItem.objects.filter(organisation=organisation).order_by("due_date", "pk").first()
    base = f"/o/{organisation.pk}"
    return [
        f"{base}/",
        f"{base}/assessments/",
        f"{base}/assessments/{assessment.pk}/?section=20",
        f"{base}/assessments/{assessment.pk}/scores/",
        f"{base}/assessments/{assessment.pk}/coverage/",
        f"{base}/assessments/{assessment.pk}/items/{item.pk}/",
        f"{base}/actions/",
        f"{base}/actions/?overdue=true",
        f"{base}/actions/{action.pk}/",
        f"{base}/calendar/duties/",
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


def axe_violations(page, *, username: str, path: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations of the page, one readable line per rule."""
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{username} {path}: {violation['id']} ({violation['impact']}) {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        + (f" (+{len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else "")
        for violation in results.response["violations"]
    ]


def test_every_page_renders_accessibly_for_every_role(live_server, page, console_errors) -> None:
    call_command("demo", password=PASSWORD)
    organisation = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    violations: list[str] = []
    broken_references: list[str] = []
    for username in ROLES:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        administrator_pages = (
            [f"/o/{organisation.pk}/export/", f"/o/{organisation.pk}/onboarding/"] if username == "admin" else []
        )
        for path in pages(organisation) + administrator_pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path, response.status)
            assert page.locator("h1").count() == 1, (username, path)
            assert page.evaluate(UNLABELLED_FIELDS) == [], (username, path)
            broken_references += [f"{username} {path}: {problem}" for problem in page.evaluate(BROKEN_REFERENCES)]
            violations += axe_violations(page, username=username, path=path)
    problems = broken_references + violations
    assert problems == [], "\n".join(problems)
    assert console_errors == []
