"""Words as vectors: exact search in a space, GloVe, spaces learned from IMDB (LSI, PPMI,
word2vec), and the Dense = Embedding exercise."""
from core.embeddings.space import METRICS, EmbeddingSpace, embedding_matrix, neighbour_overlap

__all__ = ["METRICS", "EmbeddingSpace", "embedding_matrix", "neighbour_overlap"]
