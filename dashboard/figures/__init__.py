"""Plotly figures as pure functions (data in, ``go.Figure`` out), so tests can check them: one
module per page, and what they share in ``base``."""
from dashboard.figures.base import PROJECTOR, for_projector  # noqa: F401
from dashboard.figures.text import (code_points, coverage, one_hot, bag_of_words, order_loss, ngram_explosion, collisions)  # noqa: F401
from dashboard.figures.embeddings import (scored_words, word_map, semantic_axis, coverage_rows, loss_curve, moving_map)  # noqa: F401
from dashboard.figures.training import (training_curves, accuracy_range, word_importance, attention)  # noqa: F401
from dashboard.figures.generate import (next_char_distribution, char_probabilities, bits_per_char, data_efficiency)  # noqa: F401
from dashboard.figures.inside import (gate_saturation, gradient_norms, state_heatmap, activation_strip, forecasts, reservoir_traces, layer_gradients)  # noqa: F401
from dashboard.figures.questions import tally_bars  # noqa: F401
