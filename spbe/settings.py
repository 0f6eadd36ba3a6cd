"""The dashboard's settings, each listed once: the environment variable that sets it, its default, what it does.

Read only at the top (the command line, spbe/ui and the pages), through `resolve`, at the time of the
call: everything below receives what it needs (the data folder, the admin hash) as an argument. The
README's "Settings" section lists every setting here, and a test keeps the two in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent  # the checkout: pages/, data/, .streamlit/


@dataclass(frozen=True)
class Setting:
    environment: str  # the variable that sets it
    default: str | None  # None: not set unless the environment sets it
    help: str


DATA = Setting(
    "SPBE_DATA_DIR",
    str(ROOT / "data"),
    "the data folder: reference tables, evaluation data and its imports (a server's own folder, so that "
    "imports never touch the checkout; a copy for tests)",
)
ADMIN_PASSWORD_HASH = Setting(
    "SPBE_ADMIN_PASSWORD_HASH",
    None,
    "the admin password hash (`python -m spbe hash-password`) that opens the import page; "
    "`admin_password_hash` in .streamlit/secrets.toml wins over it",
)
SETTINGS = (DATA, ADMIN_PASSWORD_HASH)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    admin_password_hash: str | None


def resolve(environ: Mapping[str, str] | None = None) -> Settings:
    """Every setting from the environment (the process's own unless given); an empty variable counts as unset."""
    environ = os.environ if environ is None else environ

    def value(setting: Setting) -> str | None:
        return environ.get(setting.environment) or setting.default

    # DATA has a default, so its value is never None
    return Settings(data_dir=Path(cast(str, value(DATA))), admin_password_hash=value(ADMIN_PASSWORD_HASH))
