"""Journey 2: the IT department rates one ReCyF objective inline, justifies a measure that does not
apply, watches the overall level move and turns the largest gap into an action of the plan."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from controls import services
from controls.models import ActionItem, Assessment, Framework
from nis2.models import Membership
from nis2.roles import Role
from tests.browser.journeys import log_in, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_JUSTIFIED = "Expliquez pourquoi cette exigence ne s'applique pas à votre organisation."


def overall_level(page) -> str:
    figure = page.locator(".figure").filter(has=page.get_by_text("niveau global (0 à 5)"))
    return figure.locator(".value").inner_text()


def recyf_assessment_of_an_it_member() -> tuple[Membership, Assessment]:
    """An IT member of an essential entity, and its ReCyF assessment (152 measures), not started."""
    dsi = member("dsi", Role.IT, name="Communauté de communes du Val d'Oise", population=60_000)
    assessment = services.assessment_create(
        organisation=dsi.organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=dsi.user,
    )
    return dsi, assessment


@pytest.mark.usefixtures("shipped_catalogues")
def test_the_it_department_rates_an_objective_and_plans_the_largest_gap(
    live_server, page, screenshot, console_errors
) -> None:
    page.set_default_timeout(10_000)
    dsi, assessment = recyf_assessment_of_an_it_member()
    organisation = dsi.organisation
    grid_url = f"{live_server.url}/o/{organisation.pk}/assessments/{assessment.pk}/"
    scores_url = f"{grid_url}scores/"

    log_in(page, live_server, "dsi", landing=rf"/o/{organisation.pk}/$")
    level_before = _overall_level_at(page, scores_url)
    expect(page.locator(".figure").filter(has_text="exigences évaluées")).to_contain_text("0/152")
    screenshot("journey2-scores-before")

    page.goto(grid_url)
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile(r"^1 — Recensement"))
    items = page.locator("section.items article.item")
    count = items.count()
    assert count >= 3
    for index in range(count):
        item = items.nth(index)
        item.get_by_label("Niveau actuel").select_option("4")
        item.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(item.get_by_role("status")).to_have_text("Enregistré.")
        expect(item.get_by_text("À évaluer")).to_have_count(0)
    expect(page.locator("#assessment-progress")).to_contain_text(f"{count} sur 152")
    screenshot("journey2-objective-rated")

    last = items.nth(count - 1)
    _save_as_not_applicable(last)
    expect(last.get_by_role("alert")).to_contain_text(NOT_JUSTIFIED)
    expect(last.get_by_label("Applicable", exact=True)).not_to_be_checked()
    expect(page.locator("#assessment-progress")).to_contain_text(f"{count} sur 152")  # nothing saved
    screenshot("journey2-not-applicable-refused")

    _justify_and_save(last)
    expect(last.get_by_role("status")).to_have_text("Enregistré.")
    expect(last).to_have_class(re.compile(r"\bnot-applicable\b"))
    expect(page.locator("#assessment-progress")).to_contain_text(f"{count - 1} sur 151")
    screenshot("journey2-not-applicable-accepted")

    _open_the_scores(page)
    level_after = overall_level(page)
    assert level_after != level_before
    expect(page.locator(".figure").filter(has_text="exigences évaluées")).to_contain_text(f"{count - 1}/151")
    largest, gap_title = _largest_gap(page)
    screenshot("journey2-scores-after")

    _create_an_action_from(page, largest, organisation)
    expect(page.get_by_text(re.compile("^Action créée : "))).to_be_visible()
    action = ActionItem.objects.get(organisation=organisation)
    expect(page.get_by_role("heading", level=1)).to_have_text(action.title)
    page.get_by_role("link", name="Plan d'action").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan d'action de sécurité")
    gap_ref = gap_title.split(" — ", 1)[0]
    row = page.locator("tbody tr").filter(has_text=action.title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(gap_ref)
    screenshot("journey2-action-plan")
    assert console_errors == []


def _overall_level_at(page, scores_url: str) -> str:
    page.goto(scores_url)
    return overall_level(page)


def _save_as_not_applicable(item) -> None:
    item.get_by_label("Applicable", exact=True).uncheck()
    item.get_by_role("button", name="Enregistrer", exact=True).click()


def _justify_and_save(item) -> None:
    item.get_by_label("Justification (obligatoire si non applicable)").fill(
        "Aucun système d'information de la collectivité n'échappe aux risques de l'objectif 1."
    )
    item.get_by_role("button", name="Enregistrer", exact=True).click()


def _open_the_scores(page) -> None:
    page.get_by_role("link", name="Scores et écarts").click()
    page.wait_for_url(re.compile(r"/scores/$"))


def _largest_gap(page):
    """The first row of the largest gaps, and the title of its requirement."""
    gaps = page.locator("section").filter(has=page.get_by_role("heading", name="Plus grands écarts"))
    largest = gaps.locator("tbody tr").first
    return largest, largest.get_by_role("link").inner_text()


def _create_an_action_from(page, gap_row, organisation) -> None:
    gap_row.get_by_role("button", name="Créer une action").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/actions/\d+/$"))
