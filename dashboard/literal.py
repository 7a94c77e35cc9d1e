"""User text shown as typed: never read as Markdown, HTML or a Streamlit directive, and never
echoed whole when it is huge (a 1 MB paste must not become a 100,000-pixel warning)."""
from __future__ import annotations

import re

ECHO_CHARS = 60  # the most of one piece of user text a message repeats
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def cap(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (+{len(text) - limit:,} characters)"


def md(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` (capped) escaped for Streamlit Markdown: shown literally, links and tags inert."""
    return _MARKDOWN.sub(r"\\\1", cap(text, limit).replace("\n", " "))


def quoted(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` in quotes, capped and escaped, for a sentence such as: 'xyz' is not known."""
    return f"“{md(text, limit)}”"


def words(items, limit: int = 15) -> str:
    """The first ``limit`` items, escaped and comma-separated, with how many more there are."""
    items = list(items)
    shown = ", ".join(md(w, 30) for w in items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")
