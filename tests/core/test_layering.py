"""core's layers: no import cycle, no import that runs back up, no streamlit, and the text pages
never import TensorFlow."""
from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import core
from dashboard.registry import PAGES, ROOT

CORE = Path(core.__file__).parent


def _layer_table() -> dict[str, int]:
    """ARCHITECTURE.md's table of core's layers: folder or module -> layer number. The test
    reads the document, so the two cannot drift apart."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("## Layers of `core/`", 1)[1].split("\n\n", 2)[1]
    layers = {}
    for row in table.splitlines()[2:]:  # after the header and its rule
        number, where = row.split("|")[1:3]
        for name in re.findall(r"`([^`]+)`", where):
            layers[name.removesuffix("/").removesuffix(".py")] = int(number)
    return layers


LAYERS = _layer_table()  # a module may import its own layer or a lower one, never a higher one


def _layer(module: str) -> int:
    part = module.split(".")[1] if "." in module else "paths"  # core itself: its __init__
    return LAYERS[part]


def test_the_layer_table_names_every_part_of_core():
    parts = {p.stem if p.is_file() else p.name for p in CORE.iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    assert set(LAYERS) == parts, (set(LAYERS) ^ parts)


def _imports() -> dict[str, set[str]]:
    """Every module of core -> the core modules it imports anywhere (functions included)."""
    graph = {}
    for path in CORE.rglob("*.py"):
        name = ".".join(("core",) + path.relative_to(CORE).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
                # "from core.pkg import mod" runs core/pkg/__init__.py: an edge to the package
                found |= {f"{node.module}.{a.name}" if node.module == "core" else node.module
                          for a in node.names}
                found |= {f"{node.module}.{a.name}" for a in node.names
                          if (CORE / node.module[5:].replace(".", "/") / f"{a.name}.py").is_file()}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("core")}
        graph[name] = {m for m in found if m != name}
    return graph


def test_every_import_goes_down_or_sideways():
    upward = [(m, d) for m, deps in _imports().items() for d in deps if _layer(d) > _layer(m)]
    assert upward == []


def test_no_import_cycle():
    graph = _imports()
    known = {m: {d for d in deps if d in graph} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in known[m]:
            assert state.get(d) != 1, f"import cycle: {' -> '.join(path + [m, d])}"
            if d not in state:
                visit(d, path + [m])
        state[m] = 2

    for m in known:
        if m not in state:
            visit(m, [])


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def everything_imported() -> list[str]:
    """One fresh Python imports every module of core, then opens the Train page without a
    cluster address, saying after each step which of streamlit, dashboard and ray it holds
    (one interpreter and one TensorFlow import for the two tests below)."""
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")
               if not m.name.endswith("__main__")]
    return _run("import importlib, os, sys\nos.environ.pop('SEQLAB_RAY_ADDRESS', None)\n"
                "held = lambda *names: sorted(k for k in sys.modules if k.split('.')[0] in names)\n"
                f"for m in {modules!r}: importlib.import_module(m)\n"
                "print('core alone', held('streamlit', 'dashboard'), held('ray'))\n"
                "from streamlit.testing.v1 import AppTest\n"
                "at = AppTest.from_file('streamlit_app.py', default_timeout=300).run()\n"
                "at.switch_page('dashboard/pages/train.py').run()\n"
                "assert not at.exception, [e.value for e in at.exception]\n"
                "print('with the train page', held('ray'))").strip().splitlines()


def test_core_never_imports_streamlit_or_dashboard(everything_imported):
    assert everything_imported[-2].startswith("core alone [] ")


def test_pages_without_models_do_not_import_tensorflow():
    light = [p.path for p in PAGES if not p.needs_tensorflow]
    out = _run("import sys\nfrom streamlit.testing.v1 import AppTest\n"
               f"for path in {light!r}:\n"
               "    at = AppTest.from_file('streamlit_app.py', default_timeout=300).run()\n"
               "    at.switch_page(path).run()\n"
               "    assert not at.exception, [e.value for e in at.exception]\n"
               "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    assert out.strip().splitlines()[-1] == "False False"


def test_ray_is_not_imported_unless_a_cluster_is_asked_for(everything_imported):
    assert everything_imported[-2] == "core alone [] []"  # every module of core, the CLI too
    assert everything_imported[-1] == "with the train page []"
