"""Atomic file writes: readers see the old file or the new one, never half of either.

The new content goes to a temporary file in the target's folder (so the final rename stays on
one file system), is checked, then renamed over the target with os.replace. The previous
version is kept beside it as `<name>.prev` so it can be restored. A failure at any step
removes the temporary file and leaves the target untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, write: Callable[[Path], None], check: Callable[[Path], None] | None = None) -> Path:
    """Call write(tmp) then check(tmp); on success move tmp over path, keeping path.prev."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file private (0600); give it the mode an ordinary file would have.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
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
