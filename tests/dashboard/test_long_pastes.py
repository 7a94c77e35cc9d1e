"""A paste longer than a box's limit is accepted and the page says what it used (Streamlit's
max_chars refused it silently, keeping the old text)."""
from __future__ import annotations

import pytest

from tests.conftest import requires_mirror
from tests.dashboard.conftest import open_page

pytestmark = requires_mirror


@pytest.mark.parametrize("page, key, kind, limit", [
    ("dashboard/pages/train.py", "train.review", "text_area", 20_000),
    ("dashboard/pages/embeddings.py", "emb.word", "text_input", 100),
])
def test_a_long_paste_is_accepted_and_said(page, key, kind, limit, no_exception):
    at = open_page(page)
    pasted = "great film " * (limit // 5)
    getattr(at, kind)(key=key).set_value(pasted).run()
    no_exception(at)
    assert getattr(at, kind)(key=key).value == pasted  # kept, not refused
    said = " ".join(w.value for w in at.warning)
    assert f"{len(pasted.strip()):,} characters" in said or f"{len(pasted):,} characters" in said
