"""core never imports streamlit (or dashboard), and the text pages never import TensorFlow."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import core
from dashboard.registry import PAGES, ROOT


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_core_never_imports_streamlit_or_dashboard():
    modules = [m.name for m in pkgutil.iter_modules(core.__path__)]
    out = _run("import importlib, sys\n"
               f"for m in {modules!r}: importlib.import_module('core.' + m)\n"
               "print(sorted(k for k in sys.modules if k.split('.')[0] in "
               "('streamlit', 'dashboard')))")
    assert out.strip() == "[]"


def test_pages_without_models_do_not_import_tensorflow():
    light = [p.path for p in PAGES if not p.needs_tensorflow]
    out = _run("import sys\nfrom streamlit.testing.v1 import AppTest\n"
               f"for path in {light!r}:\n"
               "    at = AppTest.from_file('streamlit_app.py', default_timeout=300).run()\n"
               "    at.switch_page(path).run()\n"
               "    assert not at.exception, [e.value for e in at.exception]\n"
               "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    assert out.strip().splitlines()[-1] == "False False"
