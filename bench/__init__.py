"""Benchmarks for issue 6: `python -m bench` (or `--quick`) measures every target beside its baseline.

Every heavy measurement runs in its own process (the mock server too), so nothing measured shares a GIL or a
heap with the harness, and memory figures belong to the process that holds the table.
"""
