"""What the mock bank stores, one module per resource (its records and the store that indexes them).

Each store is plain data plus the queries the routes need; `MockBackend` owns the stores, the lock around them
and anything that spans resources (a verification's completion moving its customer).
"""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> bytes:
    """Compact JSON; ASCII-escaped, so a lone surrogate a client sent in a string still encodes."""
    return json.dumps(value, separators=(",", ":")).encode()
