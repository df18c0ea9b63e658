"""Import cases found while testing: vendor keys that collide, and an operator that is a new vendor."""

from typing import Any

import pytest

from dependencies.models import Component, LegalEntity
from tests.dependencies.component_files import csv_bytes, upload

pytestmark = pytest.mark.django_db


def row(**values: Any) -> dict[str, Any]:
    return {
        "name": "Messagerie",
        "domain": "D02",
        "product": "Atlantic Mail",
        "vendor": "Atlantic Mail Inc.",
        "vendor_country": "US",
        "deployment": "vendor_saas",
        "criticality": "3",
        "annual_cost_eur": "1000",
        **values,
    }


def test_two_new_vendors_with_the_same_slug_get_distinct_keys(api, organisation) -> None:
    content = csv_bytes(
        [
            row(),
            row(name="Agenda", product="Atlantic Calendar", vendor="Atlantic Mail Inc"),
        ]
    )
    response = upload(api, organisation, content)
    assert response.status_code == 200, response.content
    keys = sorted(LegalEntity.objects.filter(organisation=organisation).values_list("key", flat=True))
    assert keys == ["atlantic-mail-inc", "atlantic-mail-inc-2"]


def test_an_operator_that_is_a_new_vendor_is_created_not_dropped(api, organisation, shared_office_suite) -> None:
    content = csv_bytes(
        [
            row(
                product=shared_office_suite.name,
                vendor="Hébergeur Local",
                vendor_country="FR",
                operator="Hébergeur Local",
            )
        ]
    )
    response = upload(api, organisation, content)
    assert response.status_code == 200, response.content
    component = Component.objects.get(organisation=organisation, name="Messagerie")
    assert component.operator is not None
    assert (component.operator.name, component.operator.country) == ("Hébergeur Local", "FR")


def test_an_operator_that_is_a_new_vendor_needs_its_country(api, organisation, shared_office_suite) -> None:
    content = csv_bytes(
        [row(product=shared_office_suite.name, vendor="Hébergeur Local", vendor_country="", operator="Hébergeur Local")]
    )
    response = upload(api, organisation, content)
    assert response.status_code == 400
    assert [(error["row"], error["field"]) for error in response.json()["errors"]] == [(2, "vendor_country")]
    assert not Component.objects.filter(organisation=organisation).exists()
