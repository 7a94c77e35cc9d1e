"""The page registry: the router and the tests both read it, so no page is left untested."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root (where streamlit_app.py is)
    title: str
    icon: str
    url_path: str
    teaches: str  # one line for the Home page
    needs_tensorflow: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard/pages/home.py", "Home", ":material/home:", "start",
             "What each page teaches, and which data sets are here."),
    PageSpec("dashboard/pages/text_numbers.py", "Text to numbers", ":material/text_fields:",
             "text", "Characters, tokens, vocabularies, one-hot and bag-of-words on real IMDB "
             "reviews; what word order and n-grams cost; the hashing trick."),
    PageSpec("dashboard/pages/embeddings.py", "Embeddings", ":material/scatter_plot:",
             "embeddings", "GloVe beside spaces learned from IMDB (LSI, PPMI, word2vec): nearest "
             "words, analogies, PCA maps, semantic axes, and why an Embedding is a Dense layer."),
    PageSpec("dashboard/pages/train.py", "Train & compare", ":material/monitoring:", "train",
             "The lecture's dense, GloVe, CNN, SimpleRNN, LSTM and GRU models trained live on "
             "IMDB: curves side by side, the cost of each, and what they make of your review.",
             needs_tensorflow=True),
    PageSpec("dashboard/pages/generate.py", "Generate text", ":material/edit_note:", "generate",
             "Char-level language models (the lecture's and a faster one) trained live on "
             "Nietzsche, Shakespeare or your text; temperature from greedy to wild, side by side.",
             needs_tensorflow=True),
    PageSpec("dashboard/pages/inside.py", "Inside the RNN", ":material/memory:", "inside",
             "The recurrence unrolled step by step, vanishing gradients measured live, gates of "
             "trained models at work, and time-delay and echo state networks on real series.",
             needs_tensorflow=True),
)


HOME_ALIAS = "home"  # a hidden route to the Home page: "/" and "/home" both open it

