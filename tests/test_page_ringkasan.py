"""AppTest of the landing page: the official national figures on screen."""

from streamlit.testing.v1 import AppTest

from spbe.paths import ROOT
from tests.helpers import chart_figures, trace_named


def run_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()


def test_overview_shows_the_2024_index_and_the_2018_story():
    at = run_app()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Indeks SPBE Nasional 2024"] == "3,12"
    captions = " ".join(c.value for c in at.caption)
    assert "Pada 2018 indeks nasional 1,98 terhadap target 2,6" in captions


def test_national_chart_holds_the_official_series_and_marks_the_2018_gap():
    at = run_app()
    figure = chart_figures(at)[0]
    assert trace_named(figure, "Indeks SPBE Nasional")["y"] == [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12]
    annotations = [a["text"] for a in figure["layout"]["annotations"]]
    assert "selisih 0,62 di bawah target" in annotations
    assert any(text.startswith("Sumber: KemenPANRB") for text in annotations)
