"""Pages hold from 1280 to 1920 pixels wide and at 200 % zoom (a 640-pixel viewport): the page never
scrolls sideways, a table wider than its card scrolls inside the card instead of being clipped."""

import pytest
from django.core.management import call_command

from nis2.models import Organisation
from tests.browser.test_every_page import PASSWORD, pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Widths of the screens people use, and 1280 px seen at 200 % zoom (WCAG 1.4.4 and 1.4.10).
WIDTHS = (1280, 1366, 1920, 640)
OVERFLOWS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page scrolls sideways (${root.scrollWidth} px)`);
  for (const table of document.querySelectorAll('table')) {
    let scrolls = false;
    for (let element = table.parentElement; element && element !== document.body; element = element.parentElement) {
      const overflow = getComputedStyle(element).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
    }
    const container = table.parentElement.closest('.card, .panel, main');
    const overflow = table.getBoundingClientRect().right - container.getBoundingClientRect().right;
    if (!scrolls && overflow > 1) {
      const header = (table.querySelector('th') || table).textContent.trim().slice(0, 40);
      problems.push(`table "${header}" is clipped by ${Math.round(overflow)} px`);
    }
  }
  return problems;
}"""


def test_pages_hold_from_1280_to_1920_pixels_and_at_200_percent_zoom(live_server, page) -> None:
    call_command("demo", password=PASSWORD)
    organisation = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages(organisation):
            page.goto(f"{live_server.url}{path}")
            problems += [f"{width} px {path}: {problem}" for problem in page.evaluate(OVERFLOWS)]
    assert problems == [], "\n".join(problems)


RAGGED_ROWS = """() => {
  const fields = [...document.querySelectorAll('form.declare > .field')].map(field => ({
    name: (field.querySelector('input, select, textarea') || field).name,
    top: field.getBoundingClientRect().top,
    bottom: field.getBoundingClientRect().bottom,
    label: field.querySelector('label').getBoundingClientRect().top,
  }));
  const problems = [];
  for (const a of fields) for (const b of fields) {
    const sameRow = a.top < b.bottom - 1 && b.top < a.bottom - 1;
    if (a.name < b.name && sameRow && Math.abs(a.label - b.label) > 1) {
      problems.push(`${a.name} and ${b.name} share a row but not a label line`);
    }
  }
  return problems;
}"""


def test_the_declaration_form_lines_its_fields_up(live_server, page) -> None:
    call_command("demo", password=PASSWORD)
    organisation = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Identifiant").fill("rssi")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/o/{organisation.pk}/incidents/new/")
        assert page.evaluate(RAGGED_ROWS) == [], width
        assert page.evaluate(OVERFLOWS) == [], width
