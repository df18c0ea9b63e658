"""Saving one row of the compact assessment grid (issue 14), with and without JavaScript."""

import pytest
from django.test import Client

from controls.models import Assessment
from nis2.models import Membership
from tests.controls.grid.grid_pages import HTMX, grid_url, item_of, item_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


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
