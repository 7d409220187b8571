"""Cybrid customer API: models, errors and the async client.

Nothing in this package imports Textual; the UI depends on it, never the reverse.
"""
