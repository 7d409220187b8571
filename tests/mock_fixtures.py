"""Fixtures that run the mock Cybrid backend (filled in by the mock work)."""
