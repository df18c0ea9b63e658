"""The compact assessment grid (issue 14): one line per measure, its justification and comments on demand,
filters kept in links, actions on a whole objective, and the answers of a new campaign to reconfirm.

Pages are read in French, as the intercommunality's IT department (DSI) reads them."""

import re
from collections import Counter

import pytest
from django.test import Client

from controls import services
from controls.models import Assessment, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.grid.grid_pages import grid_url, item_of, row_html, section_of, shown_refs
from tests.nis2.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


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
