"""Helpers for reading what AppTest rendered."""

from __future__ import annotations

import base64
import json

import numpy as np


def _decode(value):
    """Plotly 7 sends numeric arrays as {"dtype", "bdata"}; turn them back into lists."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:  # "7, 3" for a 7 x 3 matrix
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def chart_figures(at) -> list[dict]:
    """Every plotly chart on the page as a plain figure dict."""
    return [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def trace_named(figure: dict, name: str) -> dict:
    return next(trace for trace in figure["data"] if trace.get("name") == name)
