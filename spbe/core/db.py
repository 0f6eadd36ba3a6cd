"""DuckDB connections that never reach the network.

Extensions that would be downloaded (spatial, excel, httpfs) must fail at once offline
instead of hanging on a download, so autoloading is switched off everywhere.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

OFFLINE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect(database: str | Path = ":memory:", *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(database), read_only=read_only, config=dict(OFFLINE_CONFIG))
    con.execute("SET enable_progress_bar = false")  # it would draw on the terminal of CLI users
    return con
