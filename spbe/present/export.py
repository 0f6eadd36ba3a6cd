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

import html
import re
import shutil
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import plotly.graph_objects as go

from spbe.present.figures import arrange, copy_figure

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
    size = (preset.width, preset.height, preset.scale)
    return _render([(laid_out(fig, preset), fmt, *size) for fig, fmt in items])


def render_sized(items: list[tuple[go.Figure, str, int, int]]) -> list[bytes]:
    """Several (figure, format, width, height) in one request, each figure as it is laid out (no preset's layout
    applied) on a canvas of width x height CSS pixels: a chart as a page draws it at that width."""
    return _render([(fig, fmt, width, height, 1) for fig, fmt, width, height in items])


def _render(items: list[tuple[go.Figure, str, int, int, int]]) -> list[bytes]:
    """(figure, format, width, height, scale) as files, through the one Kaleido server."""
    unknown = sorted({item[1] for item in items} - set(FORMATS))
    if unknown:
        raise ValueError(f"Format tidak dikenal: {', '.join(unknown)} (pilihan: {', '.join(FORMATS)})")
    ensure_available()
    import kaleido  # imported here: the rest of the app must work where kaleido cannot run

    with _lock, tempfile.TemporaryDirectory(prefix="spbe-export-") as folder:
        paths = [Path(folder) / f"{number}.{item[1]}" for number, item in enumerate(items)]
        specs = [
            {"fig": fig, "path": str(path), "opts": {"format": fmt, "width": width, "height": height, "scale": scale}}
            for (fig, fmt, width, height, scale), path in zip(items, paths, strict=True)
        ]
        _start_server(kaleido)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            try:
                kaleido.write_fig_from_object_sync(specs, cancel_on_error=True)
                files = [path.read_bytes() for path in paths]
            except Exception as error:  # Kaleido wraps Chromium failures in many types
                raise ExportUnavailable(f"Chromium gagal membuat gambar ({type(error).__name__}): {error}") from error
    pairs = zip(files, items, strict=True)
    return [with_pdf_info(data, pdf_info(item[0])) if item[1] == "pdf" else data for data, item in pairs]


PDF_MAKER = "Dasbor SPBE"


def pdf_info(fig: go.Figure) -> dict[str, str]:
    """What a PDF says about itself (document properties): the chart's title, subtitle and source line."""
    about = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}  # set by figures.finish
    title = html.unescape(about.get("title") or "") or "Grafik Dasbor SPBE"
    info = {"Title": title, "Author": PDF_MAKER, "Subject": html.unescape(about.get("subtitle") or "") or title}
    if about.get("footer"):
        info["Keywords"] = html.unescape(re.sub(r"<br>", " ", about["footer"]))
    return info | {"Creator": PDF_MAKER, "Producer": PDF_MAKER}


def with_pdf_info(pdf: bytes, info: dict[str, str]) -> bytes:
    """The PDF with `info` as its document properties, added as an incremental update (PDF 1.7, 7.5.6).

    Chromium titles every PDF after the page Kaleido renders in ("Kaleido-fier") and names itself and Skia
    as its makers. The update adds a new information dictionary and a trailer pointing to it; the old
    dictionary is blanked in place (same length, so no offset moves) and no reader shows it again.
    """
    start = pdf.rindex(b"startxref")
    trailer = pdf[pdf.rindex(b"trailer", 0, start) : start]
    size, root = re.search(rb"/Size (\d+)", trailer), re.search(rb"/Root (\d+ \d+ R)", trailer)
    if size is None or root is None:
        raise ExportUnavailable("Chromium membuat PDF dengan bentuk yang tidak dikenal; metadata tidak dapat diisi.")
    old = re.search(rb"/Info (\d+) 0 R", trailer)
    created = re.search(rb"/CreationDate \((D:[^)]*)\)", pdf)
    if old:
        body = re.search(rb"(?s)(?:^|\n)" + old.group(1) + rb" 0 obj\s*(<<.*?>>)", pdf)
        if body:
            blank = b"<<" + b" " * (len(body.group(1)) - 4) + b">>"
            pdf = pdf[: body.start(1)] + blank + pdf[body.end(1) :]
    pdf = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    number, entries = int(size.group(1)), b"".join(b"/%s %s\n" % (k.encode(), _pdf_text(v)) for k, v in info.items())
    if created:
        entries += b"/CreationDate (%s)\n" % created.group(1)
    new_object = b"%d 0 obj\n<<%s>>\nendobj\n" % (number, entries)
    xref = len(pdf) + len(new_object)
    update = (
        b"xref\n%d 1\n%010d 00000 n \ntrailer\n<</Size %d /Root %s /Info %d 0 R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n"
        % (number, len(pdf), number + 1, root.group(1), number, int(pdf[start + 9 :].split()[0]), xref)
    )
    return pdf + new_object + update


def _pdf_text(text: str) -> bytes:
    """A PDF text string that holds any character ("–", "×"): UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def laid_out(fig: go.Figure, preset: Preset) -> go.Figure:
    """A copy of a finished figure laid out for the preset's canvas (the figure itself keeps its screen layout).

    Sizes are in layout pixels: the A4 preset renders 1754 x 1240 at scale 2, so every text keeps the size
    and place it has at that layout size, and its mark and footer stay inside the page."""
    copy = copy_figure(fig)
    return arrange(copy, preset.width, preset.height) if isinstance(copy.layout.meta, dict) else copy


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
