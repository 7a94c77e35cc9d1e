"""The lecture's models: exact parameter counts, validation, fitting, masking, determinism."""
from __future__ import annotations

import dataclasses

import keras
import numpy as np
import pytest

from core.classify import costs, models


# Counted by hand: e.g. kim_cnn = 10,000 x 128 embedding + (3 + 4 + 5) x 128 x 100 + 3 x 100
# conv + 301 output; wide_lstm's 50 units spend the 16,640 recurrent weights of stacked_lstm's
# two 32-unit layers (16,600) on width.
BUILT = [k for k, a in models.ARCHITECTURES.items() if a.fit is None]  # by build_model; the
# others (scikit-learn, the Keras bag of bigrams) bring their own fit
NEW_PARAMS = {"kim_cnn": 1434201, "stacked_lstm": 336673, "wide_lstm": 336651,
              "bidirectional_lstm": 336705, "transformer": 336097}


@pytest.mark.parametrize("kind", BUILT)
def test_presets_have_exact_parameter_counts(kind):
    model = models.build_from_config(models.PRESETS[kind])
    assert model.count_params() == {**models.LECTURE_PARAMS, **NEW_PARAMS}[kind]


def test_every_kind_says_what_it_teaches():
    assert all(len(models.ARCHITECTURES[k].teaches) > 30 for k in models.KINDS)


def test_recurrent_dropout_is_an_option_of_the_recurrent_kinds():
    model = models.build_from_config(models.preset("gru", recurrent_dropout=0.25))
    assert model.get_layer("recurrent").recurrent_dropout == 0.25
    with pytest.raises(ValueError, match="recurrent_dropout must be in"):
        models.preset("lstm", recurrent_dropout=1.0)


def test_a_saved_transformer_loads_in_safe_mode(tmp_path, monkeypatch):
    from core.classify import inference

    monkeypatch.setenv("SEQLAB_RUNS_DIR", str(tmp_path))
    model = _tiny("transformer")
    x = np.random.default_rng(0).integers(0, 50, size=(4, 60)).astype("int32")
    path = tmp_path / "models" / "run-1.keras"
    path.parent.mkdir()
    model.save(path)
    again = inference.load_trained(path)
    assert np.allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_glove_dense_at_50d_and_its_frozen_embedding():
    config = models.preset("glove_dense", embedding_dim=50)
    matrix = np.random.default_rng(0).normal(size=(10000, 50)).astype("float32")
    model = models.build_from_config(config, matrix)
    assert model.count_params() == 500000 + 5000 * 32 + 32 + 33
    assert not model.get_layer("embedding").trainable
    assert np.allclose(model.get_layer("embedding").get_weights()[0], matrix)


@pytest.mark.parametrize("change, message", [
    ({"epochs": 0}, "epochs must be >= 1, got 0"),
    ({"batch_size": 30000}, "larger than the"),
    ({"maxlen": 0}, "maxlen must be >= 1"),
    ({"num_words": 2}, "num_words must be >= 5"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of"),
    ({"learning_rate": 0.0}, "learning_rate must be in"),
    ({"validation_split": 0.95}, "validation_split must be in"),
])
def test_bad_settings_are_refused_with_the_value(change, message):
    with pytest.raises(ValueError, match=message):
        models.preset("lstm", **change)


def test_cnn_needs_room_for_its_convolutions():
    with pytest.raises(ValueError, match="maxlen >= 41"):
        models.preset("cnn", maxlen=1)
    models.preset("lstm", maxlen=1)  # a recurrent model reads even one word


def _tiny(kind):
    config = dataclasses.replace(models.PRESETS[kind], num_words=50, maxlen=60,
                                 embedding_dim=50 if kind == "glove_dense" else 8, units=4)
    matrix = np.zeros((50, 50), "float32") if kind == "glove_dense" else None
    return models.build_from_config(config, matrix)


@pytest.mark.parametrize("kind", BUILT)
def test_each_kind_fits_one_epoch_on_tiny_data(kind):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 50, size=(32, 60)).astype("int32"), rng.integers(0, 2, 32)
    model = _tiny(kind)
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_same_seed_same_curve():
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 50, size=(64, 60)).astype("int32"), rng.integers(0, 2, 64)
    losses = []
    for _ in range(2):
        keras.utils.set_random_seed(0)
        model = _tiny("gru")
        model.compile(optimizer="rmsprop", loss="binary_crossentropy")
        losses.append(model.fit(x, y, epochs=2, batch_size=16, verbose=0).history["loss"])
    assert losses[0] == losses[1]


def test_masking_makes_extra_padding_invisible():
    keras.utils.set_random_seed(0)
    short = models.build_model("lstm", num_words=50, maxlen=10, embedding_dim=8, units=4,
                               mask_zero=True)
    long = models.build_model("lstm", num_words=50, maxlen=30, embedding_dim=8, units=4,
                              mask_zero=True)
    long.set_weights(short.get_weights())
    review = [1, 14, 22, 7, 9]
    a = np.array([[0] * 5 + review], "int32")
    b = np.array([[0] * 25 + review], "int32")
    assert np.allclose(short.predict(a, verbose=0), long.predict(b, verbose=0), atol=1e-6)


def test_glove_size_falls_back_to_one_this_machine_has(monkeypatch):
    from core.embeddings import glove

    monkeypatch.setattr(glove, "glove_available", lambda d: d == 50)
    config, note = models.with_available_glove(models.preset("glove_dense"))
    assert config.embedding_dim == 50 and "100d is not on this machine; 50d stands in" in note
    same, none = models.with_available_glove(models.preset("lstm"))
    assert none is None and same == models.preset("lstm")


@pytest.mark.parametrize("kind", ["simple_rnn", "lstm", "gru"])
def test_the_fast_option_changes_speed_not_maths(kind):
    """XLA (jit_compile) gives the plain model's outputs and updates, to float rounding."""
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 50, size=(16, 60)).astype("int32"), rng.integers(0, 2, 16)
    outputs = []
    for jit in (False, True):
        keras.utils.set_random_seed(0)
        model = _tiny(kind)
        model.compile(optimizer="rmsprop", loss="binary_crossentropy", jit_compile=jit)
        for _ in range(3):
            model.train_on_batch(x, y)
        outputs.append(model.predict(x, batch_size=16, verbose=0))
    np.testing.assert_allclose(outputs[0], outputs[1], atol=1e-5)


def test_a_run_says_how_it_trained():
    assert costs.trained_with({"kind": "lstm", "fast": True}) == "buckets + mask + xla"
    assert costs.trained_with({"kind": "cnn", "fast": True}) == "buckets"
    assert costs.trained_with({"kind": "dense", "fast": True}) == "plain fit"
    assert costs.trained_with({"kind": "bow_logreg"}) == "scikit-learn"
    assert costs.trained_with({"kind": "gone"}) == "—"
    assert costs.trained_with({"kind": "lstm", "maxlen": -1}) == "—"
