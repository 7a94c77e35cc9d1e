"""Sequence Lab's logic: data, text, embeddings, models, training and generation, no UI."""
