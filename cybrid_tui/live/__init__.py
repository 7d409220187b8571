"""The live data layer behind the customers table: rows, the store (filter, sort, counters) and the refresher.

Pure Python, no Textual. `rows` and `store` are on the path to the first frame and stay free of pydantic and
httpx; import `cybrid_tui.live.refresher` only where the client is used.
"""
