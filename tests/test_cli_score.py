"""python -m spbe score FILE [--year Y] [--json]: long or wide, CSV or XLSX."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import Workbook

from spbe.settings import ROOT


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "spbe", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def wide_2018(tmp_path, suffix=".csv", with_year=True):
    rows = [{"instansi": "Kota Contoh", **{f"I{i}": 3 for i in range(1, 36)}}]
    # Kab. Contoh: policy indicators at 1, governance at 2, services at 3 -> 0.17*1 + 0.28*2 + 0.55*3 = 2.38
    rows.append({"instansi": "Kab. Contoh", **{f"I{i}": 1 if i <= 17 else 2 if i <= 24 else 3 for i in range(1, 36)}})
    table = pd.DataFrame(rows)
    if with_year:
        table.insert(0, "tahun", 2018)
    path = tmp_path / f"levels{suffix}"
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_excel(path, index=False)
    return path


def test_wide_csv_prints_index_predikat_and_domains_in_indonesian_format(tmp_path):
    result = run_cli("score", wide_2018(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Kab. Contoh: indeks 2,38 (Cukup)" in result.stdout
    assert "domain: Kebijakan Internal SPBE 1,00; Tata Kelola SPBE 2,00; Layanan SPBE 3,00" in result.stdout
    assert "Kota Contoh: indeks 3,00 (Baik)" in result.stdout


def test_json_output_has_the_documented_keys_and_unrounded_index(tmp_path):
    result = run_cli("score", wide_2018(tmp_path, ".xlsx", with_year=False), "--year", "2018", "--json")
    assert result.returncode == 0, result.stderr
    by_name = {item["instansi"]: item for item in json.loads(result.stdout)}
    item = by_name["Kab. Contoh"]
    assert set(item) >= {"instansi", "indeks", "predikat", "jenis_komponen", "komponen"}
    assert item["indeks"] == pytest.approx(2.38, abs=1e-12)
    assert item["predikat"] == "Cukup"
    expected_domains = {"Kebijakan Internal SPBE": 1.0, "Tata Kelola SPBE": 2.0, "Layanan SPBE": 3.0}
    assert (item["jenis_komponen"], item["komponen"]) == ("domain", pytest.approx(expected_domains))


def test_long_file_scores_with_the_2020_framework(tmp_path):
    rows = [(2024, "Instansi X", i, 4) for i in range(1, 48)]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["tahun", "instansi", "indikator", "tingkat"]).to_csv(path, index=False)
    result = run_cli("score", path, "--json")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert (item["indeks"], item["predikat"], len(item["komponen"])) == (4.0, "Sangat Baik", 4)


def test_invalid_levels_exit_2_with_every_error_on_stderr(tmp_path):
    path = wide_2018(tmp_path)
    text = path.read_text().splitlines()
    text[1] = text[1].replace(",3,3,", ",7,x,", 1)
    path.write_text("\n".join(text) + "\n")
    result = run_cli("score", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "2 masalah" in result.stderr
    assert "nilai '7': bukan tingkat bulat 1-5" in result.stderr
    assert "nilai 'x': tingkat bukan angka" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("a,b\n1,2\n", "x.csv", "tidak ditemukan baris judul kolom yang dikenali"),
        ("instansi,I1\nA,1\n", "x.csv", "kolom tahun tidak ada"),
        ("bukan tabel", "x.pdf", "format .pdf tidak didukung"),
        ("\x00\x01garbage", "x.xlsx", "bukan berkas XLSX yang sah"),
    ],
)
def test_unreadable_files_exit_2_with_a_plain_message(tmp_path, content, name, expected):
    path = tmp_path / name
    path.write_text(content)
    result = run_cli("score", path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = run_cli("score", tmp_path / "tidak_ada.csv")
    assert result.returncode == 2
    assert "tidak_ada.csv: berkas tidak ditemukan" in result.stderr


def test_a_year_without_framework_is_refused(tmp_path):
    result = run_cli("score", wide_2018(tmp_path, with_year=False), "--year", "2015")
    assert result.returncode == 2
    assert "bukan tahun evaluasi SPBE" in result.stderr


# A file's own year is never overridden (issue #13)


def test_score_refuses_a_given_year_that_contradicts_the_tahun_column(tmp_path):
    result = run_cli("score", wide_2018(tmp_path), "--year", "2019")
    assert result.returncode == 2 and result.stdout == ""
    assert "levels.csv, baris 2-3, kolom tahun: tahun 2018 di berkas, bukan 2019 yang dipilih" in result.stderr


def wide_workbook(tmp_path, sheets: dict[str, list[tuple[str, int]]]):
    """One wide 2018-framework sheet per entry: (instansi, level of every indicator), no tahun column;
    a sheet without rows is left blank."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if rows:
            sheet.append(["instansi", *[f"I{i}" for i in range(1, 36)]])
        for name, level in rows:
            sheet.append([name, *[level] * 35])
    path = tmp_path / "tingkat.xlsx"
    workbook.save(path)
    return path


def test_score_refuses_a_given_year_that_contradicts_the_sheet_name(tmp_path):
    result = run_cli("score", wide_workbook(tmp_path, {"Tingkat 2018": [("Kota Contoh", 3)]}), "--year", "2020")
    assert result.returncode == 2 and result.stdout == ""
    assert "tingkat.xlsx, lembar Tingkat 2018, baris 2: tahun 2018 menurut nama lembar, bukan 2020 yang dipilih" in (
        result.stderr
    )


def test_score_reads_every_sheet_in_its_own_year(tmp_path):
    path = wide_workbook(tmp_path, {"Catatan": [], "2018": [("Kota Contoh", 3)], "2019": [("Kota Contoh", 4)]})
    result = run_cli("score", path)
    assert result.returncode == 0, result.stderr
    assert "2018  Kota Contoh: indeks 3,00 (Baik)" in result.stdout
    assert "2019  Kota Contoh: indeks 4,00 (Sangat Baik)" in result.stdout


def test_score_names_the_sheet_of_each_problem(tmp_path):
    path = wide_workbook(tmp_path, {"2018": [("Kota Contoh", 3)], "2019": [("Kota Contoh", 3), ("Kab. Contoh", 6)]})
    result = run_cli("score", path)
    assert result.returncode == 2 and result.stdout == ""
    assert "lembar 2019: 35 masalah pada tabel tingkat indikator:\nbaris 3, kolom tingkat, nilai '6'" in result.stderr


def test_score_refuses_a_header_without_rows(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("tahun,instansi,indikator,tingkat\n")
    result = run_cli("score", path)
    assert result.returncode == 2 and result.stdout == ""
    assert "kosong.csv: tabel tanpa baris data (hanya judul kolom)" in result.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_score_reads_utf16_and_windows_1252_and_prints_names_exactly(tmp_path, encoding):
    path = wide_2018(tmp_path)
    path.write_bytes(path.read_text().replace("Kab. Contoh", "Kab. Contoh’é").encode(encoding))
    result = run_cli("score", path)
    assert result.returncode == 0, result.stderr
    assert "Kab. Contoh’é: indeks 2,38 (Cukup)" in result.stdout


def test_a_2026_file_prints_its_aspects_as_components(tmp_path):
    # PermenPANRB 8/2026 has no domains: its index is built from 7 aspects. All 20 indicators at 2,
    # Kepuasan Pengguna (indicators 19 and 20, weight 25) at 4: (75 x 2 + 25 x 4) / 100 = 2,50, Baik
    row = {"tahun": 2026, "instansi": "Kab. Contoh", **{f"I{i}": 4 if i >= 19 else 2 for i in range(1, 21)}}
    path = tmp_path / "pemdi.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    result = run_cli("score", path)
    assert result.returncode == 0, result.stderr
    assert (
        "Kab. Contoh: indeks 2,50 (Baik) · aspek: Tata Kelola dan Manajemen 2,00; Penyelenggara 2,00;" in result.stdout
    )
    assert "Keterpaduan Layanan Digital 2,00; Kepuasan Pengguna 4,00" in result.stdout
    (item,) = json.loads(run_cli("score", path, "--json").stdout)
    assert (item["jenis_komponen"], len(item["komponen"]), item["komponen"]["Data"]) == ("aspek", 7, 2.0)
