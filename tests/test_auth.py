"""Admin login: salted hashes, constant-time checks, a pause per failure, lockout."""

from spbe import auth


def test_a_hash_verifies_its_password_only():
    stored = auth.hash_password("sandi-admin-panjang", iterations=1_000)
    assert auth.verify_password("sandi-admin-panjang", stored)
    assert not auth.verify_password("sandi-admin-salah", stored)
    assert stored != auth.hash_password("sandi-admin-panjang", iterations=1_000)  # salted


def test_malformed_hashes_never_match():
    for stored in ("", "plain-text", "md5$1$00$00", "pbkdf2_sha256$x$zz$00"):
        assert not auth.verify_password("apa saja", stored)


def test_the_environment_supplies_the_hash_when_secrets_do_not(monkeypatch):
    monkeypatch.setenv(auth.ENV_VARIABLE, "pbkdf2_sha256$1$00$00")
    assert auth.configured_hash(lambda: None) == "pbkdf2_sha256$1$00$00"
    assert auth.configured_hash(lambda: "dari-secrets") == "dari-secrets"
    monkeypatch.delenv(auth.ENV_VARIABLE)
    assert auth.configured_hash(lambda: None) is None


def test_each_failure_pauses_and_repeated_failures_lock_out():
    now, pauses = [1000.0], []
    guard = auth.LoginGuard(clock=lambda: now[0], sleep=pauses.append)
    stored = auth.hash_password("sandi-admin-panjang", iterations=1_000)
    for _ in range(auth.MAX_FAILURES):
        assert not guard.attempt("salah", stored)
    assert pauses == [auth.FAILURE_PAUSE_S] * auth.MAX_FAILURES
    assert guard.locked_for() > 0
    assert not guard.attempt("sandi-admin-panjang", stored)  # even the right password waits
    now[0] += auth.LOCKOUT_S + 1
    assert guard.attempt("sandi-admin-panjang", stored)
