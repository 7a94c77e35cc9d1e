"""A server that trains in worker threads: script runs must not reset Keras or stall the GIL."""
from __future__ import annotations

import tomllib

from streamlit.testing.v1 import AppTest

from dashboard.registry import ROOT
from tests.dashboard.conftest import TIMEOUT


def test_a_script_run_leaves_keras_state_alone():
    """Streamlit's own cleanup calls keras.backend.clear_session() after every run (every
    second while a page follows a run), under the model a worker is training."""
    from keras.src.backend.common import global_state

    global_state.set_global_attribute("seqlab_probe", 42)
    AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT).run()
    assert global_state.get_global_attribute("seqlab_probe") == 42


def test_server_settings_for_live_training():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False  # no gc.collect(2) every second
    assert config["server"]["fileWatcherType"] == "none"  # no re-walks of .venv and .cache
