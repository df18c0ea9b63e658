"""Loads the shipped authorities and reporting rules (incidents/data/reporting-rules.yaml) idempotently.
Runs after every ``migrate``, so every database has the rules the code expects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from incidents.models import Authority, ReportingRule
from nis2.history import model_upsert

RULES_FILE = Path(__file__).resolve().parent / "data" / "reporting-rules.yaml"


def _save_if_changed(model: Any, *, code: str, defaults: dict[str, Any]) -> Any:
    """The rules load after every ``migrate`` and every ``load_reference_data``: written by the system,
    from a trusted file (no validation, as ``objects.create`` did)."""
    return model_upsert(model, actor=None, defaults=defaults, validate=False, code=code)


@transaction.atomic
def load_reporting_rules(path: Path = RULES_FILE) -> tuple[int, int]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    authorities = {}
    for entry in document["authorities"]:
        authority = _save_if_changed(
            Authority,
            code=entry["code"],
            defaults={
                "name_fr": entry["name"]["fr"],
                "name_en": entry["name"]["en"],
                "role_fr": entry.get("role", {}).get("fr", ""),
                "role_en": entry.get("role", {}).get("en", ""),
                "portal_url": entry.get("portal_url", ""),
                "contact": entry.get("contact", ""),
                "filing_language": entry.get("filing_language", "fr"),
            },
        )
        authorities[authority.code] = authority
    for entry in document["rules"]:
        _save_if_changed(
            ReportingRule,
            code=entry["code"],
            defaults={
                "regime": entry["regime"],
                "step": entry["step"],
                "authority": authorities[entry["authority"]],
                "condition": entry["condition"],
                "runs_from": entry["runs_from"],
                "delay_hours": entry.get("delay_hours"),
                "delay_months": entry.get("delay_months"),
                "anchor_step": entry.get("anchor_step", ""),
                "satisfies_step": entry.get("satisfies_step", ""),
                "progress_if_unresolved": entry.get("progress_if_unresolved", False),
                "without_undue_delay": entry.get("without_undue_delay", False),
                "late_filing_needs_reason": entry.get("late_filing_needs_reason", False),
                "legal_basis": entry["legal_basis"],
                "active": entry.get("active", True),
            },
        )
    return len(document["authorities"]), len(document["rules"])


def load_after_migrate(sender: Any, **kwargs: Any) -> None:
    load_reporting_rules()


def load() -> list[str]:
    """Entry point of ``manage.py load_reference_data`` and ``manage.py bootstrap``: one summary line."""
    authorities, rules = load_reporting_rules()
    return [f"incidents: {authorities} authorities, {rules} reporting rules"]
