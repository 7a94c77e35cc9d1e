"""AppTest helpers: run the real router, then switch to a page from the registry."""
from __future__ import annotations

import dataclasses
import json

import pytest
from streamlit.testing.v1 import AppTest

from core.language import charlm
from core.runs.people import OPERATOR
from dashboard.registry import ROOT

TIMEOUT = 300  # first runs parse data sets; AppTest's 3 s default is far too short


def app(query: dict | None = None) -> AppTest:
    """The whole app (the router) for a browser opening its link with URL ``query``
    parameters; not run yet."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def open_page(path: str, query: dict | None = None, tab: tuple[str, str] | None = None,
              state: dict | None = None) -> AppTest:
    """The app as a browser would see it at ``path`` (with optional URL query parameters),
    with ``tab`` = (tabs' key, label) open (a page's tabs run only the open one) and controls
    already set to ``state`` (key -> value) when the page first runs."""
    at = app(query)
    at.run()
    for key, value in (({tab[0]: tab[1]} if tab else {}) | (state or {})).items():
        at.session_state[key] = value
    return at.switch_page(path).run()


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open tab ``label`` of the lazy tabs keyed ``key`` (only the open tab's view runs), as a
    click on it does."""
    at.session_state[key] = label
    return at.run()


@pytest.fixture(autouse=True, scope="session")
def separate_runs(tmp_path_factory):
    """Runs made by tests go to their own folder, never into the user's run store."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SEQLAB_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))
    yield
    mp.undo()


@pytest.fixture
def no_exception():
    def check(at: AppTest) -> AppTest:
        assert not at.exception, [e.value for e in at.exception]
        return at
    return check


def make_char_model(store, name: str) -> int:
    """A finished (untrained) char model with its files, as a training run leaves them."""
    config = charlm.CharConfig(corpus="nietzsche", units=8, embedding_dim=4)
    run_id = store.create(charlm.KIND, dataclasses.asdict(config), name, owner=OPERATOR)
    store.start(run_id)
    chars = list("abcdefghijklmnopqrstuvwxyz .")
    model_path, chars_path = charlm.model_files(run_id)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    charlm.build_fast_model(len(chars), 4, 8).save(model_path)
    chars_path.write_text(json.dumps(chars), encoding="utf-8")
    store.finish(run_id, "finished", summary={"alphabet": len(chars), "model": model_path.name})
    return run_id


def place(at: AppTest, key: str) -> tuple:
    """Where the control keyed ``key`` is drawn (main area or sidebar, then its indices down
    from there). A browser keeps what was typed in a control, not yet entered, only while this
    stays the same from run to run: a run the page starts by itself must not move a control."""
    def find(node, path):
        if getattr(node, "key", None) == key and not getattr(node, "children", None):
            return path
        for index, child in sorted(getattr(node, "children", {}).items()):
            found = find(child, (*path, index))
            if found is not None:
                return found
        return None

    for root, block in (("main", at.main), ("sidebar", at.sidebar)):
        found = find(block, (root,))
        if found is not None:
            return found
    raise AssertionError(f"no control keyed {key!r} on the page")
