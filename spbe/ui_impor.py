"""Streamlit glue of the import page: the admin hash from secrets, the process-wide login guard, who is logging in."""

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


def login_guard() -> auth.LoginGuard:
    """The guard of the server process; never a Streamlit cache, which any client can clear."""
    return auth.PROCESS_GUARD


def client_address() -> str:
    """Who is logging in, for the per-client lockout.

    Streamlit gives no address for a peer on loopback: that is a local user or the reverse proxy of the
    README, whose X-Forwarded-For then names the client (its last entry: the one the proxy added itself).
    A local user forging the header only moves to another per-client count; the global limit still holds.
    """
    if (address := st.context.ip_address) is not None:
        return address
    forwarded = st.context.headers.get("X-Forwarded-For") or ""
    return forwarded.split(",")[-1].strip() or "localhost"
