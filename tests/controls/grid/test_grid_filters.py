"""Filters of the compact assessment grid (issue 14): combined, kept in the side menu links."""

import re

import pytest
from django.test import Client

from controls.models import Assessment
from nis2.models import Membership
from tests.controls.grid.grid_pages import grid_url, shown_refs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


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
