"""The settings (spbe/settings.py): each listed once, resolved from the environment, documented in the README."""

import re
from pathlib import Path

from spbe import settings
from spbe.settings import ADMIN_PASSWORD_HASH, DATA, ROOT, SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.MULTILINE | re.DOTALL)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_the_readme_lists_every_setting_and_nothing_else():
    table = re.findall(r"^\| `([A-Z0-9_]+)` \|", readme_section("Settings"), re.MULTILINE)
    assert sorted(table) == sorted(setting.environment for setting in SETTINGS)
    mentioned = set(re.findall(r"\bSPBE_[A-Z0-9_]+", README))  # a variable named anywhere must be a setting
    assert mentioned <= {setting.environment for setting in SETTINGS}


def test_each_setting_has_its_own_variable_and_a_help_text():
    assert len({setting.environment for setting in SETTINGS}) == len(SETTINGS)
    assert all(setting.help.strip() for setting in SETTINGS)


def test_without_the_environment_the_defaults_hold():
    resolved = settings.resolve({})
    assert resolved.data_dir == ROOT / "data"
    assert resolved.admin_password_hash is None


def test_the_environment_sets_each_setting_and_an_empty_variable_counts_as_unset():
    environ = {DATA.environment: "/srv/spbe", ADMIN_PASSWORD_HASH.environment: "pbkdf2_sha256$1$00$00"}
    resolved = settings.resolve(environ)
    assert resolved.data_dir == Path("/srv/spbe")
    assert resolved.admin_password_hash == "pbkdf2_sha256$1$00$00"
    assert settings.resolve({DATA.environment: "", ADMIN_PASSWORD_HASH.environment: ""}) == settings.resolve({})


def test_the_process_environment_is_read_at_each_call(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA.environment, str(tmp_path))
    assert settings.resolve().data_dir == tmp_path
    monkeypatch.delenv(DATA.environment)
    assert settings.resolve().data_dir == ROOT / "data"
