"""Indonesian, and no internal words, anywhere a user looks (issue #16, items 4 and 5).

Every text a reader meets is scanned for English words and for raw column names (snake_case
tokens): the text of every page (2018 and 2024) as AppTest renders it, the figures of its charts,
the CSV and XLSX of every chart and table a page offers, the press kit (SVG text, PDF metadata,
captions) and the chart toolbar. Internal column names stay in the code; they are renamed at the
edge by spbe.present.tables.DISPLAY_HEADERS.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pandas as pd
import pytest
from google.protobuf.message import Message
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from spbe import ui
from spbe.data.store import Store
from spbe.present.figures import Chart
from spbe.present.presskit import build_kit, kit_charts
from spbe.present.tables import csv_bytes, display_table, xlsx_bytes
from spbe.present.year_results import year_results
from spbe.settings import ADMIN_PASSWORD_HASH, ROOT
from spbe.ui import screen
from tests.helpers import _decode
from tests.ui.test_pages import TIMEOUT_S

# Words a reader of an Indonesian dashboard should never meet: English (the ones that slipped in before,
# and the small words that give an English sentence away) and what a program prints for a missing value.
ENGLISH = {
    "and", "aspect", "click", "count", "counts", "download", "fier", "for", "found", "framework", "from", "in",
    "index", "inferred", "kaleido", "nan", "none", "not", "null", "of", "only", "plot", "provenance", "published",
    "reconstructed", "renamed", "row", "col", "seed", "source", "tables", "the", "to", "weights", "with",
}  # fmt: skip
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-z]+")
# Proto fields that hold no text a reader sees: ids, keys, icons, element kinds, the URL parameter of a widget.
HIDDEN_FIELDS = {"id", "form_id", "type", "icon", "deferred_file_id", "query_param_key", "tag", "spec", "config"}
PAGES = ["ringkasan", "sebaran", "domain", "profil", "peta", "asistensi", "ekspor", "impor"]
YEARS = [2018, 2024]


def plain_words(text: str) -> str:
    """Text as a reader sees it: no markup, no style sheet, no plotly placeholder."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"%\{[^}]*\}|<[^>]+>|&[a-z]+;", " ", text)
    return re.sub(r"`[^`]*`", " ", text)  # a file name quoted as code is a name, not a word


def offences(text: str) -> set[str]:
    """English words and raw column names in a text."""
    text = plain_words(text)
    english = {word for word in WORD.findall(text) if word.lower() in ENGLISH}
    return english | set(SNAKE_CASE.findall(text))


def assert_indonesian(texts: dict[str, str]) -> None:
    """Every text (where -> text) free of offences; the message lists each with where it was found."""
    found = {where: sorted(bad) for where, text in texts.items() if (bad := offences(text))}
    assert not found, "\n".join(f"{where}: {words} in {texts[where][:300]!r}" for where, words in found.items())


# ---------------------------------------------------------------------- what a page shows


def _proto_strings(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.name in HIDDEN_FIELDS:
            continue
        for item in value if isinstance(value, (list, tuple)) or hasattr(value, "extend") else [value]:
            if isinstance(item, Message):
                yield from _proto_strings(item)
            elif isinstance(item, str):
                yield item


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
        yield from _nodes(child)


def figure_texts(figure: dict) -> list[str]:
    """What a plotly figure writes on screen or in a hover: titles, annotations, names, labels, ticks."""
    texts: list[str] = []

    def visit(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                visit(item, name)
        elif isinstance(value, list):
            for item in value:
                visit(item, key)
        elif isinstance(value, str) and key in {
            "text", "name", "hovertemplate", "hovertext", "ticktext", "x", "y", "customdata", "texttemplate",
        }:  # fmt: skip
            texts.append(value)

    visit(figure)
    return texts


def page_texts(at: AppTest, where: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for number, node in enumerate(_nodes(at._tree)):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", "")
        if kind == "dataframe":  # its headers and text cells (a missing cell reads "–": tables.styled)
            shown = node.value
            labels = json.loads(proto.columns or "{}")  # an editor's headers are the labels of its column config
            headers = [labels.get(str(column), {}).get("label") or str(column) for column in shown.columns]
            cells = [str(v) for column in shown.columns for v in shown[column] if isinstance(v, str)]
            texts[f"{where} grid {number}"] = "\n".join([*headers, *cells])
        elif kind == "plotly_chart":
            texts[f"{where} chart {number}"] = "\n".join(figure_texts(_decode(json.loads(proto.spec))))
        elif kind == "bidi_component" and proto.component_name == screen.PROBE_NAME:
            continue  # the width probe: a hidden element whose proto holds only its script, no text
        else:
            texts[f"{where} {kind} {number}"] = "\n".join(_proto_strings(proto))
    return texts


def open_page(page: str, year: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT_S)
    at.query_params["tahun"] = str(year)
    if page == "profil":
        at.query_params["instansi"] = "Kota Surabaya"  # evaluated in 2018 (simulated), 2023 and 2024
    return at.run()


@pytest.fixture(scope="module")
def pages(monkeypatch_module) -> dict[tuple[str, int], tuple[AppTest, list[Chart], list[pd.DataFrame]]]:
    """Every page in 2018 and 2024, with the charts it showed and the tables it offered for download."""
    opened = {}
    for page in PAGES:
        for year in YEARS:
            charts: list[Chart] = []
            tables: list[pd.DataFrame] = []
            show_chart, downloads = ui.show_chart, ui.downloads

            def record_chart(chart, *args, _charts=charts, _show=show_chart, **kwargs):
                _charts.append(chart)
                return _show(chart, *args, **kwargs)

            def record_table(table, *args, _tables=tables, _downloads=downloads, **kwargs):
                _tables.append(table)
                return _downloads(table, *args, **kwargs)

            monkeypatch_module.setattr(ui, "show_chart", record_chart)
            monkeypatch_module.setattr(ui, "downloads", record_table)
            opened[page, year] = (open_page(page, year), charts, tables)
            monkeypatch_module.setattr(ui, "show_chart", show_chart)
            monkeypatch_module.setattr(ui, "downloads", downloads)
    return opened


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_indonesian_without_internal_names(pages, page, year):
    at, _, _ = pages[page, year]
    assert not at.exception
    assert_indonesian(page_texts(at, f"{page} {year}"))


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("page", PAGES)
def test_every_download_of_a_page_has_indonesian_headers_cells_and_notes(pages, page, year):
    _, charts, tables = pages[page, year]
    files = {chart.slug: (chart.table, chart.meta.title) for chart in charts}
    files |= {f"tabel {n}": (table, "") for n, table in enumerate(tables)}
    texts = {f"{page} {year} sumber {chart.slug}": chart.meta.source for chart in charts}
    for name, (table, title) in files.items():
        assert len(set(display_table(table).columns)) == len(table.columns), f"{name}: two columns read alike"
        texts[f"{page} {year} {name}.csv"] = csv_bytes(table, title).decode("utf-8")
        sheets = load_workbook(io.BytesIO(xlsx_bytes(table, title=title)), read_only=True)
        cells = [str(v) for sheet in sheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        texts[f"{page} {year} {name}.xlsx"] = "\n".join(cells)
    assert_indonesian(texts)


@pytest.mark.parametrize("year", YEARS)
def test_the_results_of_a_whole_year_are_indonesian(year):
    rows = year_results(Store(ROOT / "data"), year)
    assert_indonesian({f"hasil {year}.csv": csv_bytes(rows, f"Hasil evaluasi SPBE {year}").decode("utf-8")})


def test_the_display_headers_name_the_columns_for_a_reader():
    table = pd.DataFrame(columns=["nama_provinsi", "aspect", "provenance", "sumber", "rata_rata", "Kota penyelenggara"])
    expected = ["Provinsi", "Aspek", "Asal data", "Sumber", "Rata-rata", "Kota penyelenggara"]
    assert list(display_table(table).columns) == expected
    assert csv_bytes(table).decode("utf-8").splitlines()[-1] == ",".join(expected)


# ---------------------------------------------------------------------- the chart toolbar


@pytest.mark.parametrize("page", ["ringkasan", "peta"])
def test_the_chart_toolbar_and_tips_of_plotly_never_show(pages, page):
    """The plotly.js inside Streamlit speaks only English ("Download plot as a PNG", "Double-click to zoom back
    out") and Streamlit adds an English "Fullscreen" button: no toolbar and no tips (downloads: the chart menu)."""
    at, _, _ = pages[page, 2024]
    for chart in at.get("plotly_chart"):
        config = json.loads(chart.proto.config)
        assert (config["displayModeBar"], config["showTips"]) == (False, False)


# ---------------------------------------------------------------------- the press kit


@pytest.fixture(scope="module")
def kits(headless_shell):
    store = Store(ROOT / "data")
    return {year: build_kit(store, year, formats=["svg", "pdf"]) for year in YEARS}


def svg_texts(data: bytes) -> str:
    root = ET.fromstring(data)
    return "\n".join(
        "".join(element.itertext()) for element in root.iter() if element.tag.rsplit("}", 1)[-1] in ("text", "title")
    )


@pytest.mark.parametrize("year", YEARS)
def test_the_press_kit_images_and_captions_are_indonesian(kits, year):
    files = kits[year]
    texts = {name: svg_texts(data) for name, data in files.items() if name.endswith(".svg")}
    texts |= {name: data.decode("utf-8") for name, data in files.items() if name.endswith((".csv", ".md"))}
    assert_indonesian(texts)


@pytest.mark.parametrize("year", YEARS)
def test_every_pdf_names_its_chart_and_maker_in_indonesian(kits, year):
    from pypdf import PdfReader

    titles = {chart.slug: chart.meta.title for chart in kit_charts(Store(ROOT / "data"), year)}
    for name, data in kits[year].items():
        if not name.endswith(".pdf"):
            continue
        info = PdfReader(io.BytesIO(data)).metadata
        fields = {"title": info.title, "author": info.author, "subject": info.subject}
        fields |= {"creator": info.creator, "producer": info.producer}
        assert all(fields.values()), f"{name}: {fields}"
        assert (info.title, info.author, info.creator) == (titles[name[3:-4]], "Dasbor SPBE", "Dasbor SPBE")
        assert_indonesian({f"{name} {key}": value for key, value in fields.items()})
        assert b"Kaleido-fier" not in data  # not even in the blanked dictionary a reader no longer sees


def test_the_closed_import_page_tells_visitors_in_a_plain_sentence(monkeypatch):
    """No shell command, file or variable name for a visitor: how to open the page is in the README."""
    monkeypatch.delenv(ADMIN_PASSWORD_HASH.environment, raising=False)
    at = AppTest.from_file(str(ROOT / "pages" / "impor.py"), default_timeout=TIMEOUT_S).run()
    (closed,) = at.warning
    assert closed.value.startswith("Impor belum diaktifkan.")
    assert not re.search(r"`|python|hash|secrets|\.toml|SPBE_", closed.value), closed.value
