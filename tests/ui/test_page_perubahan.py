"""AppTest of Perubahan Antartahun: the headline with the official numbers, filters and years from the URL, an
impossible pair of years, the SIMULASI warning for 2018, and the lists of instansi evaluated in one year only."""

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from spbe.data.store import Store
from spbe.present import change_charts
from spbe.present.tables import csv_bytes
from spbe.settings import ROOT

TIMEOUT_S = 60
RANK = {name: number for number, name in enumerate(("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"))}


def open_page(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "perubahan.py"), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def both(store):
    return store.results(2023).merge(store.results(2024), on="instansi_id", suffixes=("_2023", "_2024"))


def headline(rows: pd.DataFrame, start: int, end: int) -> str:
    step = rows[f"predikat_{end}"].map(RANK) - rows[f"predikat_{start}"].map(RANK)
    return (
        f"Dari {len(rows)} instansi yang dievaluasi pada {start} dan {end}: {(step > 0).sum()} naik predikat, "
        f"{(step < 0).sum()} turun, {(step == 0).sum()} tetap."
    )


def markdown(at) -> str:
    return "\n".join(element.value for element in at.markdown)


def test_the_page_opens_on_2023_to_2024_with_the_headline_of_the_607_instansi(both):
    at = open_page()
    assert not at.exception
    assert (at.selectbox(key="dari").value, at.selectbox(key="ke").value) == (2023, 2024)
    assert headline(both, 2023, 2024) in markdown(at)
    metrics = {metric.label: metric.value for metric in at.metric}
    below = both["predikat_2023"].isin(["Kurang", "Cukup"])
    crossed = below & ~both["predikat_2024"].isin(["Kurang", "Cukup"])
    assert metrics["Masuk Baik ke atas"] == str(crossed.sum())
    assert not at.warning  # official years only
    assert len(at.get("plotly_chart")) == 6  # matrix, flow, two slope charts, by kelompok, map


def test_a_kelompok_in_the_url_narrows_to_the_ministries_of_both_years(both):
    at = open_page(kelompok="Kementerian")
    assert not at.exception
    ministries = both[both["kelompok_2024"] == "Kementerian"]
    assert len(ministries) == 34
    assert headline(ministries, 2023, 2024) in markdown(at)
    assert at.multiselect(key="kelompok").value == ["Kementerian"]


def test_an_impossible_pair_in_the_url_says_so_and_shows_the_default(both):
    at = open_page(dari="2024", ke="2023")
    assert not at.exception
    assert any("Pasangan tahun 2024 → 2023 tidak dapat dibandingkan" in w.value for w in at.warning)
    assert (at.selectbox(key="dari").value, at.selectbox(key="ke").value) == (2023, 2024)
    assert headline(both, 2023, 2024) in markdown(at)


def test_a_pair_with_2018_warns_that_its_numbers_are_simulated(store):
    at = open_page(dari="2018", ke="2023")
    assert not at.exception
    assert (at.selectbox(key="dari").value, at.selectbox(key="ke").value) == (2018, 2023)
    assert any("SIMULASI" in w.value for w in at.warning)
    pair = store.results(2018).merge(store.results(2023), on="instansi_id", suffixes=("_2018", "_2023"))
    assert headline(pair, 2018, 2023) in markdown(at)


def test_instansi_of_one_year_only_are_counted_listed_and_downloaded_as_shown(store, both):
    at = open_page()
    subheaders = [element.value for element in at.subheader]
    assert "Hanya pada 2023: 14 instansi" in subheaders  # 621 - 607
    assert "Hanya pada 2024: 8 instansi" in subheaders  # 615 - 607
    only_2024 = store.results(2024)[~store.results(2024)["instansi_id"].isin(both["instansi_id"])]
    shown = at.dataframe[-1].value
    assert sorted(shown["Instansi"]) == sorted(only_2024["nama"])
    # the CSV the page offers for that list (ui.downloads of the same table), read back
    pair = change_charts.comparison(store, 2023, 2024)
    table = change_charts.one_year_table(pair.only_end, 2024)
    read = pd.read_csv(io.BytesIO(csv_bytes(table, "Hanya dievaluasi pada 2024")), comment="#")
    assert sorted(read["Instansi"]) == sorted(shown["Instansi"])
    assert set(read["Asal data"]) == {"resmi"} and read["Sumber"].notna().all()
    assert read["Indeks 2024"].tolist() == [round(v, 2) for v in table["indeks_2024"]]
