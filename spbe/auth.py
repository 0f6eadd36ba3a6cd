"""Admin login for the import page: salted PBKDF2 hashes, constant-time checks, lockout.

The hash comes from Streamlit secrets (`admin_password_hash`) or the setting of that name
(spbe.settings, SPBE_ADMIN_PASSWORD_HASH), which the caller passes in; `python -m spbe
hash-password` makes one. Without a hash the import
page stays closed.

Failures are counted by one guard per server process (`PROCESS_GUARD`, a module attribute: no
cache a client can clear holds it, and a new browser tab does not reset it). Each attempt is
reserved under the guard's lock before the slow hash, so however many arrive at once, no more
passwords are checked than the limit allows. Each failure costs a pause and is logged (client
address and time, never the password). Five failures in 15 minutes lock out that client; twenty
from all clients together lock out everyone, so one stranger cannot lock the admin out.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

SECRET_NAME = "admin_password_hash"
MIN_PASSWORD_LENGTH = 12
ITERATIONS = 600_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
FAILURE_PAUSE_S = 1.0
MAX_FAILURES = 5  # per client address in the window
MAX_FAILURES_GLOBAL = 20  # all clients together in the window
LOCKOUT_S = 15 * 60

log = logging.getLogger(__name__)


def hash_password(password: str, *, iterations: int = ITERATIONS) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; a malformed hash never matches."""
    try:
        scheme, iterations, salt, digest = stored.strip().split("$")
        if scheme != "pbkdf2_sha256":
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def configured_hash(secrets_source: Callable[[], str | None] | None, from_settings: str | None) -> str | None:
    """The admin hash from Streamlit secrets (if a source is given), else the one the settings hold."""
    if secrets_source is not None and (value := secrets_source()):
        return value
    return from_settings or None


class LoginGuard:
    """Failures in a sliding window, per client and over all clients; too many lock logins out."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._failures: list[tuple[float, str]] = []  # (time, client), attempts in progress included
        self._lock = threading.Lock()

    def locked_for(self, client: str = "") -> float:
        """Seconds until `client` may try again (0 when open)."""
        with self._lock:
            return self._wait(client)

    def _wait(self, client: str) -> float:
        now = self._clock()
        self._failures = [(t, c) for t, c in self._failures if now - t < LOCKOUT_S]

        def wait(times: list[float], limit: int) -> float:  # open again when the limit-th latest failure expires
            return LOCKOUT_S - (now - times[-limit]) if len(times) >= limit else 0.0

        own = [t for t, c in self._failures if c == client]
        return max(wait(own, MAX_FAILURES), wait([t for t, _ in self._failures], MAX_FAILURES_GLOBAL))

    def attempt(self, password: str, stored: str, client: str = "") -> bool:
        """Check a password unless `client` is locked out; every failure is recorded, logged and costs a pause."""
        with self._lock:  # reserve the attempt as a failure first: concurrent attempts see it before the hash ends
            if self._wait(client) > 0:
                log.warning("Admin login refused (locked out) from %r at %s", client or "?", _now())
                return False
            reservation = (self._clock(), client)
            self._failures.append(reservation)
        if verify_password(password, stored):
            with self._lock:
                if reservation in self._failures:  # gone only if the window passed during the hash
                    self._failures.remove(reservation)
            return True
        log.warning("Failed admin login from %r at %s", client or "?", _now())
        self._sleep(FAILURE_PAUSE_S)
        return False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


PROCESS_GUARD = LoginGuard()
