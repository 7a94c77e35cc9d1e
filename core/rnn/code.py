"""Inside the RNN's code to take home: a word's letters stepped through a SimpleRNN or LSTM in
numpy (Keras's weight layout and gate order), beside Keras's own layers with the same weights,
as on the Unrolled tab: one layer, two in series, or one twice as wide."""
from __future__ import annotations

import inspect

from core.rnn import inside, recurrence

KINDS = ("simple_rnn", "lstm")


def unrolled_cells(kind: str, word: str, units: int, seed: int, arrangement: str) -> list:
    """Cells for the Unrolled tab's settings (``word``: its letters a–z are the steps)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    shapes = inside.stack_shapes(arrangement, units)
    letters = "".join(c for c in word.lower() if "a" <= c <= "z") or "sequence"
    layer = {"simple_rnn": "SimpleRNN", "lstm": "LSTM"}[kind]
    functions = [recurrence.sigmoid, recurrence.simple_rnn_step] if kind == "simple_rnn" else \
        [recurrence.sigmoid, recurrence.lstm_step, recurrence.lstm_update]
    source = "\n\n".join(inspect.getsource(f) for f in functions)
    if kind == "simple_rnn":
        loop = '''
                h = np.zeros((1, kernel.shape[1]))
                for t in range(len(inputs)):
                    h = simple_rnn_step(inputs[t:t + 1], h, kernel, recurrent, bias)
                    states.append(h[0])'''
    else:
        loop = '''
                h = c = np.zeros((1, kernel.shape[1] // 4))
                for t in range(len(inputs)):
                    h, c, gates = lstm_step(inputs[t:t + 1], h, c, kernel, recurrent, bias)
                    states.append(h[0])'''
    series = " in series (the second reads the first one's states)" if len(shapes) > 1 else ""
    return [
        ("markdown", f"""
            The word {letters!r}, one letter per step: each letter a one-hot vector of 26
            numbers. {arrangement.capitalize()}: {' then '.join(map(str, shapes))} units."""),
        ("code", f'''
            import numpy as np
            import keras

            letters = {letters!r}
            x = np.eye(26, dtype="float32")[[ord(c) - 97 for c in letters]]  # (steps, 26)
        '''),
        ("markdown", f"""
            Keras's {layer} layers{series}, seeded, returning the state h after every step."""),
        ("code", f'''
            keras.utils.set_random_seed({seed})
            inputs = keras.Input(shape=(None, 26))
            layers, h = [], inputs
            for units in {shapes!r}:
                layers.append(keras.layers.{layer}(units, return_sequences=True))
                h = layers[-1](h)
            model = keras.Model(inputs, h)
            keras_states = model.predict(x[None], verbose=0)[0]
            print(model.count_params(), "parameters")
        '''),
        ("markdown", """
            The same recurrence in numpy, one step at a time, with the layers' own weights
            (kernel W, recurrent matrix U, bias b, in Keras's layout and gate order)."""),
        ("code", source),
        ("code", f'''
            inputs = x
            for layer in layers:
                kernel, recurrent, bias = layer.get_weights()
                states = []{loop}
                inputs = np.array(states)
            print("largest difference from Keras:", np.abs(inputs - keras_states).max())
        '''),
    ]
