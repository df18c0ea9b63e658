from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from dependencies import indexing


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def index_json(value: indexing.DependencyIndex) -> dict[str, Any]:
    return {
        "components": value.components,
        "dependency_index": _number(value.dependency_index),
        "total_spend_eur": _number(value.total_spend_eur),
        "exposed_spend_eur": _number(value.exposed_spend_eur),
        "exposed_spend_share": _number(value.exposed_spend_share),
        "open_source_share": _number(value.open_source_share),
        "supplier_concentration": _number(value.supplier_concentration),
        "top_supplier": value.top_supplier,
        "top_supplier_share": _number(value.top_supplier_share),
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
