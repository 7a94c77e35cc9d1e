"""Sequence Lab's Streamlit front end: pages, components, caching and state."""
