"""The benches run as `python bench/<name>.py` from the project root, where `sys.path[0]` is
`bench/`: a module-level `core` import must come after the script puts the root on the path."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _adds_root(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "sys.path.insert")


def _imports_core(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "core"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "core" for alias in node.names)
    return False


def core_imports_before_the_path(source: str) -> list[int]:
    """Line numbers of module-level `core` imports that run before any `sys.path.insert`."""
    early, path_set = [], False
    for node in ast.parse(source).body:
        path_set = path_set or _adds_root(node)
        if _imports_core(node) and not path_set:
            early.append(node.lineno)
    return early


def test_the_check_sees_an_import_above_the_path():
    assert core_imports_before_the_path(
        "import sys\nfrom core.runs.people import OPERATOR\nsys.path.insert(0, '.')\n") == [2]
    assert core_imports_before_the_path(
        "import sys\nsys.path.insert(0, '.')\nfrom core import jobs\n") == []


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_a_bench_imports_core_only_after_putting_the_root_on_the_path(script):
    assert core_imports_before_the_path(script.read_text()) == []
