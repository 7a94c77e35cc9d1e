"""A chart in words and in a table, computed from its own data: the text alternative a screen
reader reads (``st.plotly_chart(alt=...)``) and the numbers a student can read instead of the
picture. Every chart of the lab goes through ``dashboard/components/charts.show``, which uses both."""
from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd

MAX_SERIES = 6  # named in the text; the rest are counted
MAX_CHARS = 700  # a screen reader reads all of it: the table has the rest
TABLE_ROWS = 5_000  # a word map of 2,000 words fits; longer series are cut, and say so


def _plain(text) -> str:
    """Plotly's label markup (<b>, <br>, entities) as plain text."""
    text = re.sub(r"<br\s*/?>", " ", str(text or ""))
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _parts(fig) -> tuple[list[dict], dict]:
    return [t.to_plotly_json() for t in fig.data], fig.layout.to_plotly_json()


def _title(value) -> str:
    if isinstance(value, dict):
        value = value.get("text")
    return _plain(value)


def _number(v) -> str:
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return f"{int(v):,}"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return _plain(v)
    if not math.isfinite(f):
        return "none"
    if f == int(f) and abs(f) < 1e15:
        return f"{int(f):,}"
    if abs(f) >= 1000:
        return f"{f:,.0f}"
    if abs(f) < 0.001:
        return f"{f:.2g}"
    return f"{f:.3g}"


def _values(trace: dict, axis: str) -> list:
    v = trace.get(axis)
    if v is None:
        return []
    return list(np.asarray(v, dtype=object).ravel()) if not isinstance(v, (str, bytes)) else [v]


def _finite(values: list) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            pass
    return out


def _name(trace: dict, index: int) -> str:
    return _plain(trace.get("name")) or f"series {index + 1}"


def _named(trace: dict, index: int, alone: bool) -> str:
    """The series' name, then a colon; nothing for the only, unnamed series of a chart."""
    name = _plain(trace.get("name"))
    return "" if alone and not name else f"{name or f'series {index + 1}'}: "


def _shown(traces: list[dict]) -> list[tuple[int, dict]]:
    """The traces a reader would see in a legend (a faint raw copy beside its smoothed line,
    with no legend entry and no hover, is not one)."""
    return [(i, t) for i, t in enumerate(traces)
            if not (t.get("showlegend") is False and t.get("hoverinfo") == "skip")]


def _line(trace: dict, index: int, x_title: str, alone: bool) -> str:
    """One series: how many points, where it starts and ends, its highest and lowest."""
    ys = _values(trace, "y")
    xs = _values(trace, "x") or list(range(len(ys)))
    y = _finite(ys)
    name = _named(trace, index, alone)
    if not np.isfinite(y).any():
        return f"{name}no points yet"
    ok = np.flatnonzero(np.isfinite(y))
    x_word = x_title if x_title and len(x_title) <= 12 else "x ="
    at = (lambda i: f" at {x_word} {_number(xs[i])}") if len(xs) == len(ys) else (lambda i: "")
    hi, lo = ok[np.argmax(y[ok])], ok[np.argmin(y[ok])]
    if len(ok) == 1:
        return f"{name}one point, {_number(y[ok[0]])}{at(ok[0])}"
    return (f"{name}{len(ok):,} points from {_number(y[ok[0]])}{at(ok[0])} to "
            f"{_number(y[ok[-1]])}{at(ok[-1])}; highest {_number(y[hi])}{at(hi)}, "
            f"lowest {_number(y[lo])}{at(lo)}")


def _bars(trace: dict, index: int, alone: bool) -> str:
    horizontal = trace.get("orientation") == "h"
    labels = _values(trace, "y" if horizontal else "x")
    v = _finite(_values(trace, "x" if horizontal else "y"))
    name = _named(trace, index, alone)
    if not len(v) or not np.isfinite(v).any():
        return f"{name}no bars yet"
    order = [i for i in np.argsort(-np.nan_to_num(v, nan=-np.inf)) if np.isfinite(v[i])]
    label = (lambda i: _plain(labels[i])) if len(labels) == len(v) else (lambda i: f"bar {i + 1}")
    top = ", ".join(f"{label(i)} {_number(v[i])}" for i in order[:3])
    low = order[-1]
    return (f"{name}{len(order):,} bars; largest {top}"
            + (f"; smallest {label(low)} {_number(v[low])}" if len(order) > 3 else ""))


def _grid(trace: dict, index: int, alone: bool) -> str:
    z = np.asarray(trace.get("z") if trace.get("z") is not None else [[]], dtype=float)
    z = np.atleast_2d(z)
    text = trace.get("text")
    name = _named(trace, index, alone)
    if not np.isfinite(z).any():
        return f"{name}empty"
    rows, cols = z.shape
    xs, ys = _values(trace, "x"), _values(trace, "y")

    def where(flat: int) -> str:
        r, c = divmod(int(flat), cols)
        if text is not None:
            cell = np.asarray(text, dtype=object)
            if cell.shape == z.shape and _plain(cell[r, c]):
                return f" at '{_plain(cell[r, c])}'"
        parts = [f"{_plain(ys[r])}" if len(ys) == rows else f"row {r + 1}",
                 f"{_plain(xs[c])}" if len(xs) == cols else f"column {c + 1}"]
        return " at " + ", ".join(parts)

    filled = np.where(np.isfinite(z), z, np.nan)
    hi, lo = np.nanargmax(filled), np.nanargmin(filled)
    return (f"{name}{int(np.isfinite(z).sum()):,} values in {rows} × {cols} cells; highest "
            f"{_number(z.flat[hi])}{where(hi)}, lowest {_number(z.flat[lo])}{where(lo)}")


def _points(trace: dict, index: int, alone: bool) -> str:
    """A scatter of labelled points (a word map): how many, and some of their labels."""
    xs = _values(trace, "x")
    labels = [_plain(t) for t in _values(trace, "text") if _plain(t)]
    some = f", among them {', '.join(labels[:5])}" if labels else ""
    return f"{_named(trace, index, alone)}{len(xs):,} points{some}"


def describe(fig) -> str:
    """The chart in a few sentences, from its data: its title and axes, then each series (up
    to ``MAX_SERIES``) by what it holds: a line's start, end, highest and lowest with where they
    are; the largest bars; a grid's highest and lowest cells; a map's points."""
    traces, layout = _parts(fig)
    title = _title(layout.get("title"))
    x_title = _title((layout.get("xaxis") or {}).get("title"))
    y_title = _title((layout.get("yaxis") or {}).get("title"))
    shown = _shown(traces)
    kinds = {t.get("type", "scatter") for _, t in shown}
    if not shown:
        return f"Chart{': ' + title if title else ''}, with nothing drawn yet."
    what = ("map" if kinds & {"scatter3d"} or any("text" in str(t.get("mode", "")) and
                                                  len(_values(t, "x")) > 20 for _, t in shown)
            else "heat map" if kinds <= {"heatmap"} else "bar chart" if kinds <= {"bar"}
            else "chart")
    head = f"{what.capitalize()}{': ' + title if title else ''}"
    horizontal = what == "bar chart" and all(t.get("orientation") == "h" for _, t in shown)
    if horizontal:
        x_title, y_title = y_title, x_title  # the bars' labels go down the side
    if x_title or y_title:
        head += (f" ({x_title} and {y_title})" if what == "map"
                 else f" ({y_title or 'value'} for each {x_title or 'bar'})" if what == "bar chart"
                 else f" ({y_title or 'value'} against {x_title or 'position'})")
    head += f", {len(shown)} series." if len(shown) > 1 else "."
    parts = []
    alone = len(shown) == 1
    for i, t in shown[:MAX_SERIES]:
        kind = t.get("type", "scatter")
        if kind == "bar":
            parts.append(_bars(t, i, alone))
        elif kind == "heatmap":
            parts.append(_grid(t, i, alone))
        elif kind == "scatter3d" or (len(_values(t, "text")) > 20):
            parts.append(_points(t, i, alone))
        else:
            parts.append(_line(t, i, x_title, alone))
    if len(shown) > MAX_SERIES:
        parts.append(f"and {len(shown) - MAX_SERIES} more series (see the table)")
    text = head + " " + ". ".join(parts) + "."
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 30].rsplit(" ", 1)[0] + \
        " … (the rest in the table)."


def table(fig) -> pd.DataFrame:
    """The chart's numbers, a row per point drawn (a cell, for a grid): series, x, y (and z,
    and the point's label, where the chart has them), at most ``TABLE_ROWS`` rows."""
    traces, _ = _parts(fig)
    rows: list[dict] = []
    for i, t in _shown(traces):
        name = _name(t, i)
        if t.get("type") == "heatmap":
            z = np.atleast_2d(np.asarray(t.get("z") if t.get("z") is not None else [[]], dtype=float))
            xs, ys = _values(t, "x"), _values(t, "y")
            text = t.get("text")
            cells = np.asarray(text, dtype=object) if text is not None else None
            for r in range(z.shape[0]):
                for c in range(z.shape[1]):
                    if np.isfinite(z[r, c]):
                        rows.append({"series": name,
                                     "x": _plain(xs[c]) if len(xs) == z.shape[1] else c + 1,
                                     "y": _plain(ys[r]) if len(ys) == z.shape[0] else r + 1,
                                     "value": float(z[r, c]),
                                     **({"label": _plain(cells[r, c])} if cells is not None
                                        and cells.shape == z.shape else {})})
            continue
        xs, ys, zs = _values(t, "x"), _values(t, "y"), _values(t, "z")
        labels = _values(t, "text")
        n = max(len(xs), len(ys))
        for k in range(n):
            y = ys[k] if k < len(ys) else None
            if y is None or (isinstance(y, float) and y != y):
                continue  # no y: no point drawn (a cut epoch's missing validation)
            row = {"series": name, "x": xs[k] if k < len(xs) else k, "y": y}
            if zs:
                row["z"] = zs[k] if k < len(zs) else None
            if len(labels) == n:
                row["label"] = _plain(labels[k])
            rows.append(row)
        if len(rows) >= TABLE_ROWS:
            break
    frame = pd.DataFrame(rows[:TABLE_ROWS])
    for column in ("x", "y", "z"):  # a column of labels and numbers reads as text
        if column in frame and frame[column].map(lambda v: isinstance(v, str)).any():
            frame[column] = frame[column].map(lambda v: "" if v is None else _plain(v))
    return frame
