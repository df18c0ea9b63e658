"""The compact assessment grid (issue 14): one line per measure, its justification and comments on demand,
filters kept in links, actions on a whole objective, and the answers of a new campaign to reconfirm.

Pages are read in French, as the intercommunality's IT department (DSI) reads them."""

import datetime
import html as html_entities
import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from controls import services
from controls.models import Assessment, RequirementAssessment, Section
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import SectionFactory
from tests.nis2.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dsi(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    return member_of(organisation, Role.IT, username="cdurand", first_name="Camille", last_name="Durand")


@pytest.fixture
def assessment(make_assessment: Callable[..., Assessment]) -> Assessment:
    """The small framework assessed by an essential entity: 1.1 and 1.2 (objective 1), 2.1 and 2.2 (objective 2)."""
    return make_assessment()


@pytest.fixture
def web(client: Client, dsi: Membership) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(dsi.user)
    return client


def grid_url(assessment: Assessment) -> str:
    return reverse("assessment-grid", args=[assessment.organisation_id, assessment.pk])


def item_of(assessment: Assessment, ref: str) -> RequirementAssessment:
    return assessment.items.get(requirement__ref=ref)


def section_of(assessment: Assessment, ref: str) -> Section:
    return Section.objects.get(framework=assessment.framework_id, ref=ref)


def bulk_url(name: str, assessment: Assessment, section_ref: str) -> str:
    return reverse(name, args=[assessment.organisation_id, assessment.pk, section_of(assessment, section_ref).pk])


def confirm_url(item: RequirementAssessment) -> str:
    return reverse("item-confirm", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def item_url(item: RequirementAssessment) -> str:
    return reverse("item-detail", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def text_of(response: object) -> str:
    """The page with its entities decoded (a message's apostrophe is escaped)."""
    return html_entities.unescape(response.content.decode())


def shown_refs(html: str) -> list[str]:
    """The references of the rows shown, in order."""
    return re.findall(r'<h3 class="item-title" id="item-[0-9]+-title"><span class="ref">([^<]+)</span>', html)


def row_html(html: str, item: RequirementAssessment) -> str:
    match = re.search(rf'<article [^>]*id="item-{item.pk}".*?</article>', html, re.DOTALL)
    assert match, f"no row for item {item.pk}"
    return match.group(0)


def states(assessment: Assessment) -> dict[str, tuple]:
    return {
        item.requirement.ref: (item.applicable, item.justification, item.target_level, item.version, item.to_confirm)
        for item in assessment.items.select_related("requirement")
    }


def campaign_copy(source: Assessment, actor: object = None) -> Assessment:
    Assessment.objects.filter(pk=source.pk).update(status=Assessment.Status.VALIDATED)
    return services.assessment_copy(
        assessment=source,
        label="2027-T1",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 3, 31),
        actor=actor,
    )


# --- The compact grid ---------------------------------------------------------------------------------


def test_the_grid_shows_one_line_per_measure_of_the_objective_with_the_rest_on_demand(
    web: Client, assessment: Assessment
) -> None:
    response = web.get(grid_url(assessment))

    assert response.status_code == 200
    html = response.content.decode()
    assert shown_refs(html) == ["1.1", "1.2"]
    row = row_html(html, item_of(assessment, "1.1"))
    for label in ("Niveau actuel", "Niveau cible", "Responsable", "Applicable"):
        assert f">{label}</label>" in row
    assert row.count("<details") == 1
    assert "<summary>Énoncé, justification, commentaire et preuves" in row
    for name in ("justification", "comment", "alternative_measure"):
        assert f'name="{name}"' in row
    assert ">Mesure alternative</label>" in row
    assert "Détails, preuves et historique" in row
    assert '<span class="badge badge-todo">À évaluer</span>' in row
    assert ">Enregistrer</button>" in row
    assert "Raccourcis clavier" in html
    assert re.search(r'<script src="[^"]*rempart/grid\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*rempart/grid\.css">', html)


def test_every_id_of_the_grid_is_unique_and_every_reference_points_at_one(web: Client, assessment: Assessment) -> None:
    html = web.get(grid_url(assessment), {"section": ""}).content.decode()

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    referenced = re.findall(r'\sfor="([^"]+)"', html) + [
        name for names in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html) for name in names.split()
    ]
    assert referenced
    assert [name for name in referenced if name not in ids] == []


def test_owners_are_named_never_by_their_username(
    client: Client, assessment: Assessment, dsi: Membership, organisation: Organisation
) -> None:
    item = item_of(assessment, "1.1")
    RequirementAssessment.objects.filter(pk=item.pk).update(owner=dsi.user)
    executive = MembershipFactory(organisation=organisation, role=Role.EXECUTIVE)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    client.force_login(dsi.user)
    writer_html = client.get(grid_url(assessment)).content.decode()
    client.force_login(executive.user)
    reader_html = client.get(grid_url(assessment)).content.decode()

    assert f'<option value="{dsi.user.pk}" selected>Camille Durand</option>' in row_html(writer_html, item)
    assert "Camille Durand" in row_html(reader_html, item)
    assert "cdurand" not in reader_html
    assert "<select" not in row_html(reader_html, item)


def test_the_side_menu_shows_each_objectives_progress(web: Client, assessment: Assessment, dsi: Membership) -> None:
    services.item_update(item=item_of(assessment, "2.1"), expected_version=1, actor=dsi.user, current_level=2)

    html = web.get(grid_url(assessment)).content.decode()

    first, second = section_of(assessment, "1"), section_of(assessment, "2")
    assert re.search(rf'id="section-progress-{first.pk}"[^>]*>0/2<', html)
    assert re.search(rf'id="section-progress-{second.pk}"[^>]*>1/2<', html)


# --- Filters ------------------------------------------------------------------------------------------


@pytest.fixture
def rated(assessment: Assessment, dsi: Membership) -> Assessment:
    """1.1 rated 4 of 3 (owned by the DSI), 1.2 unrated, 2.1 rated 1 of 3, 2.2 rated 3 of 3.
    Art. 21(2) points: 1.1 a and b, 1.2 b, 2.1 and 2.2 c."""
    assessment.items.filter(requirement__ref="1.1").update(current_level=4, owner=dsi.user)
    assessment.items.filter(requirement__ref="2.1").update(current_level=1)
    assessment.items.filter(requirement__ref="2.2").update(current_level=3)
    return assessment


@pytest.mark.parametrize(
    ("params", "refs"),
    [
        pytest.param({}, ["1.1", "1.2"], id="first objective by default"),
        pytest.param({"section": "2"}, ["2.1", "2.2"], id="one objective"),
        pytest.param({"section": ""}, ["1.1", "1.2", "2.1", "2.2"], id="every objective"),
        pytest.param({"section": "", "unrated": "on"}, ["1.2"], id="unrated"),
        pytest.param({"section": "", "below_target": "on"}, ["1.2", "2.1"], id="below target, unrated counting 0"),
        pytest.param({"section": "", "art21": "b"}, ["1.1", "1.2"], id="Art. 21(2) point"),
        pytest.param({"section": "", "owner": "none"}, ["1.2", "2.1", "2.2"], id="nobody responsible"),
        pytest.param({"section": "2", "below_target": "on"}, ["2.1"], id="objective and below target"),
        pytest.param({"section": "", "art21": "b", "below_target": "on"}, ["1.2"], id="point and below target"),
    ],
)
def test_filters_combine(web: Client, rated: Assessment, params: dict[str, str], refs: list[str]) -> None:
    response = web.get(grid_url(rated), params)

    assert response.status_code == 200
    assert shown_refs(response.content.decode()) == refs


def test_filtering_by_owner_lists_the_persons_measures(web: Client, rated: Assessment, dsi: Membership) -> None:
    html = web.get(grid_url(rated), {"section": "", "owner": dsi.user.pk}).content.decode()

    assert shown_refs(html) == ["1.1"]
    assert f'<option value="{dsi.user.pk}" selected>Camille Durand</option>' in html


def test_every_objective_at_once_is_grouped_under_objective_headings(web: Client, rated: Assessment) -> None:
    html = web.get(grid_url(rated), {"section": "", "below_target": "on"}).content.decode()

    headings = [re.sub(r"<[^>]+>", "", heading).split() for heading in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert [heading[:2] for heading in headings] == [["1", "—"], ["2", "—"]]
    assert html.index(">1.2</span>") < html.index(">2.1</span>")


def test_filters_are_kept_in_the_side_menu_links(web: Client, rated: Assessment) -> None:
    html = web.get(grid_url(rated), {"section": "", "below_target": "on", "art21": "c"}).content.decode()

    assert 'href="?section=2&amp;below_target=on&amp;art21=c"' in html
    assert 'href="?section=&amp;below_target=on&amp;art21=c"' in html
    assert re.search(r'<input type="checkbox" name="below_target"[^>]*checked', html)


def test_an_unknown_filter_value_is_ignored(web: Client, rated: Assessment) -> None:
    response = web.get(grid_url(rated), {"section": "", "art21": "z", "owner": "nobody"})

    assert response.status_code == 200
    assert shown_refs(response.content.decode()) == ["1.1", "1.2", "2.1", "2.2"]


# --- Saving a row -------------------------------------------------------------------------------------


def test_a_row_saves_an_alternative_measure(web: Client, assessment: Assessment, dsi: Membership) -> None:
    item = item_of(assessment, "1.1")

    response = web.post(
        item_url(item),
        {
            "version": 1,
            "applicable": "on",
            "current_level": "3",
            "target_level": "3",
            "alternative_measure": "Pare-feu mutualisé du syndicat",
        },
        **HTMX,
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.alternative_measure, item.current_level, item.version) == ("Pare-feu mutualisé du syndicat", 3, 2)
    assert '<span class="badge badge-alternative">Mesure alternative</span>' in response.content.decode()
    assert item.history.latest().history_user == dsi.user


def test_a_refused_row_opens_its_justification(web: Client, assessment: Assessment) -> None:
    item = item_of(assessment, "1.2")

    response = web.post(item_url(item), {"version": 1, "target_level": "3"}, **HTMX)

    html = response.content.decode()
    assert '<details class="item-more" open>' in html
    assert "Expliquez pourquoi cette exigence ne s" in html
    item.refresh_from_db()
    assert (item.applicable, item.version) == (True, 1)


def test_saving_without_javascript_returns_to_the_filtered_grid(web: Client, rated: Assessment) -> None:
    item = item_of(rated, "2.1")

    response = web.post(
        item_url(item),
        {
            "version": 1,
            "applicable": "on",
            "current_level": "3",
            "target_level": "3",
            "return": "section=&below_target=on&unexpected=1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{grid_url(rated)}?section=&below_target=on#item-{item.pk}"
    item.refresh_from_db()
    assert item.current_level == 3


def test_saving_without_javascript_returns_to_the_items_objective(web: Client, assessment: Assessment) -> None:
    item = item_of(assessment, "2.2")

    response = web.post(item_url(item), {"version": 1, "applicable": "on", "current_level": "1", "target_level": "3"})

    assert response["Location"] == f"{grid_url(assessment)}?section=2#item-{item.pk}"


# --- Actions on a whole objective ---------------------------------------------------------------------


def test_the_target_level_of_a_whole_objective_is_set_at_once(
    web: Client, assessment: Assessment, dsi: Membership
) -> None:
    before = states(assessment)
    RequirementAssessment.objects.filter(pk=item_of(assessment, "1.2").pk).update(target_level=4)

    response = web.post(
        bulk_url("assessment-section-target", assessment, "1"),
        {"target_level": "4", "return": "section=1&unrated=on"},
        follow=True,
    )

    assert response.redirect_chain[0] == (f"{grid_url(assessment)}?section=1&unrated=on", 302)
    assert "Niveau cible 4 fixé pour 1 mesure de l'objectif 1." in text_of(response)
    after = states(assessment)
    assert after["1.1"] == (True, "", 4, 2, False)
    assert after["1.2"][2:4] == (4, 1)  # already at 4: left as it was, version included
    assert (after["2.1"], after["2.2"]) == (before["2.1"], before["2.2"])
    assert item_of(assessment, "1.1").history.latest().history_user == dsi.user
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_a_whole_objective_is_marked_not_applicable_with_one_justification(
    web: Client, assessment: Assessment, dsi: Membership
) -> None:
    RequirementAssessment.objects.filter(pk=item_of(assessment, "2.1").pk).update(
        alternative_measure="Pare-feu mutualisé"
    )

    response = web.post(
        bulk_url("assessment-section-not-applicable", assessment, "2"),
        {"justification": "Aucun système industriel."},
        follow=True,
    )

    assert "2 mesures de l'objectif 2 marquées non applicables." in text_of(response)
    after = states(assessment)
    assert after["2.1"][:2] == after["2.2"][:2] == (False, "Aucun système industriel.")
    assert (after["2.1"][3], after["2.2"][3]) == (2, 2)
    assert (after["1.1"][0], after["1.2"][0]) == (True, True)
    changed = item_of(assessment, "2.1")
    assert changed.alternative_measure == ""  # an alternative measure covers an applicable requirement only
    assert changed.history.latest().history_user == dsi.user


def test_not_applicable_without_a_justification_is_refused(web: Client, assessment: Assessment) -> None:
    before = states(assessment)

    response = web.post(
        bulk_url("assessment-section-not-applicable", assessment, "2"), {"justification": "  "}, follow=True
    )

    assert "Expliquez pourquoi les mesures de cet objectif ne s'appliquent pas." in text_of(response)
    assert states(assessment) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_a_validated_assessment_refuses_actions_on_an_objective(
    web: Client, make_assessment: Callable[..., Assessment], name: str, data: dict[str, str]
) -> None:
    validated = make_assessment(status=Assessment.Status.VALIDATED)
    before = states(validated)

    response = web.post(bulk_url(name, validated, "1"), data, follow=True)

    assert "Cette évaluation est validée" in text_of(response)
    assert states(validated) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_a_reader_cannot_act_on_an_objective(
    client: Client, assessment: Assessment, organisation: Organisation, name: str, data: dict[str, str]
) -> None:
    before = states(assessment)
    client.force_login(MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user)

    response = client.post(bulk_url(name, assessment, "1"), data)

    assert response.status_code == 403
    assert states(assessment) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_another_organisations_objective_is_not_found(
    client: Client, assessment: Assessment, name: str, data: dict[str, str]
) -> None:
    before = states(assessment)
    client.force_login(MembershipFactory(role=Role.IT).user)

    response = client.post(bulk_url(name, assessment, "1"), data)

    assert response.status_code == 404
    assert states(assessment) == before


def test_an_objective_of_another_framework_is_not_found(
    web: Client, assessment: Assessment, make_assessment: Callable[..., Assessment]
) -> None:
    other = SectionFactory(ref="1")

    response = web.post(
        reverse("assessment-section-target", args=[assessment.organisation_id, assessment.pk, other.pk]),
        {"target_level": "5"},
    )

    assert response.status_code == 404


def test_actions_on_an_objective_are_post_only(web: Client, assessment: Assessment) -> None:
    for name in ("assessment-section-target", "assessment-section-not-applicable"):
        assert web.get(bulk_url(name, assessment, "1")).status_code == 405
    assert web.get(confirm_url(item_of(assessment, "1.1"))).status_code == 405


def test_the_grid_offers_actions_on_the_objective_to_writers_only(
    client: Client, assessment: Assessment, dsi: Membership, organisation: Organisation
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(dsi.user)
    writer = client.get(grid_url(assessment)).content.decode()
    client.force_login(MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user)
    reader = client.get(grid_url(assessment)).content.decode()

    target = bulk_url("assessment-section-target", assessment, "1")
    not_applicable = bulk_url("assessment-section-not-applicable", assessment, "1")
    assert target in writer
    assert not_applicable in writer
    assert "Toutes les mesures de l'objectif" in html_entities.unescape(writer)
    assert target not in reader
    assert not_applicable not in reader
    assert "Raccourcis clavier" not in reader


# --- Campaigns: answers to reconfirm ------------------------------------------------------------------


@pytest.fixture
def campaign(rated: Assessment, dsi: Membership) -> Assessment:
    return campaign_copy(rated, dsi.user)


def test_a_campaign_shows_what_is_to_reconfirm(web: Client, campaign: Assessment) -> None:
    html = web.get(grid_url(campaign)).content.decode()

    row = row_html(html, item_of(campaign, "1.1"))
    assert '<span class="badge badge-to-confirm">À reconfirmer</span>' in row
    assert ">Confirmer</button>" in row
    first, second = section_of(campaign, "1"), section_of(campaign, "2")
    assert re.search(rf'id="section-to-confirm-{first.pk}"[^>]*>\s*<span[^>]*>2 à reconfirmer</span>', html)
    assert re.search(rf'id="section-to-confirm-{second.pk}"[^>]*>\s*<span[^>]*>2 à reconfirmer</span>', html)


def test_the_to_reconfirm_filter_lists_what_is_left(web: Client, campaign: Assessment, dsi: Membership) -> None:
    item = item_of(campaign, "2.1")
    services.item_update(item=item, expected_version=item.version, actor=dsi.user, to_confirm=False)

    html = web.get(grid_url(campaign), {"section": "", "to_confirm": "on"}).content.decode()

    assert shown_refs(html) == ["1.1", "1.2", "2.2"]


def test_confirming_keeps_the_answer_and_takes_it_off_the_list(
    web: Client, campaign: Assessment, dsi: Membership
) -> None:
    item = item_of(campaign, "1.1")

    response = web.post(
        confirm_url(item),
        {"version": item.version, "applicable": "on", "current_level": "4", "target_level": "3", "owner": dsi.user.pk},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "À reconfirmer</span>" not in row_html(html, item)
    assert ">Confirmer</button>" not in row_html(html, item)
    assert '<p class="notice" role="status">Confirmé.</p>' in html
    section = section_of(campaign, "1")
    assert re.search(rf'id="section-to-confirm-{section.pk}" hx-swap-oob="true">\s*<span[^>]*>1 à reconfirmer<', html)
    item.refresh_from_db()
    assert (item.to_confirm, item.current_level, item.owner, item.version) == (False, 4, dsi.user, 2)
    assert item.history.latest().history_user == dsi.user


def test_confirming_a_changed_row_saves_what_is_shown(web: Client, campaign: Assessment) -> None:
    item = item_of(campaign, "1.2")

    web.post(
        confirm_url(item), {"version": item.version, "applicable": "on", "current_level": "2", "target_level": "3"}
    )

    item.refresh_from_db()
    assert (item.to_confirm, item.current_level) == (False, 2)


def test_confirming_a_stale_row_changes_nothing(web: Client, campaign: Assessment, dsi: Membership) -> None:
    item = item_of(campaign, "1.1")
    services.item_update(item=item, expected_version=1, actor=dsi.user, comment="Vu", to_confirm=True)

    response = web.post(
        confirm_url(item), {"version": 1, "applicable": "on", "current_level": "4", "target_level": "3"}, **HTMX
    )

    assert "pas été enregistrée" in response.content.decode()
    item.refresh_from_db()
    assert (item.to_confirm, item.version) == (True, 2)


def test_a_reader_cannot_confirm(client: Client, campaign: Assessment, organisation: Organisation) -> None:
    item = item_of(campaign, "1.1")
    client.force_login(MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user)

    response = client.post(confirm_url(item), {"version": item.version}, **HTMX)

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.to_confirm is True


def test_another_organisations_item_cannot_be_confirmed(client: Client, campaign: Assessment) -> None:
    item = item_of(campaign, "1.1")
    client.force_login(MembershipFactory(role=Role.IT).user)

    response = client.post(confirm_url(item), {"version": item.version}, **HTMX)

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.to_confirm is True


def test_the_item_page_shows_the_row_open(web: Client, campaign: Assessment) -> None:
    item = item_of(campaign, "1.1")

    response = web.get(item_url(item))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<details class="item-more" open>' in html
    assert "À reconfirmer" in html


def test_saving_on_the_item_page_stays_there(web: Client, assessment: Assessment) -> None:
    item = item_of(assessment, "1.1")
    form = {"applicable": "on", "current_level": "2", "target_level": "3", "item_page": "1"}

    swapped = web.post(item_url(item), {**form, "version": 1}, **HTMX)
    posted = web.post(item_url(item), {**form, "version": 2, "comment": "Revu"})

    assert '<details class="item-more" open>' in swapped.content.decode()
    assert posted["Location"] == item_url(item)
    item.refresh_from_db()
    assert (item.current_level, item.comment, item.version) == (2, "Revu", 3)
