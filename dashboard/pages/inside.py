"""Inside the RNN: the recurrence unrolled, vanishing gradients, gates at work, TDNN and ESN."""
import streamlit as st

from core.classify.inference import TRACE_WORDS
from core.data import datasets, series
from core.language.generation import TRACE_CHARS
from core.rnn import inside, residual
from dashboard import state
from dashboard.components import code_views
from dashboard.components import inside_fits
from dashboard.components import inside_views as views
from dashboard.components.classroom import classroom_on
from dashboard.components.controls import used_text
from dashboard.components.questions import questions

st.title("Inside the RNN")
st.caption("Why recurrent networks work and where they fail: the loop unrolled, gradients "
           "that vanish through time, gates that decide what to keep, and two older ideas on "
           "real series.")
classroom = classroom_on()

# Only the open tab runs (a tab switch reruns the page): a visit does not start the residual
# stacks' training or the forecasts' fits until their tab is opened.
TABS = ["Unrolled", "Vanishing gradients", "Residual connections", "Gates & states",
        "Time-delay & echo state"]
tabs = st.tabs(TABS, key="inside.tab", on_change="rerun")
with tabs[0]:
    if tabs[0].open:
        c1, c2, c3, c4 = st.columns(4)
        kind = c1.radio("Layer", ["simple_rnn", "lstm"], key="inside.kind", horizontal=True,
                        help="h_t = tanh(W x_t + U h_(t−1) + b), or the LSTM with its gates and "
                             "carry.")
        units = c2.slider("Units", 2, 8, 4, key="inside.units", help="Size of the state h.")
        seed = int(c3.number_input("Weights seed", 0, 1000, 0, key="inside.seed",
                                   help="Another random initialisation."))
        arrangement = c4.radio("Layers", inside.ARRANGEMENTS, key="inside.arrangement",
                               help="One layer; two in series (layer 2 reads layer 1's states); or "
                                    "one layer with twice the units, side by side (in parallel).")
        state.from_link("inside.word", "letters", state.capped(40))
        word = st.text_input("A short word (one letter per step)", "sequence", key="inside.word",
                             max_chars=40, help="Up to 12 letters a–z, each one-hot.")
        state.to_link("letters", word, "sequence")
        views.unrolled(kind, word, units, seed, arrangement)
        if not classroom:
            with st.expander("Code for this view (.py, .ipynb)"):
                code_views.unrolled_code(kind, word, units, seed, arrangement)
with tabs[1]:
    if tabs[1].open:
        c1, c2, c3 = st.columns(3)
        length = c1.slider("Sequence length", 5, 200, 100, key="inside.length",
                           help="How many steps back the gradient has to travel.")
        scale = c2.slider("Recurrent weight scale", 0.1, 3.0, 1.0, 0.1, key="inside.scale",
                          help="Multiplies the recurrent matrix U before the gradients are "
                               "computed.")
        source = c3.radio("Weights", views.SOURCES, key="inside.source", horizontal=True,
                          help="Keras's initialisation with the gates that keep the past pushed "
                               "open, as it is, or the recurrent layers trained on Train & compare "
                               "(fed a real review).")
        views.gradients(length, scale, source)
with tabs[2]:
    if tabs[2].open:
        c1, c2 = st.columns(2)
        depth = c1.slider("Depth (hidden layers)", 2, 60, 30, key="inside.depth",
                          help="How many layers the gradient has to pass on its way down.")
        activation = c2.radio("Activation", residual.ACTIVATIONS, key="inside.activation",
                              horizontal=True, help="sigmoid's derivative is at most 1/4; "
                                                    "tanh's at most 1; relu's 0 or 1.")
        inside_fits.residual(depth, activation)
with tabs[3]:
    if tabs[3].open:
        sources = views.model_sources()
        if not sources:
            st.info("Train a recurrent model first (an LSTM/GRU/SimpleRNN on Train & compare, "
                    "or a language model on Generate text); then look inside it here.")
        else:
            label = st.selectbox("Model", list(sources), key="inside.model!",
                                 help="A finished model from the other pages.")
            text = used_text(st.text_area("Text", "the truth is that nothing was ever quite "
                                          "what it seemed.", key="inside.text",
                                          help=f"What the model reads: a language model its "
                                               f"first {TRACE_CHARS:,} characters, a Train & "
                                               f"compare model its first {TRACE_WORDS} words."),
                             TRACE_CHARS)
            views.states(sources[label], text)
with tabs[4]:
    if tabs[4].open:
        names = list(series.SERIES)
        name = st.selectbox("Series", names, key="inside.series",
                            format_func=lambda n: series.SERIES[n][2],
                            help="Real series from the data mirror.")
        c1, c2 = st.columns(2)
        test_share = c1.slider("Held-out end", 0.1, 0.4, 0.2, 0.05, key="inside.test",
                               help="Share of the series, at its end, that no model sees in "
                                    "training.")
        delay = c2.slider("Window d (past values)", 1, 200, 12, key="inside.delay",
                          help="Values the time-delay network and the GRU see before predicting.")
        with st.expander("Echo state network", expanded=not classroom):
            a, b, c, d, e = st.columns(5)
            esn = {"units": a.number_input("Reservoir units", 0, 2000, 300, key="inside.esn_units",
                                           help="Neurons in the fixed random reservoir."),
                   "spectral_radius": b.number_input("Spectral radius", 0.0, 3.0, 0.9, 0.05,
                                                     key="inside.esn_radius",
                                                     help="Largest |eigenvalue| of the "
                                                          "recurrent weights."),
                   "leak": c.slider("Leak rate", 0.05, 1.0, 0.3, key="inside.esn_leak",
                                    help="How fast the state moves (1: no leaky memory)."),
                   "input_scaling": d.slider("Input scaling", 0.05, 2.0, 0.5, key="inside.esn_in",
                                             help="Strength of the input weights."),
                   "density": e.slider("Density", 0.01, 1.0, 0.1, key="inside.esn_density",
                                       help="Share of non-zero recurrent weights.")}
        try:
            inside_fits.forecasting(name, test_share, delay, esn)
        except datasets.DatasetUnavailable as error:
            st.error(f"This series is not on the machine. {error}")

questions("inside")  # predict, then see: the questions of this page
