"""Results speak of components (the top level of the year's framework), not of four domains: a year of
PermenPANRB 8/2026 has seven aspect indices, and files written in the layout before (domain_1..domain_4)
still load."""

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spbe.data.datafiles import read_results, results_path, write_levels, write_results
from spbe.data.store import Store
from spbe.data.versions import VersionStore
from spbe.model.scoring import score_levels
from spbe.settings import ROOT
from tests.frameworks import ASPECTS_2026, F2026

CHECKOUT_DATA = ROOT / "data"  # read only

# Registry ids: Kementerian Keuangan, Kabupaten Luwu, Kabupaten Asmat
IDS = ["KEMENKEU", "73.17", "93.04"]


def levels_2026() -> pd.DataFrame:
    """Kemenkeu at 4 everywhere, Luwu at 2 except Kepuasan Pengguna (19, 20) at 4, Asmat at 1."""
    rows = []
    for instansi_id, level in zip(IDS, (4, 2, 1), strict=True):
        for indicator in F2026.indicator_numbers:
            raised = instansi_id == "73.17" and indicator in (19, 20)
            rows.append((2026, instansi_id, indicator, 4 if raised else level))
    return pd.DataFrame(rows, columns=["tahun", "instansi", "indikator", "tingkat"])


def write_2026(data_dir) -> None:
    """A 2026 year as an import writes it: results with komponen_1..7 and the indicator levels."""
    levels = levels_2026()
    scores = score_levels(levels, F2026)
    results = pd.DataFrame(
        {
            "instansi_id": scores.index["instansi"],
            "nama_sumber": scores.index["instansi"],
            "indeks": scores.index["indeks"],
            "predikat": scores.index["predikat"],
            **{f"komponen_{k}": scores.components.iloc[:, k - 1] for k in range(1, 8)},
            "provenance": "impor",
            "sumber": "uji 2026",
            "catatan": None,
        }
    )
    write_results(results, 2026, data_dir)
    rows = levels.rename(columns={"instansi": "instansi_id"}).drop(columns="tahun")
    write_levels(rows.assign(provenance="impor", sumber="uji 2026"), 2026, data_dir)


@pytest.fixture
def store_2026(data_dir):
    write_2026(data_dir)
    return Store(data_dir)


def test_a_2026_year_has_the_seven_aspects_of_its_framework_as_components(store_2026):
    results = store_2026.results(2026).set_index("instansi_id")
    assert [c for c in results.columns if c.startswith("komponen_")] == [f"komponen_{k}" for k in range(1, 8)]
    assert not [c for c in results.columns if c.startswith("domain_")]
    # Luwu: 2 everywhere, 4 on the 10 + 15 points of Kepuasan Pengguna: (75 x 2 + 25 x 4) / 100 = 2,5
    assert results.loc["73.17", "indeks"] == 2.5 and results.loc["73.17", "predikat"] == "Baik"
    assert results.loc["73.17", ["komponen_1", "komponen_7"]].tolist() == [2.0, 4.0]
    # A year of four domains keeps its four
    assert [c for c in store_2026.results(2024).columns if c.startswith("komponen_")] == [
        f"komponen_{k}" for k in range(1, 5)
    ]


def test_component_means_of_2026_are_named_by_its_aspects(store_2026):
    means = store_2026.component_means(2026, None)
    assert means.columns.tolist() == ["kelompok_tampil", "komponen_no", "komponen", "rata_rata", "n"]
    assert means["komponen"].tolist() == ASPECTS_2026
    assert means["n"].eq(3).all()
    assert means.set_index("komponen").at["Kepuasan Pengguna", "rata_rata"] == pytest.approx((4 + 4 + 1) / 3)
    assert store_2026.component_means(2024, None)["komponen"].tolist() == [
        "Kebijakan Internal SPBE",
        "Tata Kelola SPBE",
        "Manajemen SPBE",
        "Layanan SPBE",
    ]


def test_the_history_of_an_instansi_names_the_framework_and_scale_of_each_year(store_2026):
    history = store_2026.instansi_history("KEMENKEU").set_index("tahun")
    assert history.index.tolist() == [2018, 2023, 2024, 2026]
    assert history["kerangka"].tolist() == [
        "permenpanrb-5-2018",
        "permenpanrb-59-2020",
        "permenpanrb-59-2020",
        "permenpanrb-8-2026",
    ]
    assert history["skala_indeks"].nunique() == 2  # the instrument changes in 2026
    assert history.at[2026, "skala_indeks"] == "Indeks Pemerintah Digital skala 1–5"
    assert not [c for c in history.columns if c.startswith(("komponen_", "domain_"))]  # meaningless across years


def test_the_components_of_an_instansi_read_by_name_across_frameworks(store_2026):
    components = store_2026.instansi_components("73.17")
    assert components.columns.tolist() == ["tahun", "komponen_no", "komponen", "nilai"]
    assert components.groupby("tahun").size().to_dict() == {2018: 3, 2023: 4, 2024: 4, 2026: 7}
    assert components.loc[components["tahun"] == 2026, "komponen"].tolist() == ASPECTS_2026
    luwu_2024 = components[components["tahun"] == 2024].set_index("komponen")["nilai"]
    assert luwu_2024["Layanan SPBE"] == 3.75  # the official table (KepmenPANRB 663/2024)


def test_a_component_missing_in_the_source_stays_missing_in_the_long_form():
    store = Store(CHECKOUT_DATA)
    missing = store.results(2024)
    instansi_id = missing.loc[missing["komponen_1"].isna(), "instansi_id"].iloc[0]
    rows = store.instansi_components(instansi_id)
    row = rows[(rows["tahun"] == 2024) & (rows["komponen_no"] == 1)]
    assert len(row) == 1 and row["nilai"].isna().all()


def test_indicator_views_of_2026_need_no_domains_or_modules(store_2026):
    levels = store_2026.instansi_levels(2026, "73.17")
    assert len(levels) == 20
    assert set(levels["komponen"]) == set(ASPECTS_2026)
    assert levels.set_index("indikator").at[20, "komponen"] == "Kepuasan Pengguna"
    indicators = store_2026.indicator_means(2026, None)
    assert len(indicators) == 20 and indicators["modul"].isna().all()
    assert sorted(set(indicators["komponen_no"])) == list(range(1, 8))
    assert len(store_2026.aspect_means(2026, None)) == 7
    assert len(store_2026.levels(2026)) == 60
    assert store_2026.years().set_index("tahun").at[2026, "grain"] == "indicator"
    assert store_2026.years().set_index("tahun").at[2024, "grain"] == "component"


# --------------------------------------------------------------------------- the layout before


def write_in_layout_before(frame: pd.DataFrame, path) -> None:
    """A results file as written before components: domain_1..domain_4 (the fourth empty in 2018)."""
    columns = {f"komponen_{k}": f"domain_{k}" for k in range(1, 5)}
    old = frame.rename(columns=columns)
    for column in columns.values():
        if column not in old.columns:
            old[column] = float("nan")
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(old, preserve_index=False), path)


def test_an_import_snapshot_in_the_layout_before_loads_as_components(data_dir):
    # Version v0001 holds 2018 and 2024 as an import of the layout before wrote them; 2023 is the base's.
    for year in (2018, 2024):
        write_in_layout_before(
            pd.read_parquet(results_path(year, data_dir)), data_dir / "imports" / "v0001" / results_path(year, ".")
        )
    old = Store(data_dir, version="v0001")
    new = Store(data_dir)
    for year in (2018, 2023, 2024):
        components = [f"komponen_{k}" for k in range(1, 4 if year == 2018 else 5)]
        assert [c for c in old.results(year).columns if c.startswith(("komponen_", "domain_"))] == components
        pd.testing.assert_frame_equal(old.results(year), new.results(year))
    pd.testing.assert_frame_equal(old.component_means(2024, "kategori"), new.component_means(2024, "kategori"))
    assert old.summary(2024).baik_or_better_count == 469
    # What an import merges its rows into is read the same way
    before, _ = VersionStore(data_dir).year_frames(2024, "v0001")
    assert [c for c in before.columns if c.startswith(("komponen_", "domain_"))] == [
        f"komponen_{k}" for k in range(1, 5)
    ]
    snapshot = read_results(data_dir / "imports" / "v0001" / results_path(2018, "."))
    assert [c for c in snapshot.columns if c.startswith(("komponen_", "domain_"))] == [
        f"komponen_{k}" for k in range(1, 4)
    ]


def test_results_are_written_with_components_only(tmp_path):
    frame = pd.read_parquet(results_path(2024, CHECKOUT_DATA))
    with pytest.raises(ValueError, match="domain_1"):
        write_results(frame.rename(columns={"komponen_1": "domain_1"}), 2024, tmp_path)
    with pytest.raises(ValueError, match="tanpa celah"):
        write_results(frame.drop(columns="komponen_2"), 2024, tmp_path)
