"""Atomic file writes: readers see the old file or the new one, never half of either.

The new content goes to a temporary file in the target's folder (so the final rename stays on
one file system), is checked, then renamed over the target with os.replace. The previous
version is kept beside it as `<name>.prev` so it can be restored. A failure at any step
removes the temporary file and leaves the target untouched. New files get the mode the process
umask gives any new file (mkstemp's private 0600 would hide them from other users); a replaced
file keeps its mode.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

_REASONS = {
    errno.EACCES: "izin ditolak",
    errno.EPERM: "izin ditolak",
    errno.EROFS: "sistem berkas hanya-baca",
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.ENOENT: "berkas atau folder tidak ada",
}


def write_atomic(path: Path, write: Callable[[Path], object], check: Callable[[Path], None] | None = None) -> Path:
    """Call write(tmp) (its return value is ignored) then check(tmp); on success move tmp over path,
    keeping path.prev."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_file_beside(path)
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        write(tmp)
        if check is not None:
            check(tmp)
        if path.exists() and path.read_bytes() != tmp.read_bytes():
            previous = path.with_name(path.name + ".prev")
            previous.write_bytes(path.read_bytes())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _new_file_beside(path: Path) -> Path:
    """Create an empty, uniquely named `.<name>.<random>.tmp` beside path, with the umask's mode."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def os_error_reason(error: OSError) -> str:
    """Why a file operation failed, in Indonesian, with the file concerned: "izin ditolak (/data/x)"."""
    code = error.errno
    known = _REASONS.get(code) if code is not None else None
    reason = known or f"galat sistem {errno.errorcode.get(code, code) if code is not None else code}"
    return f"{reason} ({error.filename})" if error.filename else reason
