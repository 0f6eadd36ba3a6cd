"""Helpers for reading what AppTest rendered, and for running the command line on a data folder."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from spbe.settings import DATA, ROOT


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


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m spbe ARGS` over the given data folder, as an admin would run it."""
    return subprocess.run(
        [sys.executable, "-m", "spbe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, DATA.environment: str(data_dir)},
    )
