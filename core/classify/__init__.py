"""Sentiment classifiers on IMDB: the architecture registry (networks and classical baselines),
training them into the run store, and using a trained one on new text."""
from core.classify import baselines  # noqa: F401  (registers the bag-of-words kinds)
