"""Code to take home: a view's steps as cells (Markdown saying what a step teaches, then its
code), written out as a plain ``.py`` script or a Jupyter notebook (nbformat 4 JSON, built
here: writing one needs no package); and a Keras model written out as the code that builds it
(its layers, their settings that differ from Keras's defaults, and how they are wired)."""
from __future__ import annotations

import inspect
import json
import textwrap

Cell = tuple[str, str]  # ("markdown" | "code", text)
LOCAL_COPY_LINE = "LOCAL_COPY = None"  # each view's code has this one line for a local copy

# IMDB's raw reviews from Stanford's archive (checked by its md5), or a local copy in an .npz
# of plain strings and integers: train_texts, train_labels, test_texts, test_labels.
IMDB_TEXTS = """
import numpy as np

LOCAL_COPY = None  # <- or an .npz with train_texts, train_labels, test_texts, test_labels
if LOCAL_COPY:
    with np.load(LOCAL_COPY) as f:  # plain strings and integers (no pickle)
        train_texts, test_texts = list(f["train_texts"]), list(f["test_texts"])
        train_labels, test_labels = f["train_labels"], f["test_labels"]
else:  # Stanford's archive (84 MB), checked by its md5
    import hashlib, pathlib, tarfile, urllib.request
    archive = pathlib.Path("aclImdb_v1.tar.gz")
    if not archive.exists():
        urllib.request.urlretrieve(
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", archive)
    assert hashlib.md5(archive.read_bytes()).hexdigest() == "7c2ac02c03563afcf9b574c7e56c153a"
    reviews = {"train": [], "test": []}
    with tarfile.open(archive) as tar:
        for member in tar:
            parts = member.name.split("/")  # aclImdb/train/pos/123_9.txt
            if len(parts) == 4 and parts[2] in ("pos", "neg") and member.isfile():
                text = tar.extractfile(member).read().decode("utf-8")
                reviews[parts[1]].append((text, int(parts[2] == "pos")))
    train_texts, train_labels = map(list, zip(*reviews["train"]))
    test_texts, test_labels = map(list, zip(*reviews["test"]))
train_labels, test_labels = np.asarray(train_labels), np.asarray(test_labels)
"""


def script(title: str, cells: list[Cell]) -> str:
    """The cells as one Python file: Markdown as comments above its code."""
    out = [f'"""{title}"""']
    for kind, text in cells:
        if kind == "markdown":
            out.append("\n".join("# " + line if line else "#"
                                 for line in textwrap.dedent(text).strip().splitlines()))
        else:
            out.append(textwrap.dedent(text).strip() + "\n")
    return "\n\n".join(out).rstrip() + "\n"


def notebook(title: str, cells: list[Cell]) -> str:
    """The cells as a Jupyter notebook (``.ipynb`` JSON, Python 3 kernel)."""
    def source(text: str) -> list[str]:
        return textwrap.dedent(text).strip().splitlines(keepends=True)

    built = [{"cell_type": "markdown", "id": "title", "metadata": {},
              "source": source(f"# {title}")}]
    for i, (kind, text) in enumerate(cells, start=1):
        cell = {"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": source(text)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        built.append(cell)
    return json.dumps({
        "cells": built, "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "language_info": {"name": "python"}}}, indent=1) + "\n"


_SKIP = {"name", "dtype", "trainable"}  # written separately, or never needed


def _value(value) -> str:
    if isinstance(value, dict):  # a serialised Keras object (an initializer, a layer)
        return f"keras.saving.deserialize_keras_object({value!r})"
    return repr(tuple(value) if isinstance(value, list) else value)


def _changed(layer) -> dict:
    """The layer's settings that differ from a new layer of its class with the same required
    arguments (what a person would write)."""
    config = layer.get_config()
    required = [name for name, p in inspect.signature(type(layer).__init__).parameters.items()
                if p.default is p.empty and name != "self"
                and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    if "layer" in required:  # a wrapper (Bidirectional): its inner layer, written as code
        return {"layer": config["layer"], **({"merge_mode": config["merge_mode"]}
                                             if config.get("merge_mode") != "concat" else {})}
    try:
        default = type(layer)(**{name: config[name] for name in required}).get_config()
    except (TypeError, ValueError):  # a size that is optional in the signature, but needed
        return {k: v for k, v in config.items() if k not in _SKIP and not isinstance(v, dict)}
    return {k: v for k, v in config.items()
            if k not in _SKIP and (k in required or default.get(k) != v)}


def layer_code(layer) -> str:
    """``layers.Kind(args…, name=…)`` for one layer (our own layers by their class name)."""
    import keras

    changed = _changed(layer)
    args = []
    for key, value in changed.items():
        if key == "layer":
            args.append(f"layer={layer_code(keras.layers.deserialize(value))}")
        else:
            args.append(f"{key}={_value(value)}")
    if not layer.trainable:
        args.append("trainable=False")
    args.append(f"name={layer.name!r}")
    module = "layers." if type(layer).__module__.startswith("keras") else ""
    return f"{module}{type(layer).__name__}({', '.join(args)})"


def _name(tensor, names: dict) -> str:
    return names[tensor._keras_history.operation.name]


def model_code(model) -> list[str]:
    """Lines that build ``model`` (functional or Sequential) as a Keras functional model
    named ``model``."""
    names, lines = {}, []
    for tensor in model.inputs:  # a Sequential model's layers do not list its Input
        layer = tensor._keras_history.operation
        if layer not in model.layers:
            names[layer.name] = layer.name
            lines.append(f"{layer.name} = keras.Input(shape={tuple(tensor.shape[1:])!r}, "
                         f"dtype={tensor.dtype!r}, name={layer.name!r})")
    for layer in model.layers:
        var = layer.name.replace("-", "_")
        names[layer.name] = var
        if type(layer).__name__ == "InputLayer":
            shape = tuple(layer.batch_shape[1:])
            lines.append(f"{var} = keras.Input(shape={shape!r}, dtype={layer.dtype!r}, "
                         f"name={layer.name!r})")
            continue
        node = layer._inbound_nodes[0]
        args = [f"[{', '.join(_name(t, names) for t in a)}]" if isinstance(a, (list, tuple))
                else _name(a, names) for a in node.arguments.args]
        lines.append(f"{var} = {layer_code(layer)}({', '.join(args)})")
    outputs = model.outputs[0]
    lines.append(f"model = keras.Model({_name(model.inputs[0], names)}, "
                 f"{_name(outputs, names)}, name={model.name!r})")
    return lines


def own_layers(model) -> list[str]:
    """The source of the layers ``model`` uses that are not Keras's own (they must need only
    keras: the lab's do)."""
    own = {type(layer) for layer in model.layers if not type(layer).__module__.startswith("keras")}
    return [inspect.getsource(cls) for cls in sorted(own, key=lambda c: c.__name__)]
