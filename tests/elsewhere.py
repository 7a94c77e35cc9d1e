"""What a user takes home, run as they would run it, without the lab: notebooks and scripts in
a Python kernel started outside the project and emptied before each use. One kernel per test
worker starts Python and TensorFlow once, instead of once per notebook or script (about 5 s of
CPU each on 2 cores)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# What a fresh Python would hold: no name of an earlier run (%reset), no module imported from
# an earlier run's folder and no path or finder it added (its generate.py is not this one's),
# Keras's layer names and random state from scratch, and the run's own folder as the working
# directory.
EMPTY = """%reset -f
import importlib as _importlib, os as _os, sys as _sys
for _name, _module in list(_sys.modules.items()):
    _file = getattr(_module, "__file__", None) or ""
    if _file and not _os.path.abspath(_file).startswith((_sys.prefix, _sys.base_prefix)):
        del _sys.modules[_name]
if not hasattr(_sys, "_seqlab_fresh_path"):  # the path the kernel started with
    _sys._seqlab_fresh_path = list(_sys.path)
_sys.path[:] = _sys._seqlab_fresh_path
_sys.path_importer_cache.clear()  # a finder for "." keeps the folder it was made in
_importlib.invalidate_caches()
_os.chdir({folder!r})
if "keras" in _sys.modules:
    _sys.modules["keras"].backend.clear_session()
del _importlib, _os, _sys, _name, _module, _file
"""
LAB_ABSENT = ("import sys as _sys\nassert not [m for m in _sys.modules if m.split('.')[0] in "
              "('core', 'dashboard')], 'the lab was imported'\n")


def start(folder: Path):
    """A Python kernel working in ``folder``, with no path to the project."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    manager = AsyncKernelManager(kernel_name="python3")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run_sync(manager.start_kernel)(cwd=str(folder), env=env)
    return manager


def stop(kernel) -> None:
    from jupyter_core.utils import run_sync

    run_sync(kernel.shutdown_kernel)(now=True)


def run(kernel, nb, folder: Path, stream: str | None = None) -> str:
    """Run the notebook ``nb`` (an nbformat node) in the emptied kernel working in ``folder``,
    then check that the lab was not imported; the text it printed (``stream``: only that
    one, "stdout" or "stderr"). A cell that raises fails the test with its traceback."""
    import nbclient
    import nbformat

    nb.cells.insert(0, nbformat.v4.new_code_cell(EMPTY.format(folder=str(folder))))
    nb.cells.append(nbformat.v4.new_code_cell(LAB_ABSENT))
    client = nbclient.NotebookClient(nb, timeout=600, km=kernel)
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return "".join(out.get("text", "") for cell in nb.cells[1:] if cell.cell_type == "code"
                   for out in cell.outputs if stream in (None, out.get("name")))


def script(kernel, folder: Path, *args: str) -> str:
    """``python -I *args`` in ``folder`` (a script and its arguments, or ``-c`` and code), run
    in the emptied kernel: what it printed to stdout. A non-zero exit fails the test."""
    import nbformat

    if args[0] == "-c":
        body = (f"_sys.argv = ['-c', *{list(args[2:])!r}]\n"
                f"exec(compile({args[1]!r}, '<string>', 'exec'), {{'__name__': '__main__'}})")
    else:
        body = (f"_sys.argv = {list(args)!r}\n_sys.path.insert(0, {str(folder)!r})\n"
                f"runpy.run_path({args[0]!r}, run_name='__main__')")
    cell = ("import runpy, sys as _sys\ntry:\n" + "".join(f"    {line}\n" for line in
                                                        body.splitlines()) +
            "except SystemExit as _exit:\n    assert _exit.code in (0, None), _exit.code\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    return run(kernel, nb, folder, stream="stdout")


@pytest.fixture(scope="session")
def home(tmp_path_factory):
    """The kernel of this test worker (see the module's docstring)."""
    pytest.importorskip("nbclient")
    kernel = start(tmp_path_factory.mktemp("home"))
    yield kernel
    stop(kernel)
