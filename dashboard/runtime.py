"""What Streamlit does between script runs, adjusted for a server that trains in worker threads."""
from __future__ import annotations

from streamlit.runtime.scriptrunner import script_runner


def keep_keras_state() -> None:
    """Stop Streamlit from calling ``keras.backend.clear_session()`` after every script run.

    Streamlit does that (``script_runner._clean_problem_modules``) for apps that build models
    in the script. Here a page following a run reruns its fragment every second, and each
    clear_session reset Keras's global state and TensorFlow's kernel cache under the model
    training in the worker thread: measured on this machine, a dense model trained at 1.1 s an
    epoch with no page open and 2–5 s with one. Our models live in workers or in
    ``st.cache_resource``, so there is nothing for it to free. Idempotent.
    """
    script_runner._clean_problem_modules = _no_cleanup


def _no_cleanup() -> None:
    """Nothing: matplotlib is not used, and Keras state must survive script runs."""
