"""Streamlit glue of the import page: the admin hash from secrets, the process-wide login guard, who is logging in."""

from __future__ import annotations

import hashlib

import streamlit as st

from spbe import auth, settings
from spbe.data.importer import ImportRejected, ParsedFile, parse_files
from spbe.data.registry import read_registry, registry_path
from spbe.model.framework import load_frameworks

_PARSED = "impor_terbaca"  # ((sha256, file name) of each file, year) -> ParsedFile or ImportRejected of this session


def admin_hash() -> str | None:
    """From .streamlit/secrets.toml (admin_password_hash) or SPBE_ADMIN_PASSWORD_HASH."""

    def from_secrets() -> str | None:
        try:
            return st.secrets.get(auth.SECRET_NAME)
        except Exception:  # no secrets file at all: Streamlit raises instead of returning nothing
            return None

    return auth.configured_hash(from_secrets, settings.resolve().admin_password_hash)


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


def parse_upload(files: list[tuple[bytes, str]], year: int | None) -> ParsedFile:
    """The uploaded files (data, name), imported together, parsed once per session, files and year: every
    widget on the page reruns it, and a large workbook takes seconds in its child process
    (spbe.data.ingest). Raises ImportRejected as parse_files does, from the memo as well."""
    key = (tuple((hashlib.sha256(data).hexdigest(), name) for data, name in files), year)
    memo = st.session_state.get(_PARSED)
    if memo is None or memo[0] != key:
        try:
            data_dir = settings.resolve().data_dir
            registry = read_registry(registry_path(data_dir))
            frameworks = load_frameworks(data_dir / "reference")
            memo = (key, parse_files(files, registry, frameworks, year, who="admin"))
        except ImportRejected as rejected:
            memo = (key, rejected)
        st.session_state[_PARSED] = memo
    if isinstance(memo[1], ImportRejected):
        raise memo[1]
    return memo[1]
