"""A file name or importer name is text, never markup: plotly renders <a href>, <b>, <br> in figure text and
Markdown renders HTML and links, so what an import records is escaped wherever it is shown."""

import re

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from spbe.core.formatting import markdown_text
from spbe.data.importer import parse_import
from spbe.data.registry import read_registry, registry_path
from spbe.data.store import Store
from spbe.data.versions import VersionStore
from spbe.present import charts
from spbe.present.figures import FigureMeta, finish
from spbe.present.presskit import captions, kit_charts
from spbe.settings import DATA, ROOT
from tests.frameworks import FRAMEWORKS
from tests.helpers import chart_figures
from tests.present.test_imported_years import RESULTS_2025, copy_of_data

FILE_NAME = '<a href="http://x">hasil</a>.csv'
WHO = "<script>alert(1)</script>"
SHOWN = ['&lt;a href="http://x"&gt;hasil&lt;/a&gt;.csv', "&lt;script&gt;alert(1)&lt;/script&gt;"]  # as typed


@pytest.fixture(scope="module")
def hostile_import(tmp_path_factory):
    """A private data folder with 2025 imported under a hostile file name and importer name."""
    data_dir = copy_of_data(tmp_path_factory.mktemp("markup") / "data")
    registry = read_registry(registry_path(data_dir))
    parsed = parse_import(RESULTS_2025.encode(), FILE_NAME, registry, FRAMEWORKS, year=2025, who=WHO)
    VersionStore(data_dir).commit(parsed, who=WHO)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA.environment, str(data_dir))
        yield data_dir


def footer(figure: dict) -> str:
    """The source footer of a finished figure, its line breaks undone."""
    texts = [a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("Sumber:")]
    assert len(texts) == 1
    return texts[0].replace("<br>", " ")


def assert_shown_as_text(text: str) -> None:
    assert not re.search(r"<(?!br>|/?sup>)", text), text  # no tag but the footer's and title's own
    assert all(shown in text for shown in SHOWN), text


def test_the_profil_footer_shows_an_imported_file_and_importer_name_as_text(hostile_import):
    at = AppTest.from_file(str(ROOT / "pages" / "profil.py"), default_timeout=60)
    at.query_params["instansi"] = "Kabupaten Banyuwangi"
    at.run()
    assert not at.exception
    history = next(f for f in chart_figures(at) if "per tahun" in f["layout"]["title"]["text"])
    assert_shown_as_text(footer(history))


def test_the_national_chart_footer_shows_the_import_source_as_text(hostile_import):
    figure = charts.national_chart(Store(hostile_import), 2025).fig.to_plotly_json()
    assert_shown_as_text(footer(figure))


def test_every_text_of_a_figure_meta_is_escaped():
    meta = FigureMeta(title="<b>judul</b>", subtitle="<i>sub</i>", source="<a href='http://x'>s</a>")
    figure = finish(go.Figure(), meta).to_plotly_json()
    assert figure["layout"]["title"]["text"] == "&lt;b&gt;judul&lt;/b&gt;<br><sup>&lt;i&gt;sub&lt;/i&gt;</sup>"
    assert footer(figure).startswith("Sumber: &lt;a href='http://x'&gt;s&lt;/a&gt; · Diolah")


def test_keterangan_md_holds_no_raw_tag_or_link_from_an_import(hostile_import):
    store = Store(hostile_import)
    notes = captions(store, 2025, kit_charts(store, 2025))
    assert "<" not in notes and ">" not in notes
    imported = [line for line in notes.splitlines() if "Impor" in line]
    assert imported and all(f"Impor {SHOWN[0]} oleh {SHOWN[1]}" in line for line in imported)


def test_markdown_text_escapes_html_links_and_emphasis_and_keeps_one_line():
    assert markdown_text("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert markdown_text("![a](http://x) *b* c_d `e` f\\g & h") == r"!\[a\](http://x) \*b\* c\_d \`e\` f\\g &amp; h"
    assert markdown_text("satu\n# dua") == "satu # dua"
    assert markdown_text("KemenPANRB, Laporan Evaluasi SPBE 2018 (hal. 3).") == (
        "KemenPANRB, Laporan Evaluasi SPBE 2018 (hal. 3)."
    )
