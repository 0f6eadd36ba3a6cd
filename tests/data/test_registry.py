"""Specification of the instansi registry as read at run time (spbe/data/registry.py): name resolution."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from spbe.data.registry import UnmatchedNamesError, resolve_names
from spbe.settings import ROOT

REFERENCE = ROOT / "data" / "reference"


@pytest.fixture(scope="module")
def results(registry) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / "results_2023_2024.csv", dtype={"year": int})
    frame["instansi_id"] = resolve_names(frame["instansi"], registry).to_numpy()
    return frame


# --------------------------------------------------------------------------- name resolution


def test_all_official_2023_and_2024_rows_resolve(results):
    assert len(results) == 1236
    assert results["instansi_id"].notna().all()


def test_no_instansi_appears_twice_in_one_year(results):
    assert not results.duplicated(["year", "instansi_id"]).any()
    assert results.groupby("year")["instansi_id"].nunique().to_dict() == {2023: 621, 2024: 615}


def test_at_least_580_instansi_match_between_2023_and_2024(results):
    ids_2023 = set(results.loc[results["year"] == 2023, "instansi_id"])
    ids_2024 = set(results.loc[results["year"] == 2024, "instansi_id"])
    assert len(ids_2023 & ids_2024) >= 580


def test_resolved_pemda_agree_with_the_printed_category_and_province(results, registry):
    merged = results.merge(registry, on="instansi_id")
    pemda = merged[merged["lokus_x"] == "Pemerintah Daerah"]
    assert (pemda["category"] == pemda["kategori"]).all()
    province_ids = resolve_names(pemda["province"], registry).to_numpy()
    assert (province_ids == pemda["kode_provinsi"].to_numpy()).all()


def test_printed_spelling_variants_resolve_to_the_kemendagri_unit(registry):
    expected = {
        "Pemerintah D.I. Yogyakarta": "34",
        "Pemerintah Aceh": "11",
        "Pemerintah Provinsi Kep. Bangka Belitung": "19",
        "Kab. Pangkajene Dan Kepulauan": "73.10",
        "Kota Baubau": "74.72",
        "Kota Bau-Bau": "74.72",
        "Kab. Toli-Toli": "72.04",
        "Pemerintah Kab. Tolitoli": "72.04",
        "Kab. Kepulauan Siau Tagulandang Biaro": "71.09",
        "Kota Padangsidimpuan": "12.77",
        "Badan Pengusahaan Badan Pengusahaan Kawasan Perdagangan Bebas dan Pelabuhan Bebas Batam": "BPBATAM",
        "Kementerian Pariwisata": "KEMENPAREKRAF",
        "Badan Koordinasi Penanaman Modal": "BKPM",
        "Polda Metro Jaya": "POLDA-31",
    }
    resolved = resolve_names(list(expected), registry)
    assert resolved.to_dict() == expected


def test_lookup_ignores_case_and_whitespace_only(registry):
    resolved = resolve_names(["  kota   SEMARANG ", "Kota Semarang"], registry)
    assert resolved.tolist() == ["33.74", "33.74"]
    with pytest.raises(UnmatchedNamesError):
        resolve_names(["Kota Semarangg"], registry)  # no fuzzy matching


def test_unknown_names_raise_an_error_naming_each_of_them(registry):
    with pytest.raises(UnmatchedNamesError) as caught:
        resolve_names(["Kota Semarang", "Kementerian Urusan Fiktif", "Kabupaten Antah Berantah"], registry)
    assert caught.value.names == ["Kementerian Urusan Fiktif", "Kabupaten Antah Berantah"]
    assert "Kementerian Urusan Fiktif" in str(caught.value)
    assert "Kabupaten Antah Berantah" in str(caught.value)


def test_registry_module_does_not_import_streamlit():
    source = (Path(sys.modules["spbe.data.registry"].__file__)).read_text(encoding="utf-8")
    assert "streamlit" not in source.replace("imports streamlit", "")
