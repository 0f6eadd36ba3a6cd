"""The press kit of a year: every standard chart in every format, its data, the captions and the briefing deck.

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
from spbe.present.change_charts import kit_change_charts
from spbe.present.charts import lead_paragraph, standard_charts
from spbe.present.deck import DECK_FORMAT, deck_bytes, deck_file_name, picture_preset
from spbe.present.export import FORMATS, PRESETS, Preset, render, render_many
from spbe.present.figures import PROVENANCE_LABELS, Chart, index_name
from spbe.present.tables import csv_bytes

Progress = Callable[[float, str], None]  # share done (0-1), what is being made
KIT_FORMATS = (*FORMATS, DECK_FORMAT)  # each chart as an image, and all of them as one deck


def kit_charts(store: Store, year: int, slugs: Iterable[str] | None = None) -> list[Chart]:
    """The standard charts of the year, then what changed since the latest earlier official year on the same
    instrument (spbe.present.change_charts.kit_change_charts); optionally only those whose slug starts with one
    given."""
    charts = standard_charts(store, year) + kit_change_charts(store, year)
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
    """File name -> content for the kit: images, one CSV per chart, keterangan.md, and the deck if "pptx" is
    among the formats."""
    charts = kit_charts(store, year) if charts is None else charts
    formats = list(formats)
    images, with_deck = [fmt for fmt in formats if fmt != DECK_FORMAT], DECK_FORMAT in formats
    files: dict[str, bytes] = {}
    pictures: list[bytes] = []  # the deck's, one per chart
    steps, done = len(charts) * (len(images) + 1 + with_deck) + 1 + with_deck, 0
    for number, chart in enumerate(charts, start=1):
        stem = f"{number:02d}_{chart.slug}"
        if progress:
            progress(done / steps, stem)
        rendered = render_many([(chart.fig, fmt) for fmt in images], preset) if images else []  # [] for the deck alone
        made = dict(zip(images, rendered, strict=True))
        files.update({f"{stem}.{fmt}": image for fmt, image in made.items()})
        files[f"{stem}.csv"] = csv_bytes(chart.table)
        if with_deck:  # laid out for the slide: a kit image shrunk onto it would be too small to read
            pictures.append(render(chart.fig, "png", picture_preset(chart)))
        done += len(images) + 1 + with_deck
    if with_deck:
        if progress:
            progress(done / steps, deck_file_name(year))
        files[deck_file_name(year)] = deck_bytes(store, year, charts, pictures, kit_sources(charts))
    files["keterangan.md"] = captions(store, year, charts, formats).encode("utf-8")
    if progress:
        progress(1.0, "selesai")
    return files


def build_deck(
    store: Store, year: int, *, charts: list[Chart] | None = None, progress: Progress | None = None
) -> bytes:
    """The briefing deck alone (spbe.present.deck): each chart's PNG laid out for the slide, then the slides."""
    charts = kit_charts(store, year) if charts is None else charts
    pictures = []
    for number, chart in enumerate(charts):
        if progress:
            progress(number / (len(charts) + 1), chart.meta.title)
        pictures.append(render(chart.fig, "png", picture_preset(chart)))
    if progress:
        progress(len(charts) / (len(charts) + 1), deck_file_name(year))
    deck = deck_bytes(store, year, charts, pictures, kit_sources(charts))
    if progress:
        progress(1.0, "selesai")
    return deck


def captions(store: Store, year: int, charts: list[Chart], formats: Iterable[str] = FORMATS) -> str:
    """keterangan.md: lead paragraph, the deck's file if it is in the kit, a caption per figure, the sources."""
    title = index_name(store.framework(year).index_scale)  # Indeks SPBE, Indeks Pemerintah Digital from 2026
    formats = list(formats)
    images = [fmt for fmt in formats if fmt != DECK_FORMAT]
    lines = [f"# {title} {year}: bahan siaran pers", "", lead_paragraph(store, year), ""]
    if DECK_FORMAT in formats:
        lines += [f"Bahan paparan (PowerPoint, satu slide per grafik): `{deck_file_name(year)}`", ""]
    for number, chart in enumerate(charts, start=1):
        stem = f"{number:02d}_{chart.slug}"
        lines += [
            f"## {number}. {markdown_text(chart.meta.title)}",
            "",
            markdown_text(chart.caption),
            "",
            _files_line(stem, images),
            f"- Sumber: {markdown_text(chart.meta.source)}",
            f"- Asal data: {PROVENANCE_LABELS[chart.meta.provenance]}",
            "",
        ]
    lines += ["## Sumber", ""] + [f"- {markdown_text(source)}" for source in kit_sources(charts)]
    lines += ["", f"Diolah: Dasbor SPBE, {date.today().strftime('%d-%m-%Y')}.", ""]
    return "\n".join(lines)


def kit_sources(charts: list[Chart]) -> list[str]:
    """Each source of the charts once: a chart whose sources another chart already names in full adds none."""
    parts = {chart.meta.source: set(chart.meta.source.split("; ")) for chart in charts}
    return sorted(source for source, named in parts.items() if not any(named < other for other in parts.values()))


def _files_line(stem: str, images: list[str]) -> str:
    """The kit's files of one chart: its images, if the kit has any (a deck-only kit has none), and its data."""
    data = f"`{stem}.csv`"
    if not images:
        return f"- Data: {data}"
    return f"- Berkas: {', '.join(f'`{stem}.{fmt}`' for fmt in images)}; data: {data}"


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
