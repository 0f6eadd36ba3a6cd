"""Admin login for the import page: salted PBKDF2 hashes, constant-time checks, lockout.

The hash comes from Streamlit secrets (`admin_password_hash`) or the environment variable
SPBE_ADMIN_PASSWORD_HASH; `python -m spbe hash-password` makes one. Without a hash the import
page stays closed. Failures are counted per server process (not per browser session, which a
new tab would reset): each failure costs a pause, and too many in a window lock the form.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable

ENV_VARIABLE = "SPBE_ADMIN_PASSWORD_HASH"
SECRET_NAME = "admin_password_hash"
MIN_PASSWORD_LENGTH = 12
ITERATIONS = 600_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
FAILURE_PAUSE_S = 1.0
MAX_FAILURES = 5
LOCKOUT_S = 15 * 60


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


def configured_hash(secrets_source: Callable[[], str | None] | None = None) -> str | None:
    """The admin hash from Streamlit secrets (if a source is given) or the environment."""
    if secrets_source is not None and (value := secrets_source()):
        return value
    return os.environ.get(ENV_VARIABLE) or None


class LoginGuard:
    """Counts failures in a sliding window and locks logins out after too many."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._failures: list[float] = []
        self._lock = threading.Lock()

    def locked_for(self) -> float:
        """Seconds until logins are accepted again (0 when open)."""
        with self._lock:
            now = self._clock()
            self._failures = [t for t in self._failures if now - t < LOCKOUT_S]
            if len(self._failures) < MAX_FAILURES:
                return 0.0
            return LOCKOUT_S - (now - self._failures[-MAX_FAILURES])

    def attempt(self, password: str, stored: str) -> bool:
        """Check a password unless locked out; every failure is recorded and costs a pause."""
        if self.locked_for() > 0:
            return False
        if verify_password(password, stored):
            return True
        with self._lock:
            self._failures.append(self._clock())
        self._sleep(FAILURE_PAUSE_S)
        return False
