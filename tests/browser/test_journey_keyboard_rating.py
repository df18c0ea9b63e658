"""Journey: the IT department (DSI) rates a whole ReCyF objective with the keyboard alone, then goes through
a new campaign's answers to reconfirm (issue 14)."""

import datetime

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from controls import services
from controls.models import Assessment, Framework, RequirementAssessment, Section
from nis2.models import Membership
from nis2.roles import Role
from tests.browser.journeys import log_in, member
from tests.browser.test_every_page import BROKEN_REFERENCES, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The id of the assessment line holding the focus, or "" outside one.
FOCUSED_ROW = "() => { const row = document.activeElement.closest('article.item'); return row ? row.id : ''; }"


def recyf_assessment(dsi: Membership, label: str = "2026-T4") -> Assessment:
    """The ReCyF assessment of an essential entity (152 measures), not started."""
    return services.assessment_create(
        organisation=dsi.organisation,
        framework=Framework.objects.get(code="recyf"),
        label=label,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=dsi.user,
    )


def items_of(assessment: Assessment, objective: Section) -> list[RequirementAssessment]:
    return list(
        assessment.items.filter(Q(requirement__section=objective) | Q(requirement__section__parent=objective))
        .select_related("requirement")
        .order_by("requirement__position")
    )


@pytest.mark.usefixtures("shipped_catalogues")
def test_the_it_department_rates_a_whole_objective_with_the_keyboard_alone(
    live_server, page, screenshot, console_errors
) -> None:
    page.set_default_timeout(10_000)
    dsi = member("dsi", Role.IT, name="Communauté de communes du Val d'Oise", population=60_000)
    assessment = recyf_assessment(dsi)
    objective = Section.objects.get(framework=assessment.framework, ref="2")  # three sub-objectives
    items = items_of(assessment, objective)
    assert len(items) == 11
    levels = {item.pk: str(index % 6) for index, item in enumerate(items)}

    log_in(page, live_server, "dsi")
    page.goto(f"{live_server.url}/o/{dsi.organisation.pk}/assessments/{assessment.pk}/?section=2")
    expect(page.get_by_text("Raccourcis clavier")).to_be_visible()
    expect(page.locator(f"#section-progress-{objective.pk}")).to_have_text("0/11")
    screenshot("journey-keyboard-before")

    # Given the DSI tabs from the top of the page into the list of measures
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_ROW):
            break
    assert page.evaluate(FOCUSED_ROW) == f"item-{items[0].pk}"

    # When, line after line, a digit sets the level, Enter saves and the down arrow moves on
    for index, item in enumerate(items):
        row = page.locator(f"#item-{item.pk}")
        page.keyboard.press(levels[item.pk])
        expect(row.get_by_label("Niveau actuel")).to_have_value(levels[item.pk])
        page.keyboard.press("Enter")
        expect(row.get_by_role("status")).to_have_text("Enregistré.")
        assert page.evaluate(FOCUSED_ROW) == f"item-{item.pk}"  # the saved line keeps the focus
        if index < len(items) - 1:
            page.keyboard.press("ArrowDown")
            assert page.evaluate(FOCUSED_ROW) == f"item-{items[index + 1].pk}"
    screenshot("journey-keyboard-objective-rated")

    # Then every measure of the objective has the level pressed, and the objective shows complete
    saved = dict(RequirementAssessment.objects.filter(pk__in=levels).values_list("pk", "current_level"))
    assert saved == {pk: int(level) for pk, level in levels.items()}
    assert {item.history.latest().history_user for item in items_of(assessment, objective)} == {dsi.user}
    progress = page.locator(f"#section-progress-{objective.pk}")
    expect(progress).to_have_text("11/11")
    expect(progress).to_have_class("progress-count complete")
    expect(page.locator("#assessment-progress")).to_contain_text("11 sur 152")

    # And k goes back up a line
    page.keyboard.press("k")
    assert page.evaluate(FOCUSED_ROW) == f"item-{items[-2].pk}"
    assert page.evaluate(BROKEN_REFERENCES) + axe_violations(page, username="dsi", path="grid, rated") == []
    assert console_errors == []


@pytest.mark.usefixtures("shipped_catalogues")
def test_a_new_campaign_lists_the_answers_to_reconfirm_and_confirms_one(
    live_server, page, screenshot, console_errors
) -> None:
    page.set_default_timeout(10_000)
    dsi = member("dsi", Role.IT, name="Communauté de communes du Val d'Oise", population=60_000)
    previous = recyf_assessment(dsi, "2026-T4")
    objective = Section.objects.get(framework=previous.framework, ref="1")
    for item in items_of(previous, objective):
        services.item_update(item=item, expected_version=item.version, actor=dsi.user, current_level=3)
    Assessment.objects.filter(pk=previous.pk).update(status=Assessment.Status.VALIDATED)
    log_in(page, live_server, "dsi")
    # The new campaign starts from the assessments page, from the last assessment (offered by default).
    page.goto(f"{live_server.url}/o/{dsi.organisation.pk}/assessments/")
    start = page.locator("form").filter(has=page.get_by_label("Repartir de"))
    expect(start.get_by_label("Repartir de")).to_have_value(str(previous.pk))
    start.get_by_label("Libellé").fill("2027-T1")
    start.get_by_role("button", name="Démarrer").click()
    expect(
        page.get_by_text("Nouvelle campagne démarrée à partir de 2026-T4 : chaque réponse est à reconfirmer.")
    ).to_be_visible()
    campaign = Assessment.objects.get(label="2027-T1")
    assert campaign.copied_from == previous
    first, *others = items_of(campaign, objective)
    grid_url = f"{live_server.url}/o/{dsi.organisation.pk}/assessments/{campaign.pk}/"
    page.goto(f"{grid_url}?section=1")
    row = page.locator(f"#item-{first.pk}")
    expect(row.locator(".badge-to-confirm")).to_have_text("À reconfirmer")
    expect(page.locator(f"#section-to-confirm-{objective.pk}")).to_have_text(f"{len(others) + 1} à reconfirmer")
    expect(page.get_by_role("link", name="152 réponses de la campagne précédente à reconfirmer")).to_be_visible()

    page.get_by_label("Objectif", exact=True).select_option("")
    page.get_by_label("À reconfirmer", exact=True).check()
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**to_confirm=on**")
    expect(page.locator("article.item")).to_have_count(152)
    expect(page.get_by_role("heading", level=2)).to_have_count(
        Section.objects.filter(framework=campaign.framework, parent__isnull=True, retired_at__isnull=True).count()
    )
    screenshot("journey-campaign-to-reconfirm")
    assert page.evaluate(BROKEN_REFERENCES) + axe_violations(page, username="dsi", path="grid, filtered") == []

    row.get_by_role("button", name="Confirmer").click()
    expect(row.get_by_role("status")).to_have_text("Confirmé.")
    expect(row.locator(".badge-to-confirm")).to_have_count(0)
    expect(row.get_by_role("button", name="Confirmer")).to_have_count(0)
    expect(page.locator(f"#section-to-confirm-{objective.pk}")).to_have_text(f"{len(others)} à reconfirmer")
    first.refresh_from_db()
    assert (first.to_confirm, first.current_level) == (False, 3)
    assert first.history.latest().history_user == dsi.user
    assert all(item.to_confirm for item in RequirementAssessment.objects.filter(pk__in=[o.pk for o in others]))

    page.reload()
    expect(page.locator("article.item")).to_have_count(151)  # the filter no longer lists it
    assert console_errors == []
