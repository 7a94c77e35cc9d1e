"""Sentiment classifiers on IMDB: the lecture's architectures, training them into the run
store, and using a trained one on new text."""
