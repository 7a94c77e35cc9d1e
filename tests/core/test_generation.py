"""Temperature, sampling, stateful generation, the lecture's char data, uploads."""
from __future__ import annotations

import keras
import numpy as np
import pytest

from core.language import charlm, generation

P = np.array([0.5, 0.3, 0.2, 0.0])


def test_temperature_one_leaves_the_distribution_unchanged():
    assert np.allclose(generation.reweight_distribution(P, 1.0), P)


def test_small_temperature_approaches_one_hot_and_large_approaches_uniform():
    assert generation.reweight_distribution(P, 0.01)[0] > 0.999
    wide = generation.reweight_distribution(P, 1000.0)
    assert np.allclose(wide[:3], 1 / 3, atol=0.01) and wide[3] == 0.0  # zeros stay zero


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0, 2.0])
def test_output_sums_to_one_without_nan(t):
    out = generation.reweight_distribution(P, t)
    assert out.sum() == pytest.approx(1.0) and not np.isnan(out).any()


def test_zero_is_greedy():
    assert generation.reweight_distribution(P, 0).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert generation.sample(P, 0, np.random.default_rng(0)) == 0


@pytest.mark.parametrize("t", [-0.1, float("nan"), float("inf")])
def test_bad_temperatures_are_errors(t):
    with pytest.raises(ValueError, match="temperature must be a finite number >= 0"):
        generation.reweight_distribution(P, t)


def test_same_generator_seed_same_draws():
    a = [generation.sample(P, 1.0, rng) for rng in [np.random.default_rng(3)] for _ in range(20)]
    b = [generation.sample(P, 1.0, rng) for rng in [np.random.default_rng(3)] for _ in range(20)]
    assert a == b


def test_entropy_in_bits():
    assert generation.entropy_bits([0.5, 0.5, 0.0]) == pytest.approx(1.0)


CHARS = list("abcdefgh ")


@pytest.mark.parametrize("variant", charlm.VARIANTS)
def test_stateful_steps_equal_the_stateless_model(variant):
    keras.utils.set_random_seed(0)
    model = (charlm.build_fast_model(len(CHARS), 4, 6) if variant == "fast"
             else charlm.build_lecture_model(len(CHARS), 12, 6))
    gen = generation.StatefulGenerator(model, CHARS)
    prefix = "abc defgh ab"
    ids = charlm.encode(prefix, CHARS)[None, :]
    out = model.predict(ids, verbose=0)
    if variant == "fast":
        logits = out[0, -1]
        expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    else:
        expected = out[0]
    assert np.allclose(gen.prime(prefix), expected, atol=1e-6)


def test_generation_is_reproducible_and_prime_is_checked():
    keras.utils.set_random_seed(0)
    gen = generation.StatefulGenerator(charlm.build_fast_model(len(CHARS), 4, 6), CHARS)
    a = gen.generate("abc", 50, 0.8, np.random.default_rng(1))
    b = gen.generate("abc", 50, 0.8, np.random.default_rng(1))
    assert a[0] == b[0] and len(a[0]) == 50 and np.all((a[1] > 0) & (a[1] <= 1))
    with pytest.raises(ValueError, match="no character the model knows"):
        gen.prime("xyz")
    with pytest.raises(ValueError, match="empty"):
        gen.prime("")


def test_every_path_maps_unknown_characters_the_same_way():
    """An uploaded text's rare characters near its end once crashed the end-of-epoch sample."""
    with_marker = ["a", "b", " ", charlm.RARE]
    assert generation.to_alphabet("ab 😀世", with_marker) == ("ab " + charlm.RARE * 2, ["世", "😀"])
    assert generation.to_alphabet("ab 😀", ["a", "b", " "]) == ("ab ", ["😀"])
    assert generation.to_alphabet("abba", with_marker) == ("abba", [])
    keras.utils.set_random_seed(0)
    gen = generation.StatefulGenerator(charlm.build_fast_model(len(with_marker), 4, 6), with_marker)
    text, probs = gen.generate("héllo 😀 世界 مرحبا <b>bold</b>", 20, 0.5, np.random.default_rng(0))
    assert len(text) == 20 and set(text) <= set(with_marker)


def test_entropy_is_never_negative_zero():
    assert str(round(generation.entropy_bits([1.0, 0.0]), 2)) == "0.0"


def test_lecture_windows_and_fast_sequences():
    ids = np.arange(1000) % 7
    d = charlm.lecture_data(ids, 60, 3, 0.1)
    assert len(d["x_train"]) + len(d["x_val"]) == len(range(0, 1000 - 60, 3))
    assert (d["y_train"] == ids[np.arange(0, 1000 - 60, 3)[:len(d["y_train"])] + 60]).all()
    f = charlm.fast_data(ids, 100, 0.1)
    assert f["x_train"].shape == (8, 100) and (f["y_train"][0] == ids[1:101]).all()


def test_rare_characters_become_a_visible_marker():
    text = "aaaaabbbbbc"
    chars = charlm.alphabet(text, min_count=5)
    assert chars == ["a", "b", charlm.RARE]
    assert charlm.encode("abcz", chars).tolist() == [0, 1, 2, 2]


def test_uploads_are_utf8_capped_and_long_enough():
    text, cut = charlm.read_upload(("é" * 3000).encode())
    assert len(text) == 3000 and not cut
    _, cut = charlm.read_upload(b"x" * (charlm.MAX_UPLOAD_CHARS + 5))
    assert cut
    with pytest.raises(ValueError, match="not UTF-8"):
        charlm.read_upload(b"\xff\xfe" * 2000)
    with pytest.raises(ValueError, match="needs at least 2,000"):
        charlm.read_upload(b"short")


def test_greedy_loop_detection():
    assert generation.repeating_tail("xyz the the the the ") == "the "
    assert generation.repeating_tail("abcdefg") is None


def test_one_generator_serves_interleaved_samplers_without_copies():
    """The generator holds weights only: two samplers from one read state do not disturb
    each other (the lab once primed 7 times and copied a shared generator)."""
    keras.utils.set_random_seed(0)
    gen = generation.StatefulGenerator(charlm.build_fast_model(len(CHARS), 4, 6), CHARS)
    state = gen.read("abc de")
    alone = gen.sample_from(state, 30, 0.8, np.random.default_rng(3))[0]
    gen.sample_from(state, 30, 1.2, np.random.default_rng(9))  # another session, same state
    assert gen.sample_from(state, 30, 0.8, np.random.default_rng(3))[0] == alone
    assert gen.generate("abc de", 30, 0.8, np.random.default_rng(3))[0] == alone


def test_temperature_lab_reads_the_prime_once_and_compares_temperatures(monkeypatch):
    keras.utils.set_random_seed(0)
    gen = generation.StatefulGenerator(charlm.build_fast_model(len(CHARS), 4, 6), CHARS)
    reads = []
    original = gen.read
    monkeypatch.setattr(gen, "read", lambda text: reads.append(text) or original(text))
    lab = generation.temperature_lab(gen, "abc", 0.0, 40, seed=1, temperatures=(0.0, 1.0))
    assert reads == ["abc"] and set(lab.side_by_side) == {0.0, 1.0}
    assert lab.side_by_side[0.0] == lab.text and lab.reweighted.max() == 1.0
    assert np.isclose(lab.raw.sum(), 1.0) and len(lab.probs) == 40


def test_validation_carried_through_the_text_reads_as_one_pass_of_the_model():
    """bits_carried with one stream is the step-by-step reading of the whole text; with more
    streams, each part starts empty once, and the figure barely moves."""
    import keras
    import numpy as np

    from core.language import charlm
    from core.language.generation import StatefulGenerator

    keras.utils.set_random_seed(0)
    gen = StatefulGenerator(charlm.build_fast_model(12, 4, 8), list("abcdefghijkl"))
    ids = np.random.default_rng(0).integers(0, 12, 201)
    direct = -np.mean(np.log2(gen.probabilities_of("".join(gen.chars[i] for i in ids))))
    assert gen.bits_carried(ids, streams=1) == pytest.approx(direct, abs=1e-9)
    assert gen.bits_carried(ids, streams=4) == pytest.approx(direct, abs=0.02)


def test_a_char_run_logs_its_validation_with_the_state_carried(tmp_path):
    from dataclasses import asdict

    from core.language import charlm
    from core.runs import worker
    from core.runs.people import OPERATOR
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "t.txt").write_text("to be or not to be, that is it. " * 80)
    config = charlm.CharConfig(corpus="upload:t", units=8, embedding_dim=4, epochs=2, seq_len=20)
    run = store.create(charlm.KIND, asdict(config), owner=OPERATOR)
    assert worker.run_in_foreground(store, run, charlm.train_run) == "finished"
    epochs = store.metrics(run, "epoch")
    assert all(0 < e["val_bits_carried"] < 10 for e in epochs)
    assert store.get(run)["summary"]["val_bits_per_char"] == epochs[-1]["val_bits_carried"]
