"""Where the project's files live, resolved from this package so any working directory works.

SPBE_DATA_DIR points the dashboard at another data folder (a copy for tests, or a server's
own folder whose imports must not touch the checkout).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SPBE_DATA_DIR") or ROOT / "data")
REFERENCE_DIR = DATA_DIR / "reference"
