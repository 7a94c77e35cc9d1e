"""The bad-input catalogue: every text box of every page, and every link parameter, given what
a class will type or paste. Nothing may end in an exception."""
from __future__ import annotations

import pytest

from core.runs.store import RunStore
from dashboard.registry import PAGES
from tests.conftest import requires_mirror
from tests.dashboard.conftest import make_char_model, open_page, open_tab

pytestmark = requires_mirror

CATALOGUE = {
    "empty": "",
    "blank": "  \n\t  ",
    "one megabyte": "wonderful awful " * 65_536,
    "emoji and scripts": "héllo 😀 世界 مرحبا Привет 👩🏽‍💻",
    "unknown words": "qwzx zzqpx vbnmq",
    "markdown and html": "**bold** [link](https://example.com) <b>b</b> <script>alert(1)</script>"
                         " :red[x] $x^2$ # head",
    "numbers": "-1e309 nan inf 0 99999999999999999999",
    "one letter": "a",
}
TAB_KEYS = {"text": "text.tab", "embeddings": "emb.tab", "inside": "inside.tab"}  # tabs that run only the open one
BAD_LINK = {"n": "99", "k": "-5", "review": "abc", "T": "1e9", "word": "<b>x</b>" * 500,
            "letters": "", "models": "nope,,", "classroom": "maybe", "t": "😀" * 1000}


@pytest.fixture(scope="module", autouse=True)
def a_model_to_look_inside():
    """A finished char model, so the boxes that need one (prime, gates text) are drawn."""
    make_char_model(RunStore(), "catalogue model")


def _boxes(at) -> dict:
    return {box.key: box for box in [*at.text_input, *at.text_area]}


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_text_box_takes_bad_input(spec, no_exception):
    """Each entry of the catalogue typed into every box of every tab, box after box, so that
    all of a tab's boxes hold it at once. Each entry starts from the tab as it opens (the page
    is opened again when an earlier entry hid one of its boxes: no word, no chart)."""
    lazy = TAB_KEYS.get(spec.url_path)
    at = no_exception(open_page(spec.path))
    if not lazy:  # every tab ran: its boxes are all on the page now
        assert all(tab.children for tab in at.tabs), "lazy tabs need a TAB_KEYS entry"
    for tab in [t.label for t in at.tabs] if lazy else [None]:
        if tab:
            no_exception(open_tab(at, lazy, tab))
        keys = list(_boxes(at))
        for name, value in CATALOGUE.items():
            if set(keys) - set(_boxes(at)):  # hidden by the entry before: start afresh
                at = no_exception(open_page(spec.path, tab=(lazy, tab) if tab else None))
            for key in keys:
                box = _boxes(at).get(key)
                if box is None:  # this entry hid it (no word, no chart): nothing to type in
                    continue
                box.set_value(value[:box.max_chars] if box.max_chars else value).run()
                assert not at.exception, (name, tab, key, [e.value for e in at.exception])


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_bad_link_parameters_are_corrected_not_fatal(spec, no_exception):
    no_exception(open_page(spec.path, BAD_LINK))
