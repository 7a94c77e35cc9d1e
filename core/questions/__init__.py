"""Questions a class answers before it sees: each built-in one is answered by a ``core``
function at the moment it is revealed, on the lab's real data (``questions/builtin.py``); an
instructor's own come from ``questions.toml`` (``questions/toml_file.py``). What a question is,
how an answer is read and checked and how answers are tallied: ``questions/model.py``. Who may
open, reveal, reset and download: the run store (``core/runs/store_questions.py``)."""
