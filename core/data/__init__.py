"""The lecture's real data sets: where each file is (cache, mirror, official source), their
checksums, and the loaders that turn them into arrays (IMDB, texts, GloVe's file, series)."""
