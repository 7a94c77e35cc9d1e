"""Every Streamlit cache in one place (one module per subject, the background fits in their own),
each a wrapper around ``core`` calls. ``cache_resource`` holds large read-only objects shared by
all sessions (never mutate them); ``cache_data`` holds small results and returns copies.
``core`` modules are imported inside the wrappers, so a page pays only for what it uses (Home
must start in well under a second)."""
from dashboard.cache.data import (data_status, imdb_train_reviews, imdb_vocabulary, top_vocabulary, imdb_ngram_statistics, collision_curve, glove_space, lsi_space, ppmi_space, word2vec_space, moving_map, dense_embedding_exercise, imdb_embedding_matrix, corpus_numbers, samples_to_words)  # noqa: F401
from dashboard.cache.runs import (run_store, SNAPSHOT_TICK, snapshot, cluster_capacity, per_version, shared, warm_training, model_summary, train_cells, char_cells, trained_model, review_verdicts, review_explanation, classifier_space, char_file, char_generator, model_trace)  # noqa: F401
from dashboard.cache.inside import (small_stack, gradient_curve, residual_at_initialisation, imdb_bag, esn_forecasts, forecast_comparison)  # noqa: F401
from dashboard.cache.background import (ngram_job, head_to_head, ngram_text, residual_job, network_forecasts_job)  # noqa: F401
