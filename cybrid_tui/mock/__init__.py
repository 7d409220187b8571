"""Mock Cybrid backend."""
