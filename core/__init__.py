"""Sequence Lab's logic: data, text, embeddings, models, training and generation, no UI."""
import os

# TensorFlow prints a dozen start-up lines (oneDNN, CPU features, cuda) to stderr on import:
# noise on a projected terminal and in the server log. Errors still get through.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
