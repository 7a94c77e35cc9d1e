"""The runs' colours, chosen to stay apart for the common colour-vision deficiencies, and the
markers that tell runs apart without colour (issue 32).

How far apart is measured, not assumed: each colour is seen as a deuteranope and a protanope
would see it (Machado, Oliveira and Fernandes 2009, severity 1, in linear sRGB), and pairs are
compared by CIEDE2000 in CIELAB (D65). ``tests/dashboard/test_palette.py`` checks the first
``len(RUN_COLOURS)`` against ``MIN_DELTA_E`` for normal vision and both simulations, and each
colour against white (3:1, what WCAG 1.4.11 asks of lines and markers)."""
from __future__ import annotations

import numpy as np

# The first five are Okabe and Ito's (those of their eight at least 3:1 against white); the
# other seven were added one at a time from a 15-step grid of sRGB, each the colour farthest
# (CIEDE2000, the smallest over normal vision, deuteranopia and protanopia) from those already
# chosen, among colours at least 3:1 against white. Their smallest differences: 13.8 (normal),
# 14.0 (deuteranopia), 12.2 (protanopia). Plotly's Dark24, the lab's colours before: 9.3, 0.6
# (its 2nd and 4th runs, pink and red, the same to a deuteranope) and 4.8.
RUN_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#000069",
               "#960000", "#4b5a5a", "#3c96ff", "#1e00d2", "#2d2d3c", "#5a694b")
MIN_DELTA_E = 12.0  # the smallest CIEDE2000 allowed between two of them, in every vision
# (about 2 is a just noticeable difference; above 10, colours read as different colours)
# A run's marker, by its place, so that runs differ by shape too, not by colour alone (within a
# run, the line's style tells training (dotted) from validation (solid)).
RUN_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross",
               "triangle-down", "pentagon", "hexagon", "hourglass", "bowtie")

_MACHADO = {  # severity 1.0, linear RGB
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
VISIONS = ("normal", *_MACHADO)


def run_style(i: int) -> dict:
    """The ``i``-th run's colour and marker symbol: no two of the first 144 runs share both
    (after twelve, the symbols shift by one against the colours)."""
    return {"color": RUN_COLOURS[i % len(RUN_COLOURS)],
            "symbol": RUN_SYMBOLS[(i + i // len(RUN_COLOURS)) % len(RUN_SYMBOLS)]}


def _rgb(hexes) -> np.ndarray:
    return np.array([[int(h[k:k + 2], 16) / 255 for k in (1, 3, 5)] for h in hexes])


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def seen(hexes, vision: str = "normal") -> np.ndarray:
    """The colours in linear sRGB as seen with ``vision`` (one of ``VISIONS``)."""
    lin = _linear(_rgb(hexes))
    return lin if vision == "normal" else np.clip(lin @ _MACHADO[vision].T, 0, 1)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """Linear sRGB to CIELAB (D65)."""
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear_rgb @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)


def delta_e2000(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """CIEDE2000 between rows of CIELAB ``a`` and ``b`` (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = a.T
    l2, a2, b2 = b.T
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(c1p * c2p == 0, 0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dhh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(c1p * c2p == 0, h_sum,
                     np.where(np.abs(h1p - h2p) <= 180, h_sum / 2,
                              np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    rc = 2 * np.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    rt = -np.sin(np.radians(2 * d_theta)) * rc
    return np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def smallest_difference(hexes, vision: str = "normal") -> tuple[float, tuple[str, str]]:
    """The smallest CIEDE2000 between two of ``hexes`` seen with ``vision``, and that pair."""
    points = lab(seen(hexes, vision))
    i, j = np.triu_indices(len(hexes), 1)
    d = delta_e2000(points[i], points[j])
    k = int(np.argmin(d))
    return float(d[k]), (hexes[i[k]], hexes[j[k]])


def contrast_with_white(hexes) -> np.ndarray:
    """Each colour's WCAG contrast ratio against white."""
    y = _linear(_rgb(hexes)) @ np.array([0.2126, 0.7152, 0.0722])
    return 1.05 / (y + 0.05)
