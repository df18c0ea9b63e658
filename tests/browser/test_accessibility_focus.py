"""Saving an assessment row with the keyboard keeps the focus in that row: htmx replaces the row, and
focus must not fall back to <body> (WCAG 2.4.3, focus order)."""

import datetime

import pytest
from playwright.sync_api import expect

from controls import services
from controls.models import Framework
from nis2.roles import Role
from tests.browser.journeys import log_in, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The id of the assessment row (article.item) holding the focus, or the focused element's tag outside one.
FOCUSED_ROW = "() => { const row = document.activeElement.closest('article.item'); "
FOCUSED_ROW += "return row ? row.id : document.activeElement.tagName.toLowerCase(); }"


@pytest.mark.usefixtures("shipped_catalogues")
def test_saving_a_row_with_the_keyboard_keeps_the_focus_in_the_row(live_server, page, console_errors) -> None:
    page.set_default_timeout(10_000)
    dsi = member("dsi", Role.IT, name="Communauté de communes du Val d'Oise", population=60_000)
    assessment = services.assessment_create(
        organisation=dsi.organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=dsi.user,
    )
    log_in(page, live_server, "dsi")
    page.goto(f"{live_server.url}/o/{dsi.organisation.pk}/assessments/{assessment.pk}/")
    row = page.locator("section.items article.item").nth(1)
    row_id = row.get_attribute("id")

    # Given a level chosen from the keyboard, when the person tabs to "Save" and presses Enter...
    row.get_by_label("Niveau actuel").select_option("3")
    row.get_by_role("button", name="Enregistrer", exact=True).focus()
    page.keyboard.press("Enter")
    expect(row.get_by_role("status")).to_have_text("Enregistré.")

    # ...then the focus stays on the "Save" button of the row htmx swapped in, not on <body>.
    expect(row.get_by_role("button", name="Enregistrer", exact=True)).to_be_focused()
    assert page.evaluate(FOCUSED_ROW) == row_id
    assert console_errors == []
