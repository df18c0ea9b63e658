"""The house rules a reviewer would otherwise check by hand (docs/architecture.md): who imports whom,
one write path, no query in a view, and the size of modules and functions. They read the source, not
the running application."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("nis2", "controls", "dependencies", "incidents", "reports")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_TEMPLATE_LINE = 160


def _python_files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_view_module(path: Path) -> bool:
    """Web views (``views.py``, ``*_views.py``, a ``views/`` package) and API views."""
    parts = path.relative_to(ROOT).parts
    return path.name == "views.py" or path.name.endswith("_views.py") or "views" in parts[:-1]


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's import-linter contracts: the core imports no pillar, pillars read one another
    through selectors and write through services, nothing but the API imports the API layer."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_only_the_write_path_names_the_author() -> None:
    """django-simple-history reads the author from ``_history_user``: only nis2/history.py sets it."""
    offenders = [
        f"{_relative(path)}:{number}"
        for path in _python_files(*APPS)
        if path != ROOT / "nis2" / "history.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "_history_user =" in line or "save_with_author" in line
    ]
    assert offenders == []


def _queries(tree: ast.AST) -> list[int]:
    """Lines reading a model manager (``Model.objects``) or a model's history manager directly."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
    ]


def test_views_hold_no_query() -> None:
    """Pages and API views ask selectors for reads and services for writes."""
    offenders = [
        f"{_relative(path)}:{line}"
        for path in _python_files(*APPS)
        if _is_view_module(path)
        for line in _queries(ast.parse(path.read_text()))
    ]
    assert offenders == []


@pytest.mark.parametrize("folder", [*APPS, "tests", "bench"])
def test_no_module_is_longer_than_the_limit(folder: str) -> None:
    too_long = {
        _relative(path): length
        for path in _python_files(folder)
        if (length := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


@pytest.mark.parametrize("folder", [*APPS, "tests", "bench"])
def test_no_function_is_longer_than_the_limit(folder: str) -> None:
    too_long = {
        f"{_relative(path)}:{node.name}": node.end_lineno - node.lineno + 1
        for path in _python_files(folder)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }
    assert too_long == {}


def test_no_template_line_is_longer_than_the_limit() -> None:
    """Templates are formatted by djLint (``make lint``); a line it cannot split is written shorter."""
    too_long = [
        f"{_relative(path)}:{number}"
        for app in APPS
        for path in sorted((ROOT / app / "templates").rglob("*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > MAX_TEMPLATE_LINE
    ]
    assert too_long == []


def _local_imports(tree: ast.AST) -> Iterator[ast.stmt]:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node


def test_imports_inside_functions_say_which_cycle_they_break() -> None:
    """An import belongs at the top of its module; one inside a function is allowed only where it
    breaks an import cycle, and its line (or the line above) says so."""
    offenders = []
    for path in _python_files(*APPS):
        lines = path.read_text().splitlines()
        for node in _local_imports(ast.parse("\n".join(lines))):
            around = " ".join(lines[max(node.lineno - 2, 0) : node.lineno]).lower()
            if not any(word in around for word in ("cycle", "imports this one", "app registry")):
                offenders.append(f"{_relative(path)}:{node.lineno}")
    assert offenders == []
