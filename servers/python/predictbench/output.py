"""Response bodies as JSON bytes: orjson, with numpy's float32 written as the shortest decimal that
reads back as the same float32 (Java's Float.toString, so every stack writes the same digits)."""
from __future__ import annotations

import json

import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def dumps(body) -> bytes:
    try:
        return orjson.dumps(body, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # A lone surrogate from a JSON escape (a query or a field name echoed back) is no UTF-8:
        # the standard library writes it as the \\uXXXX escape it came in as.
        return json.dumps(body, default=_numpy, separators=(",", ":")).encode("ascii")


def _numpy(value):
    import numpy as np
    if isinstance(value, np.ndarray):
        return [float(str(x)) for x in value]
    if isinstance(value, np.floating):
        return float(str(value))
    raise TypeError(f"not JSON: {type(value)}")
