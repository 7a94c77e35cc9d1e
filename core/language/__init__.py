"""Char-level language models: training them, and sampling from them with temperature."""
