"""Static images of figures (PNG, SVG, PDF) through Kaleido and Debian's chromium-headless-shell.

One Kaleido server per process, started on first use and kept: the first image costs about
two seconds (Chromium starts), the next ones a fraction of that. The server is not
thread-safe (two threads received each other's images in tests on these machines), and
Streamlit runs every session in its own thread, so every render holds one process-wide lock.

Export is offline. The browser is Debian's chromium-headless-shell, never the full Chromium:
the full browser calls Google at start-up whatever its flags (its profile's sign-in account
list and component updates, and the IPv6 reachability check that each such request makes),
while the headless shell renders without a browser profile and has none of those services.
OFFLINE_FLAGS are a second wall: background services off, and no host name resolved at all
(plotly.js, the page and the map topology are local files, so nothing needs one).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import plotly.graph_objects as go

FORMATS = ("png", "svg", "pdf")
RENDER_TIMEOUT_S = 60  # a figure that takes longer than this is stuck, not slow


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    width: int  # layout size in CSS pixels
    height: int
    scale: int  # PNG pixels = layout size x scale

    @property
    def pixels(self) -> tuple[int, int]:
        return self.width * self.scale, self.height * self.scale


PRESETS = {
    "slide": Preset("slide", "Slide dan web (1600 × 900)", 1600, 900, 1),
    "square": Preset("square", "Media sosial (1080 × 1080)", 1080, 1080, 1),
    "a4": Preset("a4", "Cetak A4 lanskap 300 dpi (3508 × 2480)", 1754, 1240, 2),  # 297 x 210 mm at 300 dpi
}
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
# Chromium flags beyond choreographer's own: no background services, no name resolution.
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


class ExportUnavailable(RuntimeError):
    """Static export cannot run on this machine; the message says what is missing, in Indonesian."""


_lock = threading.Lock()
_server_started = False


def chromium_path() -> str | None:
    """The export browser, Debian's chromium-headless-shell (not BROWSER_PATH: the browser tests' full Chromium)."""
    for candidate in ("/usr/bin/chromium-headless-shell", shutil.which("chromium-headless-shell")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def ensure_available() -> None:
    if chromium_path() is None:
        raise ExportUnavailable(
            "Ekspor gambar membutuhkan Chromium tanpa layar, yang belum terpasang di server ini. "
            "Pasang dengan: apt-get install -y chromium-headless-shell (dasbor lainnya tetap berjalan)."
        )


def render(fig: go.Figure, fmt: str, preset: Preset) -> bytes:
    """The figure as PNG, SVG or PDF bytes at the preset's size."""
    return render_many([(fig, fmt)], preset)[0]


def render_many(items: list[tuple[go.Figure, str]], preset: Preset) -> list[bytes]:
    """Several (figure, format) pairs in one request to Kaleido, in the order given.

    One batch costs much less than the same number of single calls (one round trip to
    Chromium instead of one per file), which is what makes a press kit fast.
    """
    unknown = sorted({fmt for _, fmt in items} - set(FORMATS))
    if unknown:
        raise ValueError(f"Format tidak dikenal: {', '.join(unknown)} (pilihan: {', '.join(FORMATS)})")
    ensure_available()
    import kaleido  # imported here: the rest of the app must work where kaleido cannot run

    size = {"width": preset.width, "height": preset.height, "scale": preset.scale}
    with _lock, tempfile.TemporaryDirectory(prefix="spbe-export-") as folder:
        paths = [Path(folder) / f"{number}.{fmt}" for number, (_, fmt) in enumerate(items)]
        specs = [
            {"fig": fig, "path": str(path), "opts": {"format": fmt, **size}}
            for (fig, fmt), path in zip(items, paths, strict=True)
        ]
        _start_server(kaleido)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            try:
                kaleido.write_fig_from_object_sync(specs, cancel_on_error=True)
                return [path.read_bytes() for path in paths]
            except Exception as error:  # Kaleido wraps Chromium failures in many types
                raise ExportUnavailable(f"Chromium gagal membuat gambar ({type(error).__name__}): {error}") from error


def _start_server(kaleido: ModuleType) -> None:
    global _server_started
    if not _server_started:
        # mathjax=False: MathJax would otherwise be fetched from a CDN
        kaleido.start_sync_server(
            mathjax=False,
            timeout=RENDER_TIMEOUT_S,
            silence_warnings=True,
            path=chromium_path(),
            browser_cls=_offline_chromium(),
        )
        _server_started = True


def _offline_chromium() -> type:
    """choreographer's Chromium (kaleido passes browser_cls through to it), started with OFFLINE_FLAGS."""
    from choreographer.browsers import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self) -> list[str]:
            return [*super().get_cli(), *OFFLINE_FLAGS]

    return OfflineChromium
