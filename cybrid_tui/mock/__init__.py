"""A mock Cybrid backend: the identity and customer endpoints of Cybrid's Bank API, in memory.

`app.create_mock_app(config, clock=...)` builds the ASGI app (its `state.backend` is the `MockBackend`); it
runs in-process behind `httpx.ASGITransport` (the demo, most tests) or over HTTP through `server.py`
(`cybrid-tui mock-server`, loopback tests, benchmarks). Nothing here imports Textual, and this package's
`__init__` imports nothing, so `cli.add_arguments` stays cheap on the way to the app's first frame.
"""
