"""Shared helpers."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection

MEMORY_TASKS = ("incident_reminders", "duty_reminders", "quarterly_beat", "report_metropole", "report_consolidated")


def memory_of_task(task: str) -> dict[str, Any]:
    print(f"Peak memory: {task} in a fresh process", flush=True)
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parent / "national.py"), "--task", task],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        return {"error": (completed.stderr or completed.stdout)[-600:]}
    return json.loads(lines[-1])


def _peak_rss_mb() -> float:
    """The process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent
    through fork and exec, so a child started by a large benchmark process would report the parent's size."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def run_task_in_this_process(task: str) -> None:
    """Run one task once (with its cleanup) and print its time, queries and peak resident memory as JSON: the
    peak of the whole process, and how far it rose above the process ready to run the task."""
    import django

    django.setup()
    # After django.setup(): these import the models (and bench.national_measure imports this module).
    from bench import national_tasks
    from bench.national_measure import run_once, subjects

    who = subjects()
    operation = national_tasks.task_by_name(task, who)
    connection.ensure_connection()
    baseline = _peak_rss_mb()
    run_once(operation, record=True, capture=False)
    peak = _peak_rss_mb()
    print(
        json.dumps(
            {
                "task": task,
                "seconds": round(operation.timings[0] / 1000, 2) if operation.timings else None,
                "queries": operation.queries[0] if operation.queries else None,
                "rss_baseline_mb": round(baseline, 1),
                "rss_peak_mb": round(peak, 1),
                "rss_increase_mb": round(peak - baseline, 1),
                "note": operation.note,
                "error": operation.error,
            }
        )
    )
