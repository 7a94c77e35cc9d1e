"""What every training job reports to the run store: true per-batch values, epochs, stop, divergence.

Keras 3 hands ``on_train_batch_end`` the *running mean since the epoch began* (weighted by the
samples in each batch), not that batch's loss. :class:`BatchMeans` turns those means back into
each batch's own value, so a per-batch curve neither sags through an epoch nor jumps at its
boundary. Keras is imported only when a callback object is made.
"""
from __future__ import annotations

import math
import time

BATCH_LOG_SECONDS = 0.25  # at most 4 batch records a second: cheap, and smooth enough to watch
STOP_POLL_SECONDS = 0.5  # how often the store is asked whether another process said stop
DIVERGE_FACTOR = 20.0  # a running loss this many times the first batch's loss has exploded


class BatchMeans:
    """Each batch's own value from Keras's running means.

    With ``n`` samples seen after batch ``b`` (0-based within the epoch) and running mean
    ``m_b``, the batch's value is ``(n_b * m_b - n_(b-1) * m_(b-1)) / (n_b - n_(b-1))``; a
    ragged last batch (fewer than ``batch_size`` samples) is weighted by its real size.
    """

    def __init__(self, batch_size: int, n_samples: int | None = None):
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.batch_size, self.n_samples = batch_size, n_samples
        self.previous: dict[str, float] = {}

    def seen(self, batches: int) -> int:
        """Samples seen after ``batches`` whole batches of this epoch."""
        n = batches * self.batch_size
        return min(n, self.n_samples) if self.n_samples else n

    def update(self, batch: int, means: dict[str, float]) -> dict[str, float]:
        """The values of batch ``batch`` (0-based in its epoch) from the running ``means``."""
        if batch == 0:
            self.previous = {}
        before, after = self.seen(batch), self.seen(batch + 1)
        if after <= before:  # more batches than n_samples allows: treat it as a full one
            after = before + self.batch_size
        values = {k: (m * after - self.previous.get(k, 0.0) * before) / (after - before)
                  for k, m in means.items()}
        self.previous = dict(means)
        return values


def divergence(loss: float, first_loss: float | None) -> str | None:
    """Why a run with running loss ``loss`` has diverged (None when it has not): the loss is
    NaN or infinite, or it grew to DIVERGE_FACTOR times the first batch's loss."""
    if not math.isfinite(loss):
        return (f"the loss became {loss} (not a number): the updates blew the weights up. "
                "Lower the learning rate.")
    if first_loss and first_loss > 0 and loss > DIVERGE_FACTOR * first_loss:
        return (f"the loss exploded to {loss:.3g} ({loss / first_loss:.0f}x its first value, "
                f"{first_loss:.3g}). Lower the learning rate.")
    return None


def finite_floats(logs) -> dict[str, float]:
    """The finite numbers of a Keras ``logs`` dict as plain floats."""
    out = {}
    for key, value in (logs or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            out[key] = number
    return out


def epoch_record(logs, seconds: float, samples: int, n_train: int, batches: int, epoch: int,
                 epoch_x: float) -> dict:
    """One epoch's record: Keras's logs as floats, time and throughput; an epoch cut short by
    Stop is ``partial``, placed at ``epoch_x`` and counts only the samples it trained on."""
    cut = samples < n_train
    return {**finite_floats(logs), "seconds": seconds, "samples": samples,
            "samples_per_s": samples / seconds, "batches": batches,
            "epoch_x": epoch_x if cut else epoch + 1.0, **({"partial": 1.0} if cut else {})}


def store_metrics(store, run_id: int, n_train: int, batch_size: int, stop_flag=None):
    """A Keras callback writing run ``run_id``'s batch and epoch metrics to ``store``."""
    import keras

    class StoreMetrics(keras.callbacks.Callback):
        """Batch records (true per-batch values, at most 4 a second, with ``epoch_x``: the
        position in epochs, 0.5 = half-way through the first, and ``train_s``: the run's own
        training seconds so far, as its epochs' ``seconds`` add up), one record per epoch (cut short
        by Stop: ``partial``), stop within one batch, and divergence detection."""

        def __init__(self):
            super().__init__()
            self.means = BatchMeans(batch_size, n_train)
            self.stop_flag = stop_flag or (lambda: False)
            self.step, self.last_log, self.last_poll = 0, 0.0, 0.0
            self.first_loss: float | None = None
            self.diverged: str | None = None
            self.epoch_x = 0.0
            self.train_seconds = 0.0  # its own training time over the epochs before this one

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch, self.epoch_start, self.epoch_batches = epoch, time.perf_counter(), 0

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            self.epoch_batches += 1
            steps = (self.params or {}).get("steps") or -(-n_train // batch_size)
            self.epoch_x = self.epoch + min(1.0, (batch + 1) / steps)
            loss = float((logs or {}).get("loss", 0.0))
            values = self.means.update(batch, finite_floats(logs))
            self.first_loss = self.first_loss or values.get("loss")
            now = time.perf_counter()
            if now - self.last_log >= BATCH_LOG_SECONDS or self.step == 1:
                self.last_log = now
                store.log(run_id, "batch", self.step, {
                    **finite_floats(values), "epoch_x": self.epoch_x,
                    "train_s": self.train_seconds + now - self.epoch_start})
            self.diverged = self.diverged or divergence(loss, self.first_loss)
            if self.diverged or self.stop_flag() or (
                    now - self.last_poll >= STOP_POLL_SECONDS and self._store_says_stop(now)):
                self.model.stop_training = True

        def _store_says_stop(self, now: float) -> bool:
            self.last_poll = now
            return store.stop_requested(run_id)

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.epoch_start
            self.train_seconds += seconds
            store.log(run_id, "epoch", epoch + 1, epoch_record(
                logs, seconds,
                min(self.epoch_batches * batch_size, n_train), n_train, self.step, epoch,
                self.epoch_x))

    return StoreMetrics()


def progress_reporter(total: int, report, should_stop, means: BatchMeans, every: int = 50):
    """A Keras callback for jobs that report progress rather than epochs (word2vec): the loss
    of every ``every``-th batch (that batch's own) as ``report(step, total, loss)``, and a stop
    within one batch when ``should_stop()`` says so."""
    import keras

    class Progress(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.step = 0

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            values = means.update(batch, finite_floats(logs))
            if report and (self.step % every == 0 or self.step == total):
                report(self.step, total, values.get("loss", float("nan")))
            if should_stop and should_stop():
                self.model.stop_training = True

    return Progress()


def share_turns(shares):
    """A Keras callback that hands the machine on to waiting runs (``shares``: a
    ``worker.Shares``) after every epoch and within a long one; a run asked to stop while it
    waited stops."""
    import keras

    class ShareTurns(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if not shares.tick():
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            if not shares.now():
                self.model.stop_training = True

    return ShareTurns()


def best_weights(monitor: str = "val_accuracy"):
    """A Keras callback keeping the weights (and epoch, 1-based) of the best ``monitor`` seen,
    so a run can be scored on test at its best validation epoch as well as after its last."""
    import keras

    class BestWeights(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.best, self.epoch, self.weights = float("-inf"), None, None

        def on_epoch_end(self, epoch, logs=None):
            value = finite_floats(logs).get(monitor)
            if value is not None and value > self.best:
                self.best, self.epoch = value, epoch + 1
                self.weights = [w.copy() for w in self.model.get_weights()]

    return BestWeights()


def validate_unless_stopped(validation):
    """A Keras callback doing ``fit``'s validation itself, at the end of each epoch that was not
    stopped: Keras validates a stopped epoch too, a full pass a class waits for after Stop.
    ``validation`` is ``(x, y)`` or a dataset; put it first so the others see ``val_*``."""
    import keras

    class Validate(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if self.model.stop_training or logs is None:
                return
            data = validation if isinstance(validation, tuple) else (validation,)
            kwargs = {"batch_size": 512} if isinstance(validation, tuple) else {}
            scores = self.model.evaluate(*data, verbose=0, return_dict=True, **kwargs)
            logs.update({f"val_{name}": value for name, value in scores.items()})

    return Validate()
