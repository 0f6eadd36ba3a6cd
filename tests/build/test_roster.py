"""Specification of the instansi registry as built from the reference rosters (spbe/build/roster.py),
and of the 2018 roster."""

from __future__ import annotations

import importlib.util
import shutil

import pandas as pd
import pytest

from spbe.build.roster import RegistryError, build_registry, load_roster_2018, write_registry
from spbe.data.registry import COLUMNS, KATEGORI, normalise_name, read_registry, registry_path, resolve_names
from spbe.settings import ROOT

REFERENCE = ROOT / "data" / "reference"

ROSTER_COUNTS = {
    "Kementerian": 34,
    "LPNK": 27,
    "Lembaga lainnya": 29,
    "Polda": 34,
    "Provinsi": 34,
    "Kota": 88,
    "Kabupaten": 370,
}


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return build_registry(REFERENCE)


@pytest.fixture(scope="module")
def results(registry) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / "results_2023_2024.csv", dtype={"year": int})
    frame["instansi_id"] = resolve_names(frame["instansi"], registry).to_numpy()
    return frame


@pytest.fixture(scope="module")
def roster() -> pd.DataFrame:
    return load_roster_2018(REFERENCE)


def _codes(name: str, column: str = "kode") -> set[str]:
    return set(pd.read_csv(REFERENCE / name, dtype=str)[column])


# --------------------------------------------------------------------------- registry shape


def test_registry_has_exactly_the_documented_columns(registry):
    assert list(registry.columns) == COLUMNS


def test_every_instansi_id_is_unique(registry):
    assert registry["instansi_id"].is_unique


def test_every_kategori_is_allowed_and_lokus_follows_it(registry):
    assert set(registry["kategori"]) <= set(KATEGORI)
    pemda = registry["kategori"].isin(["Provinsi", "Kabupaten", "Kota"])
    assert (registry.loc[pemda, "lokus"] == "Pemerintah Daerah").all()
    assert (registry.loc[~pemda, "lokus"] == "Instansi Pusat").all()


def test_pemda_ids_are_kemendagri_codes(registry):
    ids = registry.set_index("instansi_id")
    assert ids.loc["33", "nama"] == "Provinsi Jawa Tengah"
    assert ids.loc["33.74", "nama"] == "Kota Semarang"
    assert ids.loc["33.74", "kategori"] == "Kota"
    counts = registry["kategori"].value_counts()
    assert counts["Provinsi"] == 38
    assert counts["Kabupaten"] + counts["Kota"] == 514


def test_every_pemda_has_a_province_code_of_the_38(registry):
    pemda = registry[registry["lokus"] == "Pemerintah Daerah"]
    assert pemda["kode_provinsi"].notna().all()
    assert set(pemda["kode_provinsi"]) <= _codes("provinsi_38.csv")
    kabkota = pemda[pemda["kategori"] != "Provinsi"]
    assert (kabkota["instansi_id"].str[:2] == kabkota["kode_provinsi"]).all()


def test_2018_province_codes_are_the_34_of_2018(registry, roster):
    codes_2018 = _codes("provinsi_34_2018.csv")
    assert set(registry["kode_provinsi_2018"].dropna()) <= codes_2018
    assert set(roster["kode_provinsi_2018"].dropna()) <= codes_2018


def test_the_2022_papua_provinces_come_from_papua_and_papua_barat(registry):
    ids = registry.set_index("instansi_id")
    expected = {
        "93": ("Papua Selatan", "91"),
        "94": ("Papua Tengah", "91"),
        "95": ("Papua Pegunungan", "91"),
        "96": ("Papua Barat Daya", "92"),
    }
    for code, (nama, code_2018) in expected.items():
        assert ids.loc[code, "nama_provinsi"] == nama
        assert ids.loc[code, "kode_provinsi_2018"] == code_2018
        assert pd.isna(ids.loc[code, "kelompok_2018"])  # did not exist in 2018


def test_polda_are_central_with_a_2018_province(registry):
    polda = registry[registry["kategori"] == "Polda"].set_index("instansi_id")
    assert len(polda) == 34
    assert set(polda["kode_provinsi_2018"]) == _codes("provinsi_34_2018.csv")
    assert (polda["lokus"] == "Instansi Pusat").all()
    assert polda.loc["POLDA-31", "nama"] == "Kepolisian Daerah Metro Jaya"
    assert polda.loc["POLDA-33", "nama"] == "Kepolisian Daerah Jawa Tengah"


def test_successors_exist_and_dissolved_2018_agencies_point_to_them(registry):
    ids = registry.set_index("instansi_id")
    successors = registry["successor_id"].dropna()
    assert set(successors) <= set(registry["instansi_id"])
    for old in ("LIPI", "BPPT", "BATAN", "LAPAN"):
        assert ids.loc[old, "successor_id"] == "BRIN"
    assert ids.loc["BNP2TKI", "successor_id"] == "BP2MI"
    assert ids.loc["BEKRAF", "successor_id"] == "KEMENPAREKRAF"


def test_aliases_include_the_name_and_each_alias_names_one_instansi(registry):
    assert all(nama in aliases for nama, aliases in zip(registry["nama"], registry["aliases"], strict=True))
    keys = [normalise_name(a) for aliases in registry["aliases"] for a in aliases]
    assert len(keys) == len(set(keys))


def test_alias_file_has_a_source_on_every_row():
    aliases = pd.read_csv(REFERENCE / "instansi_alias.csv", dtype=str, keep_default_na=False)
    assert list(aliases.columns) == ["alias", "instansi_id", "source"]
    assert (aliases["source"].str.strip() != "").all()


def test_reference_csvs_written_here_carry_a_source_on_every_row():
    for name in ("provinsi_38.csv", "instansi_pusat.csv"):
        frame = pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)
        assert (frame["source"].str.strip() != "").all(), name
    roster = pd.read_csv(REFERENCE / "roster_2018.csv", dtype=str, keep_default_na=False)
    assert (roster["selection"].str.strip() != "").all()


# --------------------------------------------------------------------------- roster 2018


def test_roster_has_623_instansi_of_which_616_evaluated_with_published_group_counts(roster):
    assert len(roster) == 623
    assert roster["instansi_id"].is_unique
    evaluated = roster[roster["evaluated_2018"]]
    assert len(evaluated) == 616
    assert evaluated["kelompok_2018"].value_counts().to_dict() == ROSTER_COUNTS
    assert (~roster["evaluated_2018"]).sum() == 7


def test_roster_ids_are_in_the_registry_and_match_its_2018_group(roster, registry):
    ids = registry.set_index("instansi_id")
    assert set(roster["instansi_id"]) <= set(ids.index)
    assert (ids.loc[roster["instansi_id"], "kelompok_2018"].to_numpy() == roster["kelompok_2018"].to_numpy()).all()


def test_roster_provinces_are_the_34_of_2018(roster):
    provinces = roster[roster["kelompok_2018"] == "Provinsi"]
    assert set(provinces["instansi_id"]) == _codes("provinsi_34_2018.csv")


def test_roster_pemda_are_autonomous_and_existed_in_2018(roster, registry):
    kabkota = roster[roster["kelompok_2018"].isin(["Kabupaten", "Kota"])]
    rows = registry.set_index("instansi_id").loc[kabkota["instansi_id"]]
    assert rows["kode_provinsi_2018"].notna().all()
    assert not rows["sumber"].str.contains("administrative").any()
    not_evaluated = roster[~roster["evaluated_2018"]]
    assert set(not_evaluated["kelompok_2018"]) <= {"Kabupaten", "Kota"}


def test_roster_prefers_kabkota_of_the_2023_table(roster, results):
    in_2023 = set(results.loc[results["year"] == 2023, "instansi_id"])
    kabupaten = roster[(roster["kelompok_2018"] == "Kabupaten") & roster["evaluated_2018"]]
    kota = roster[(roster["kelompok_2018"] == "Kota") & roster["evaluated_2018"]]
    # 398 kabupaten and all 93 kota are in the 2023 table: every pick comes from it
    assert set(kabupaten["instansi_id"]) <= in_2023
    assert set(kota["instansi_id"]) <= in_2023


# --------------------------------------------------------------------------- files


def test_committed_parquet_equals_a_fresh_build(registry):
    committed = read_registry(registry_path(ROOT / "data"))
    pd.testing.assert_frame_equal(committed, registry)


def test_write_registry_is_atomic_and_leaves_no_temporary_files(tmp_path, registry):
    target = tmp_path / "instansi.parquet"
    write_registry(target, REFERENCE)
    pd.testing.assert_frame_equal(read_registry(target), registry)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instansi.parquet"]


def test_a_failed_build_writes_nothing(tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (reference / "instansi_alias.csv").open("a", encoding="utf-8") as handle:
        handle.write("Kota Semarang,33,deliberate conflict\n")
    target = tmp_path / "out" / "instansi.parquet"
    with pytest.raises(RegistryError) as caught:
        write_registry(target, reference_dir=reference)
    message = str(caught.value)
    assert "instansi_alias.csv line" in message and "Kota Semarang" in message
    assert not target.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_reference_rows_are_reported_with_file_line_column_and_value(tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = reference / "instansi_pusat.csv"
    text = path.read_text(encoding="utf-8").replace(",LPNK,Instansi Pusat,", ",Badan,Instansi Pusat,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=r"instansi_pusat\.csv line \d+, column kategori, value 'Badan'"):
        build_registry(reference)


def _run_builder(script: str, monkeypatch, tmp_path) -> bytes:
    spec = importlib.util.spec_from_file_location(script, REFERENCE / f"{script}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    output = tmp_path / f"{script}.csv"
    monkeypatch.setattr(module, "OUTPUT", output)
    assert module.main() == 0
    return output.read_bytes()


@pytest.mark.parametrize(
    ("script", "committed"), [("build_aliases", "instansi_alias.csv"), ("build_roster", "roster_2018.csv")]
)
def test_committed_csv_is_what_its_build_script_generates(script, committed, monkeypatch, tmp_path):
    generated = _run_builder(script, monkeypatch, tmp_path)
    assert generated == (REFERENCE / committed).read_bytes()
