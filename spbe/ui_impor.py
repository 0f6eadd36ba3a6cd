"""Streamlit glue of the import page: the admin hash from secrets, the process-wide login guard."""

from __future__ import annotations

import streamlit as st

from spbe import auth


def admin_hash() -> str | None:
    """From .streamlit/secrets.toml (admin_password_hash) or SPBE_ADMIN_PASSWORD_HASH."""

    def from_secrets() -> str | None:
        try:
            return st.secrets.get(auth.SECRET_NAME)
        except Exception:  # no secrets file at all: Streamlit raises instead of returning nothing
            return None

    return auth.configured_hash(from_secrets)


@st.cache_resource
def login_guard() -> auth.LoginGuard:
    """One guard per server process: a new browser tab must not reset the failure count."""
    return auth.LoginGuard()
