"""Text to numbers: the shared tokenising rules, vocabularies, one-hot and bag-of-words, n-grams."""
