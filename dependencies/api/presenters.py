from __future__ import annotations

import datetime
from typing import Any

from dependencies import indexing
from nis2.numbers import decimal_to_float


def index_json(value: indexing.DependencyIndex) -> dict[str, Any]:
    return {
        "components": value.components,
        "dependency_index": decimal_to_float(value.dependency_index),
        "total_spend_eur": decimal_to_float(value.total_spend_eur),
        "exposed_spend_eur": decimal_to_float(value.exposed_spend_eur),
        "exposed_spend_share": decimal_to_float(value.exposed_spend_share),
        "open_source_share": decimal_to_float(value.open_source_share),
        "supplier_concentration": decimal_to_float(value.supplier_concentration),
        "top_supplier": value.top_supplier,
        "top_supplier_share": decimal_to_float(value.top_supplier_share),
    }


def index_payload(records: list[indexing.ComponentRecord], *, today: datetime.date) -> dict[str, Any]:
    return {
        "overall": index_json(indexing.index(records)),
        "by_domain": {domain: index_json(value) for domain, value in indexing.index_by_domain(records).items()},
        "decision_windows": [
            {
                "component": record.component_id,
                "name": record.name,
                "domain": record.domain,
                "contract_end": record.contract_end.isoformat() if record.contract_end else None,
                "exposure": record.exposure,
                "criticality": record.criticality,
                "strategy": record.strategy,
            }
            for record in indexing.decision_windows(records, today=today)
        ],
    }
