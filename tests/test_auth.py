"""Admin login: salted hashes, constant-time checks, a pause per failure, a lockout that holds."""

import logging
import threading
import time
from types import SimpleNamespace

import streamlit as st
from streamlit.testing.v1 import AppTest

from spbe import auth, settings
from spbe.settings import ADMIN_PASSWORD_HASH, ROOT
from spbe.ui import impor as ui_impor

PASSWORD = "sandi-admin-panjang"


def test_a_hash_verifies_its_password_only():
    stored = auth.hash_password("sandi-admin-panjang", iterations=1_000)
    assert auth.verify_password("sandi-admin-panjang", stored)
    assert not auth.verify_password("sandi-admin-salah", stored)
    assert stored != auth.hash_password("sandi-admin-panjang", iterations=1_000)  # salted


def test_malformed_hashes_never_match():
    for stored in ("", "plain-text", "md5$1$00$00", "pbkdf2_sha256$x$zz$00"):
        assert not auth.verify_password("apa saja", stored)


def test_the_environment_supplies_the_hash_when_secrets_do_not(monkeypatch):
    monkeypatch.setenv(ADMIN_PASSWORD_HASH.environment, "pbkdf2_sha256$1$00$00")
    assert auth.configured_hash(lambda: None, settings.resolve().admin_password_hash) == "pbkdf2_sha256$1$00$00"
    assert auth.configured_hash(lambda: "dari-secrets", settings.resolve().admin_password_hash) == "dari-secrets"
    monkeypatch.delenv(ADMIN_PASSWORD_HASH.environment)
    assert auth.configured_hash(lambda: None, settings.resolve().admin_password_hash) is None


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


def test_clearing_streamlit_caches_does_not_reset_the_failure_count(monkeypatch):
    # Any anonymous client can send Streamlit's clear_cache message; the count must survive it.
    monkeypatch.setenv(ADMIN_PASSWORD_HASH.environment, auth.hash_password(PASSWORD, iterations=1_000))
    monkeypatch.setattr(auth, "PROCESS_GUARD", auth.LoginGuard(sleep=lambda _: None))
    monkeypatch.setattr(ui_impor, "client_address", lambda: "203.0.113.5")  # AppTest has no real connection
    at = AppTest.from_file(str(ROOT / "pages" / "impor.py"), default_timeout=60).run()
    for _ in range(auth.MAX_FAILURES + 1):
        at.text_input[0].set_value("tebakan-salah")
        at.button[0].click().run()
        st.cache_resource.clear()
        st.cache_data.clear()
    at.text_input[0].set_value(PASSWORD)
    at.button[0].click().run()
    assert "admin_masuk" not in at.session_state
    assert any("Terlalu banyak percobaan" in error.value for error in at.error)
    assert not at.get("file_uploader")


def test_concurrent_attempts_check_at_most_the_limit_of_passwords(monkeypatch):
    stored = auth.hash_password(PASSWORD, iterations=1_000)
    checked, real_verify = [], auth.verify_password

    def slow_verify(password: str, stored: str) -> bool:  # as slow as the real 600 000 iterations, roughly
        checked.append(password)
        time.sleep(0.05)
        return real_verify(password, stored)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    guard = auth.LoginGuard(sleep=lambda _: None)
    start = threading.Barrier(20)

    def guess(number: int) -> None:
        start.wait()
        guard.attempt(f"tebakan-{number}", stored)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(checked) == auth.MAX_FAILURES
    assert guard.locked_for() > 0


def test_one_locked_out_client_does_not_lock_out_others_until_the_global_limit():
    now = [1000.0]
    guard = auth.LoginGuard(clock=lambda: now[0], sleep=lambda _: None)
    stored = auth.hash_password(PASSWORD, iterations=1_000)
    for _ in range(auth.MAX_FAILURES):
        assert not guard.attempt("salah", stored, "203.0.113.5")
    assert not guard.attempt(PASSWORD, stored, "203.0.113.5")  # locked out: even the right password waits
    assert guard.locked_for("198.51.100.7") == 0
    assert guard.attempt(PASSWORD, stored, "198.51.100.7")  # the admin, from elsewhere
    # Strangers from many addresses, each under its own limit, together reach the global one: everyone waits.
    for number in range(auth.MAX_FAILURES_GLOBAL - auth.MAX_FAILURES):
        assert not guard.attempt("salah", stored, f"192.0.2.{number}")
    assert guard.locked_for("198.51.100.7") > 0
    assert not guard.attempt(PASSWORD, stored, "198.51.100.7")
    now[0] += auth.LOCKOUT_S + 1
    assert guard.attempt(PASSWORD, stored, "198.51.100.7")


def test_failed_logins_are_logged_with_the_client_address_and_never_the_password(caplog):
    guard = auth.LoginGuard(sleep=lambda _: None)
    stored = auth.hash_password(PASSWORD, iterations=1_000)
    with caplog.at_level(logging.WARNING, logger="spbe.auth"):
        assert not guard.attempt("rahasia-yang-salah", stored, "203.0.113.5")
        assert guard.attempt(PASSWORD, stored, "198.51.100.7")
    assert len(caplog.records) == 1
    assert "Failed admin login" in caplog.text and "203.0.113.5" in caplog.text
    assert "rahasia-yang-salah" not in caplog.text and PASSWORD not in caplog.text


def test_behind_a_local_reverse_proxy_the_client_is_the_address_the_proxy_added(monkeypatch):
    def context(ip_address, headers):
        monkeypatch.setattr(st, "context", SimpleNamespace(ip_address=ip_address, headers=headers))
        return ui_impor.client_address()

    assert context("198.51.100.7", {"X-Forwarded-For": "10.0.0.1"}) == "198.51.100.7"  # direct: headers not trusted
    assert context(None, {"X-Forwarded-For": "10.0.0.1, 203.0.113.5"}) == "203.0.113.5"
    assert context(None, {}) == "localhost"
