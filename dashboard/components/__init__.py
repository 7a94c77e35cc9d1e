"""Reusable pieces of pages: classroom mode and the Text-to-numbers views."""
