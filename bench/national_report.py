"""What the national benchmark writes down: the machine it ran on, the data set it measured, and the Markdown
tables (one run, or two runs at different scales side by side)."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COUNTED_TABLES = {
    "organisations": "nis2_organisation",
    "communes": "nis2_organisation WHERE kind = 'commune'",
    "intercommunalités": "nis2_organisation WHERE kind IN ('metropole', 'communaute_urbaine',"
    " 'communaute_agglomeration', 'communaute_communes')",
    "users": "auth_user",
    "assessments": "controls_assessment",
    "assessment items": "controls_requirementassessment",
    "item history rows": "controls_historicalrequirementassessment",
    "actions": "controls_actionitem",
    "components": "dependencies_component",
    "incidents": "incidents_incident",
    "open incidents": "incidents_incident WHERE status <> 'closed'",
    "incident history rows": "incidents_historicalincident",
    "obligations": "incidents_obligation",
    "filings": "incidents_filing",
    "timeline entries": "incidents_timelineentry",
    "reminders sent": "incidents_remindersent",
}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _git(*arguments: str) -> str:
    try:
        completed = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return completed.stdout.rstrip("\n") if completed.returncode == 0 else ""


def machine() -> dict[str, Any]:
    from django.db import connection

    cpuinfo = _read("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    memory_kb = next(
        (int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), 0
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    changed = [line[3:] for line in _git("status", "--porcelain").splitlines() if not line[3:].startswith("bench/")]
    return {
        "cpu_model": models[0] if models else platform.processor(),
        "cpu_count": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "postgresql": postgres,
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        "git_commit": _git("rev-parse", "HEAD") or os.environ.get("BENCH_GIT_COMMIT", ""),
        "uncommitted_application_changes": changed,
        "platform": platform.platform(),
    }


def dataset_summary() -> dict[str, Any]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for label, table in COUNTED_TABLES.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # constants above, no user input
            counts[label] = cursor.fetchone()[0]
    return {"scale": round(counts["communes"] / 35_000, 3), "counts": counts}


# --- Tables --------------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.1f}"


def _memory_note(operation: dict[str, Any], memory: dict[str, Any]) -> str:
    task = {
        "task.incident_reminders": "incident_reminders",
        "task.duty_reminders": "duty_reminders",
        "task.quarterly_beat": "quarterly_beat",
        "report.quarterly.metropole": "report_metropole",
        "report.consolidated.generate": "report_consolidated",
    }.get(operation["key"])
    found = memory.get(task or "", {})
    if not found or found.get("error") or "rss_peak_mb" not in found:
        return ""
    return f"peak RSS {found['rss_peak_mb']:.0f} MB (+{found['rss_increase_mb']:.0f} MB)"


def _notes(operation: dict[str, Any], memory: dict[str, Any]) -> str:
    parts = [operation["note"], _memory_note(operation, memory)]
    if operation.get("queries_varied"):
        parts.append("queries varied between runs")
    if operation["error"]:
        parts.append(f"**failed**: {operation['error'][:160]}")
    return "; ".join(part for part in parts if part).replace("|", "/")


def markdown_table(document: dict[str, Any]) -> str:
    machine_line = _machine_line(document)
    lines = [
        machine_line,
        "",
        "| operation | median ms | min–max ms | queries | DB ms | target | notes |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    operations = document["operations"]
    for operation in operations:
        if operation["group"] == "api":
            continue
        lines.append(
            f"| {operation['label']} | {_ms(operation['median_ms'])} | {_ms(operation['min_ms'])}–"
            f"{_ms(operation['max_ms'])} | {operation['queries'] if operation['queries'] is not None else '—'} | "
            f"{_ms(operation['db_ms'])} | {operation['target']} | {_notes(operation, document.get('memory', {}))} |"
        )
    lines += ["", _api_table(operations)]
    return "\n".join(lines)


def _machine_line(document: dict[str, Any]) -> str:
    machine_info, dataset = document["machine"], document["dataset"]["counts"]
    load = document.get("load_average", {})
    commit = machine_info["git_commit"][:10]
    dirty = " + uncommitted changes" if machine_info.get("uncommitted_application_changes") else ""
    return (
        f"Scale {document['scale']}: {_n(dataset['organisations'])} organisations, {_n(dataset['assessment items'])} "
        f"items, {_n(dataset['incidents'])} incidents, {_n(dataset['components'])} components. Commit {commit}{dirty}; "
        f"{machine_info['cpu_count']} × {machine_info['cpu_model']}, {machine_info['ram_gb']} GB RAM, PostgreSQL "
        f"{machine_info['postgresql']}, Python {machine_info['python']}; load average {load.get('before', ['?'])[0]} "
        f"before, {load.get('after', ['?'])[0]} after; median of {document['repeat']} interleaved runs."
    )


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _api_rows(operations: list[dict[str, Any]]) -> dict[tuple[str, str], dict[int, dict[str, Any]]]:
    rows: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for operation in operations:
        if operation["group"] != "api":
            continue
        _api, endpoint, page, persona = operation["key"].split(".")
        rows.setdefault((endpoint, persona), {})[int(page.removeprefix("page"))] = operation
    return rows


def _cell(operation: dict[str, Any] | None) -> str:
    if operation is None:
        return "— | —"
    if operation["error"]:
        return f"failed | {operation['error'][:60]}"
    return f"{_ms(operation['median_ms'])} | {operation['queries']}"


def _api_table(operations: list[dict[str, Any]]) -> str:
    lines = [
        "| API list (`/api/v1/...`) | as | page 50 ms | queries | page 500 ms | queries | rows (page 500 of count) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for (endpoint, persona), pages in _api_rows(operations).items():
        rows = (pages.get(500) or {}).get("note", "")
        lines.append(f"| {endpoint} | {persona} | {_cell(pages.get(50))} | {_cell(pages.get(500))} | {rows} |")
    return "\n".join(lines)


def _ratio(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if not before or not after or not before["median_ms"] or not after["median_ms"]:
        return "—"
    return f"×{after['median_ms'] / before['median_ms']:.2f}"


def _queries(operation: dict[str, Any] | None) -> str:
    return "—" if not operation or operation["queries"] is None else str(operation["queries"])


def comparison_table(smaller: dict[str, Any], larger: dict[str, Any]) -> str:
    """Two runs side by side, the smaller data set first (or, at the same scale, in the order given: two
    commits): median ms, queries, and the ratio of the times."""
    if smaller["scale"] > larger["scale"]:
        smaller, larger = larger, smaller
    by_key = {operation["key"]: operation for operation in smaller["operations"]}
    if smaller["scale"] == larger["scale"]:
        small, large = (run["machine"]["git_commit"][:7] or "first" for run in (smaller, larger))
    else:
        small, large = f"scale {smaller['scale']}", f"scale {larger['scale']}"
    lines = [
        f"- {_machine_line(smaller)}",
        f"- {_machine_line(larger)}",
        "",
        f"| operation | {small} ms | queries | {large} ms | queries | × | target | notes ({large}) |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for operation in larger["operations"]:
        if operation["group"] == "api":
            continue
        before = by_key.get(operation["key"])
        lines.append(
            f"| {operation['label']} | {_ms(before['median_ms']) if before else '—'} | {_queries(before)} | "
            f"{_ms(operation['median_ms'])} | {_queries(operation)} | {_ratio(before, operation)} | "
            f"{operation['target']} | {_notes(operation, larger.get('memory', {}))} |"
        )
    lines += ["", _api_comparison(_api_rows(smaller["operations"]), _api_rows(larger["operations"]), small, large)]
    return "\n".join(lines)


def _api_comparison(
    smaller: dict[tuple[str, str], dict[int, dict[str, Any]]],
    larger: dict[tuple[str, str], dict[int, dict[str, Any]]],
    small: str,
    large: str,
) -> str:
    lines = [
        f"| API list | as | page 50: {small} ms | {large} ms | × | page 500: {small} ms | {large} ms | × | queries "
        f"(page 500, {small} → {large}) | rows (page 500, {large}) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for (endpoint, persona), pages in larger.items():
        before = smaller.get((endpoint, persona), {})
        cells = []
        for size in (50, 500):
            old, new = before.get(size), pages.get(size)
            cells += [_ms(old["median_ms"]) if old else "—", _ms(new["median_ms"]) if new else "—", _ratio(old, new)]
        queries = f"{_queries(before.get(500))} → {_queries(pages.get(500))}"
        rows = (pages.get(500) or {}).get("note", "")
        lines.append(f"| {endpoint} | {persona} | {' | '.join(cells)} | {queries} | {rows} |")
    return "\n".join(lines)
