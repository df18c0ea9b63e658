"""The answers of a new campaign to reconfirm on the compact assessment grid (issue 14)."""

import datetime
import re

import pytest
from django.test import Client

from controls import services
from controls.models import Assessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.grid.grid_pages import (
    HTMX,
    confirm_url,
    grid_url,
    item_of,
    item_url,
    row_html,
    section_of,
    shown_refs,
)
from tests.nis2.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


def campaign_copy(source: Assessment, actor: object = None) -> Assessment:
    Assessment.objects.filter(pk=source.pk).update(status=Assessment.Status.VALIDATED)
    return services.assessment_copy(
        assessment=source,
        label="2027-T1",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 3, 31),
        actor=actor,
    )


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
