"""The mock's HTTP handlers, one module per resource; each exposes `routes()` for `app.py` to assemble."""
