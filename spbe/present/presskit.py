"""The press kit of a year: every standard chart in every format, its data, and the captions.

keterangan.md holds a lead paragraph built from the year's numbers, one caption per figure
and the sources, in Indonesian, so a press officer can paste it into a release unchanged. Titles,
captions and sources may name an imported file or its importer: they are escaped (spbe.core.formatting.
markdown_text), so no tag or link in them is live.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from spbe.core.formatting import markdown_text
from spbe.data.atomic import write_atomic
from spbe.data.store import Store
from spbe.present.charts import lead_paragraph, standard_charts
from spbe.present.export import FORMATS, PRESETS, Preset, render_many
from spbe.present.figures import PROVENANCE_LABELS, Chart, index_name
from spbe.present.tables import csv_bytes

Progress = Callable[[float, str], None]  # share done (0-1), what is being made


def kit_charts(store: Store, year: int, slugs: Iterable[str] | None = None) -> list[Chart]:
    """The standard charts of the year, optionally only those whose slug starts with one given."""
    charts = standard_charts(store, year)
    if slugs is None:
        return charts
    wanted = tuple(slugs)
    return [chart for chart in charts if chart.slug.startswith(wanted)]


def build_kit(
    store: Store,
    year: int,
    *,
    charts: list[Chart] | None = None,
    formats: Iterable[str] = FORMATS,
    preset: Preset = PRESETS["slide"],
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """File name -> content for the kit: images, one CSV per chart, keterangan.md."""
    charts = kit_charts(store, year) if charts is None else charts
    formats = list(formats)
    files: dict[str, bytes] = {}
    steps, done = len(charts) * (len(formats) + 1) + 1, 0
    for number, chart in enumerate(charts, start=1):
        stem = f"{number:02d}_{chart.slug}"
        if progress:
            progress(done / steps, stem)
        images = render_many([(chart.fig, fmt) for fmt in formats], preset)
        files.update({f"{stem}.{fmt}": image for fmt, image in zip(formats, images, strict=True)})
        files[f"{stem}.csv"] = csv_bytes(chart.table)
        done += len(formats) + 1
    files["keterangan.md"] = captions(store, year, charts, formats).encode("utf-8")
    if progress:
        progress(1.0, "selesai")
    return files


def captions(store: Store, year: int, charts: list[Chart], formats: Iterable[str] = FORMATS) -> str:
    """keterangan.md: lead paragraph, a caption per figure, the sources."""
    title = index_name(store.framework(year).index_scale)  # Indeks SPBE, Indeks Pemerintah Digital from 2026
    lines = [f"# {title} {year}: bahan siaran pers", "", lead_paragraph(store, year), ""]
    for number, chart in enumerate(charts, start=1):
        stem = f"{number:02d}_{chart.slug}"
        lines += [
            f"## {number}. {markdown_text(chart.meta.title)}",
            "",
            markdown_text(chart.caption),
            "",
            f"- Berkas: {', '.join(f'`{stem}.{fmt}`' for fmt in formats)}; data: `{stem}.csv`",
            f"- Sumber: {markdown_text(chart.meta.source)}",
            f"- Asal data: {PROVENANCE_LABELS[chart.meta.provenance]}",
            "",
        ]
    # Each source once: a chart whose sources another chart already names in full adds no line.
    parts = {chart.meta.source: set(chart.meta.source.split("; ")) for chart in charts}
    sources = sorted(source for source, named in parts.items() if not any(named < other for other in parts.values()))
    lines += ["## Sumber", ""] + [f"- {markdown_text(source)}" for source in sources]
    lines += ["", f"Diolah: Dasbor SPBE, {date.today().strftime('%d-%m-%Y')}.", ""]
    return "\n".join(lines)


def zip_bytes(files: dict[str, bytes], folder: str) -> bytes:
    """All files in one ZIP, inside a folder named after the kit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}/{name}", data)
    return buffer.getvalue()


def write_kit(files: dict[str, bytes], out: Path) -> Path:
    """Write the kit to a .zip file or into a folder (created if needed); each file atomically."""
    if out.suffix.lower() == ".zip":
        return write_atomic(out, _writer(zip_bytes(files, out.stem)))
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(out / name, _writer(data))
    return out


def _writer(data: bytes) -> Callable[[Path], None]:
    """What write_atomic calls to fill its temporary file with `data`."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write
