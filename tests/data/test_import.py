"""Importing results: real spreadsheet quirks, every problem named, versions, crashes, readers."""

import hashlib
import io
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from spbe import cli
from spbe.data.importer import ImportRejected, parse_import
from spbe.data.store import Store
from spbe.data.versions import BASE_VERSION, VersionError, VersionStore
from spbe.model.scoring import check_results
from spbe.settings import DATA, ROOT
from tests.frameworks import FRAMEWORKS

OFFICIAL = pd.read_csv(ROOT / "data" / "reference" / "results_2023_2024.csv")


def decimal_comma(value) -> str:
    return "" if pd.isna(value) else f"{value:.2f}".replace(".", ",")


def report_style_xlsx(year: int = 2024, extra_rows: list[list] | None = None) -> bytes:
    """The official table as a report spreadsheet: a title, a two-row header with merged cells,
    decimal commas stored as text, a blank row and a national-average row at the end."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Hasil {year}"
    sheet.append([f"Hasil Evaluasi SPBE Tahun {year}"])
    sheet.append([])
    sheet.append(["No", "Nama Instansi", "Indeks Domain", None, None, None, "Nilai Indeks", "Predikat"])
    sheet.append([None, None, "Kebijakan", "Tata Kelola", "Manajemen", "Layanan", None, None])
    for cells in ("A3:A4", "B3:B4", "C3:F3", "G3:G4", "H3:H4"):
        sheet.merge_cells(cells)
    rows = OFFICIAL[OFFICIAL["year"] == year]
    for number, row in enumerate(rows.itertuples(), start=1):
        sheet.append(
            [
                number,
                row.instansi,
                decimal_comma(row.d1_kebijakan),
                decimal_comma(row.d2_tata_kelola),
                decimal_comma(row.d3_manajemen),
                decimal_comma(row.d4_layanan),
                decimal_comma(row.indeks),
                row.predikat,
            ]
        )
    for extra in extra_rows or []:
        sheet.append(extra)
    sheet.append([])
    sheet.append([None, "Rata-rata nasional", None, None, None, None, "3,17", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def store_bytes(data_dir) -> dict[str, bytes]:
    """Every file of the store, to prove a refused import changed nothing."""
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


# Round trips


def test_the_official_2024_table_as_a_report_xlsx_reproduces_the_stored_results(data_dir, registry):
    parsed = parse_import(report_style_xlsx(2024), "hasil_2024.xlsx", registry, FRAMEWORKS, year=2024)
    assert [(p.year, p.shape, len(p.results)) for p in parsed.years] == [(2024, "domain", 615)]
    assert parsed.skipped == [
        "lembar Hasil 2024, baris 620 dilewati: baris kosong",
        "lembar Hasil 2024, baris 621 dilewati: baris ringkasan (Rata-rata nasional)",
    ]
    versions = VersionStore(data_dir)
    preview = versions.preview(parsed.years[0])
    assert (len(preview.added), len(preview.replaced), len(preview.kept)) == (0, 615, 0)
    version = versions.commit(parsed, who="uji")
    before = Store(data_dir, version=BASE_VERSION).results(2024).set_index("instansi_id").sort_index()
    after = Store(data_dir).results(2024).set_index("instansi_id").sort_index()
    columns = ["indeks", "predikat", "komponen_1", "komponen_2", "komponen_3", "komponen_4"]
    pd.testing.assert_frame_equal(before[columns], after[columns])
    assert set(after["provenance"]) == {"impor"}
    assert Store(data_dir).summary(2024).baik_or_better_count == 469
    assert version == "v0001"


def test_an_indicator_file_built_from_the_2018_simulation_scores_to_the_same_indices(data_dir, registry):
    store = Store(data_dir)
    levels = store.levels(2018)
    wide = levels.pivot(index="instansi_id", columns="indikator", values="tingkat")
    names = store.results(2018).set_index("instansi_id")["nama"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tahun", "Nama Instansi", *[f"I{n}" for n in wide.columns]])
    for instansi_id, row in wide.iterrows():
        sheet.append([2018, names[instansi_id], *[int(v) for v in row]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_import(buffer.getvalue(), "tingkat_2018.xlsx", registry, FRAMEWORKS)
    assert [(p.year, p.shape, len(p.levels)) for p in parsed.years] == [(2018, "lebar", 616 * 35)]
    VersionStore(data_dir).commit(parsed)
    before = store.results(2018).set_index("instansi_id")["indeks"].sort_index()
    after = Store(data_dir).results(2018).set_index("instansi_id")["indeks"].sort_index()
    np.testing.assert_allclose(after.to_numpy(), before.to_numpy(), atol=1e-12)
    assert Store(data_dir).years().set_index("tahun").at[2018, "provenance"] == "impor"


def test_a_long_csv_with_semicolons_and_header_variants_imports(data_dir, registry):
    rows = "\n".join(f"2021;Kota Surabaya;{n};{1 + n % 5}" for n in range(1, 48))
    data = f"Tahun Evaluasi;NAMA  INSTANSI;No Indikator;Tingkat Kematangan\n{rows}\n".encode()
    (parsed,) = parse_import(data, "surabaya_2021.csv", registry, FRAMEWORKS).years
    assert (parsed.year, parsed.shape, len(parsed.results)) == (2021, "panjang", 1)
    preview = VersionStore(data_dir).preview(parsed)
    assert (preview.added, preview.mean_before) == (["35.78"], None)


# Every problem named, nothing changed


def problems_of(data: bytes, name: str, registry, **kwargs) -> str:
    with pytest.raises(ImportRejected) as rejected:
        parse_import(data, name, registry, FRAMEWORKS, **kwargs)
    return "\n".join(rejected.value.problems)


def test_domain_problems_are_all_reported_with_sheet_row_column_and_value(registry):
    extra = [
        [900, "Kota Surabaja", "3,00", "3,00", "3,00", "3,00", "3,00", "Baik"],  # unknown, close to Surabaya
        [901, "Kota Surabaya", "3,00", "3,00", "3,00", "3,00", "3,80", "Baik"],  # duplicate, index off, predikat
        [902, "Kota Bandung", "6,00", "3,00", "x", "3,00", "3,00", "Luar biasa"],
    ]
    text = problems_of(report_style_xlsx(2024, extra), "salah.xlsx", registry, year=2024)
    where = "salah.xlsx, lembar Hasil 2024, baris 620, kolom instansi"
    assert f"{where}, nilai 'Kota Surabaja': instansi tidak dikenal" in text
    assert "mungkin maksudnya: Kota Surabaya" in text
    assert "baris 621, kolom indeks, nilai '3,80': tidak sesuai indeks domainnya (dihitung 3,000" in text
    assert "baris 621, kolom predikat, nilai 'Baik': indeks 3,80 berpredikat Sangat Baik" in text
    assert "instansi tercantum lebih dari sekali" in text
    assert "baris 622, kolom kebijakan, nilai '6,00': indeks domain harus 0-5" in text
    assert "baris 622, kolom manajemen, nilai 'x': bukan angka" in text
    assert "baris 622, kolom predikat, nilai 'Luar biasa': bukan predikat" in text


def test_level_problems_name_the_line_of_the_file(registry):
    rows = [f"2021,Kota Surabaya,{n},3" for n in range(1, 47)]  # indicator 47 missing
    rows += ["2021,Kota Bandung,1,7", "2021,Kota Bandung,48,3"]
    text = problems_of(("tahun,instansi,indikator,tingkat\n" + "\n".join(rows) + "\n").encode(), "l.csv", registry)
    assert "indikator belum diisi untuk instansi Kota Surabaya tahun 2021: 47" in text
    assert "l.csv, baris 48, kolom tingkat, nilai '7': bukan tingkat bulat 1-5" in text
    assert "baris 49, kolom indikator" in text and "indikator tidak ada dalam PermenPANRB 59/2020" in text


def test_a_year_outside_the_frameworks_is_refused(registry):
    text = problems_of(b"tahun,instansi,indikator,tingkat\n2015,Kota Surabaya,1,3\n", "lama.csv", registry)
    assert "Tahun 2015 tidak tercakup kerangka evaluasi SPBE" in text


def test_an_instansi_name_holding_html_is_refused_and_quoted_as_text(registry):
    data = b"tahun,instansi,indikator,tingkat\n2021,<img src=x onerror=alert(1)>,1,3\n"
    assert "nilai '<img src=x onerror=alert(1)>': instansi tidak dikenal" in problems_of(data, "x.csv", registry)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(str.encode),
        st.lists(
            st.lists(
                st.sampled_from(
                    [
                        "instansi",
                        "tahun",
                        "I1",
                        "indeks",
                        "=1+1",
                        "3,5",
                        "",
                        "x",
                        "2024",
                        "Kota Surabaya",
                        "predikat",
                        "tingkat",
                        "indikator",
                        "9" * 30,
                    ]
                ),
                max_size=12,
            ),
            max_size=30,
        ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
    ),
    name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]),
)
@example(content=b"tahun,instansI,i0,tingkat\n2020", name="f.csv")  # a lebar table with a stray tingkat column
def test_malformed_files_are_always_refused_with_a_message_and_change_nothing(data_dir, registry, content, name):
    before = store_bytes(data_dir)
    try:
        parsed = parse_import(content, name, registry, FRAMEWORKS)
    except ImportRejected as rejected:
        assert rejected.problems and all(isinstance(p, str) and p for p in rejected.problems)
    else:  # a random file that happens to be valid is fine, as long as nothing is written by parsing
        assert parsed.results is not None
    assert store_bytes(data_dir) == before


def test_huge_and_crafted_files_are_refused_at_the_limits(registry):
    too_many_rows = ("tahun,instansi,indikator,tingkat\n" + "2021,Kota Surabaya,1,3\n" * 100_001).encode()
    assert "lebih dari 100.000 baris" in problems_of(too_many_rows, "besar.csv", registry).replace(",", ".")
    assert "bukan berkas XLSX yang sah" in problems_of(b"PK\x03\x04 not really a zip", "palsu.xlsx", registry)
    workbook = Workbook()
    for number in range(40):
        workbook.create_sheet(f"L{number}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "lembar melebihi batas" in problems_of(buffer.getvalue(), "lembar.xlsx", registry)


def test_formulas_are_read_as_their_values_never_evaluated(registry):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["tahun", "instansi", "indikator", "tingkat"])
    sheet.append([2021, "Kota Surabaya", 1, "=1+2"])  # no cached value: read as empty
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "kolom tingkat, nilai ''" in problems_of(buffer.getvalue(), "rumus.xlsx", registry)


# Versions: atomic commits, rollback, crashes, concurrent readers


def test_versions_are_kept_and_rollback_restores_the_base(data_dir, registry):
    versions = VersionStore(data_dir)
    data = report_style_xlsx(2024)
    versions.commit(parse_import(data, "a.xlsx", registry, FRAMEWORKS, year=2024), who="uji")
    assert [e["versi"] for e in versions.manifest()] == ["v0001"]
    entry = versions.manifest()[0]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry["berkas"], entry["oleh"], entry["instansi"]) == ("a.xlsx", "uji", 615)
    versions.rollback(BASE_VERSION)
    assert Store(data_dir).years().set_index("tahun").at[2024, "provenance"] == "resmi"
    versions.rollback("v0001")
    assert Store(data_dir).years().set_index("tahun").at[2024, "provenance"] == "impor"
    with pytest.raises(VersionError, match="tidak ada"):
        versions.rollback("v0099")


def test_import_versions_and_rollback_commands(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(DATA.environment, str(data_dir))
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(report_style_xlsx(2024))
    assert cli.main(["import", str(path), "--year", "2024", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Tahun 2024, bentuk domain" in out and "diganti 615" in out and "tidak ada yang disimpan" in out
    assert VersionStore(data_dir).current() == BASE_VERSION
    assert cli.main(["import", str(path), "--year", "2024", "--who", "uji"]) == 0
    assert "Disimpan sebagai versi v0001" in capsys.readouterr().out
    assert cli.main(["versions"]) == 0
    assert "* v0001" in capsys.readouterr().out
    assert cli.main(["rollback", "v0000"]) == 0
    assert VersionStore(data_dir).current() == BASE_VERSION
    bad = tmp_path / "salah.csv"
    bad.write_text("tahun,instansi,indikator,tingkat\n2021,Kota Entah,1,3\n")
    assert cli.main(["import", str(bad)]) == 2
    assert "instansi tidak dikenal" in capsys.readouterr().err


def test_a_crash_between_writing_and_switching_leaves_the_store_as_it_was(data_dir):
    before = Store(data_dir).summary(2024)
    script = f"""
import os, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from spbe.data import versions
from spbe.data.importer import parse_import
from spbe.data.registry import read_registry, registry_path
from tests.data.test_import import report_style_xlsx
from tests.frameworks import FRAMEWORKS
store = versions.VersionStore(Path({str(data_dir)!r}))
registry = read_registry(registry_path(store.data_dir))
parsed = parse_import(report_style_xlsx(2024), "c.xlsx", registry, FRAMEWORKS, year=2024)
real_rename = os.rename
def rename_then_die(source, target):
    real_rename(source, target)
    os._exit(9)  # killed after the new version is in place, before CURRENT names it
os.rename = rename_then_die
store.commit(parsed)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 9, result.stderr
    assert VersionStore(data_dir).current() == BASE_VERSION
    assert Store(data_dir).summary(2024) == before
    assert not list((data_dir / "imports" / "versions").glob(".tmp-*"))


def test_readers_during_a_commit_see_only_complete_versions(data_dir, registry):
    parsed = parse_import(report_style_xlsx(2024), "b.xlsx", registry, FRAMEWORKS, year=2024)
    seen: list[tuple[str, set[str], int]] = []
    stop = threading.Event()

    def read_in_a_loop():
        while not stop.is_set():
            store = Store(data_dir)
            rows = store.results(2024)
            seen.append((store.version, set(rows["provenance"]), len(rows)))

    readers = [threading.Thread(target=read_in_a_loop) for _ in range(2)]
    for reader in readers:
        reader.start()
    version = VersionStore(data_dir).commit(parsed)
    deadline = time.monotonic() + 30
    while not any(v == version for v, _, _ in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for reader in readers:
        reader.join()
    assert {v for v, _, _ in seen} >= {version}
    for version, provenances, count in seen:
        assert count == 615
        assert provenances == ({"resmi"} if version == BASE_VERSION else {"impor"})


# One year's results never land in another (issue #13)

DOMAIN_HEADER = ["Nama Instansi", "Kebijakan", "Tata Kelola", "Manajemen", "Layanan", "Nilai Indeks", "Predikat"]


def official_rows(year: int, names: list[str]) -> pd.DataFrame:
    rows = OFFICIAL[(OFFICIAL["year"] == year) & OFFICIAL["instansi"].isin(names)]
    assert len(rows) == len(names)
    return rows


def domain_cells(rows: pd.DataFrame) -> list[list[str]]:
    """Rows of the domain shape as a report holds them: decimal commas, as text."""
    columns = ["d1_kebijakan", "d2_tata_kelola", "d3_manajemen", "d4_layanan", "indeks"]
    return [
        [row.instansi, *(decimal_comma(getattr(row, c)) for c in columns), row.predikat] for row in rows.itertuples()
    ]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list], separator: str = ";") -> str:
    return "".join(separator.join(map(str, row)) + "\n" for row in rows)


PUSAT_2023 = ["Kementerian Koordinator Bidang Perekonomian", "Kementerian Keuangan"]
PUSAT_2024 = ["Kementerian Keuangan", "Kementerian Kesehatan"]
DAERAH_2024 = ["Pemerintah Kota Surabaya", "Pemerintah Kab. Banyuwangi"]


def year_2023_stated_in(place: str) -> tuple[bytes, str, str]:
    """Two official 2023 rows whose year the file states in one place only: (data, name, where)."""
    rows = domain_cells(official_rows(2023, PUSAT_2023))
    if place == "kolom tahun":
        return csv_text([["Tahun", *DOMAIN_HEADER], *[["2023", *row] for row in rows]]).encode(), "h.csv", "h.csv"
    if place == "nama lembar":
        return workbook_bytes({"Hasil 2023": [DOMAIN_HEADER, *rows]}), "h.xlsx", "h.xlsx, lembar Hasil 2023"
    title = [["Hasil Evaluasi SPBE Tahun 2023"], ["menurut PermenPANRB Nomor 59 Tahun 2020; KepmenPANRB 13/2024"], []]
    return workbook_bytes({"Lembar1": [*title, DOMAIN_HEADER, *rows]}), "h.xlsx", "h.xlsx, lembar Lembar1"


@pytest.mark.parametrize("place", ["kolom tahun", "nama lembar", "judul"])
def test_a_given_year_never_overrides_the_year_the_file_states(registry, place):
    data, name, where = year_2023_stated_in(place)
    text = problems_of(data, name, registry, year=2024)
    lines = "baris 2-3" if place == "kolom tahun" else "baris 2-3" if place == "nama lembar" else "baris 5-6"
    assert text.startswith(f"{where}, {lines}")
    assert "tahun 2023" in text and "bukan 2024 yang dipilih" in text
    # The same file is taken as what it says: with the year it states, or with no year given
    for year in (2023, None):
        parsed = parse_import(data, name, registry, FRAMEWORKS, year=year)
        assert [(p.year, len(p.results)) for p in parsed.years] == [(2023, 2)]


def test_a_year_given_fills_in_only_where_the_file_states_none(registry):
    rows = domain_cells(official_rows(2024, PUSAT_2024))
    data = csv_text([DOMAIN_HEADER, *rows]).encode()
    assert [p.year for p in parse_import(data, "tanpa_tahun.csv", registry, FRAMEWORKS, year=2024).years] == [2024]
    assert "kolom tahun tidak ada" in problems_of(data, "tanpa_tahun.csv", registry)
    assert "sebutkan tahunnya" in problems_of(data, "tanpa_tahun.csv", registry)


def test_importing_a_2023_file_as_2024_is_refused_and_2024_keeps_its_official_counts(
    data_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(DATA.environment, str(data_dir))
    before = Store(data_dir).summary(2024).predikat_counts
    path = tmp_path / "hasil_2023.csv"
    path.write_bytes(year_2023_stated_in("kolom tahun")[0])
    assert cli.main(["import", str(path), "--year", "2024"]) == 2
    error = capsys.readouterr().err
    assert "hasil_2023.csv, baris 2-3, kolom tahun: tahun 2023 di berkas, bukan 2024 yang dipilih" in error
    assert VersionStore(data_dir).current() == BASE_VERSION
    assert Store(data_dir).summary(2024).predikat_counts == before


def several_sheets() -> bytes:
    """A workbook as admins send it: a notes sheet, central and regional 2024 tables, a 2023 table."""
    title = [["Hasil Evaluasi SPBE Tahun 2024"], []]
    return workbook_bytes(
        {
            "Catatan": [["Disusun oleh tim evaluasi"], ["Sumber: KemenPANRB"]],
            "Pusat 2024": [*title, DOMAIN_HEADER, *domain_cells(official_rows(2024, PUSAT_2024))],
            "Daerah 2024": [*title, DOMAIN_HEADER, *domain_cells(official_rows(2024, DAERAH_2024)), [], ["Rata-rata"]],
            "Hasil 2023": [DOMAIN_HEADER, *domain_cells(official_rows(2023, PUSAT_2023))],
            "Kosong": [],
        }
    )


def test_every_sheet_is_read_each_in_its_own_year_and_committed_as_one_version(data_dir, registry, monkeypatch, capsys):
    parsed = parse_import(several_sheets(), "dua_tahun.xlsx", registry, FRAMEWORKS)
    assert [(p.year, p.sheets, len(p.results)) for p in parsed.years] == [
        (2023, ["Hasil 2023"], 2),
        (2024, ["Pusat 2024", "Daerah 2024"], 4),
    ]
    assert parsed.skipped == [
        "lembar Catatan dilewati: tidak ada tabel hasil",
        "lembar Kosong dilewati: tidak ada tabel hasil",
        "lembar Daerah 2024, baris 6 dilewati: baris kosong",
        "lembar Daerah 2024, baris 7 dilewati: baris ringkasan (Rata-rata)",
    ]
    versions = VersionStore(data_dir)
    assert versions.commit(parsed, who="uji") == "v0001"
    assert versions.manifest()[0]["tahun"] == [2023, 2024]
    monkeypatch.setenv(DATA.environment, str(data_dir))
    assert cli.main(["versions"]) == 0
    assert "dua_tahun.xlsx (tahun 2023, 2024, 6 instansi, oleh uji" in capsys.readouterr().out
    for year, names in ((2023, PUSAT_2023), (2024, PUSAT_2024 + DAERAH_2024)):
        results = Store(data_dir).results(year)
        imported = results[results["provenance"] == "impor"]
        assert sorted(imported["nama_sumber"]) == sorted(names)
        assert len(results) == (621 if year == 2023 else 615)


def test_the_dry_run_names_each_year_and_the_skipped_sheets(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(DATA.environment, str(data_dir))
    path = tmp_path / "dua_tahun.xlsx"
    path.write_bytes(several_sheets())
    assert cli.main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Tahun 2023, bentuk domain (indeks domain, indeks dan predikat per instansi) (lembar Hasil 2023)" in out
    assert "(lembar Pusat 2024, Daerah 2024)\n  Dibaca: 4 baris, 4 instansi\n  Ditambah 0, diganti 4, tetap 611" in out
    assert "lembar Catatan dilewati: tidak ada tabel hasil\nlembar Kosong dilewati: tidak ada tabel hasil" in out
    assert VersionStore(data_dir).current() == BASE_VERSION


def test_one_instansi_in_two_sheets_of_the_same_year_is_a_duplicate(registry):
    rows = domain_cells(official_rows(2024, PUSAT_2024))
    data = workbook_bytes({"Pusat 2024": [DOMAIN_HEADER, *rows], "Tambahan 2024": [DOMAIN_HEADER, rows[1]]})
    text = problems_of(data, "ganda.xlsx", registry)
    assert (
        "ganda.xlsx, kolom instansi, nilai 'Kementerian Kesehatan': instansi tahun 2024 tercantum di lebih dari "
        "satu lembar (lembar Pusat 2024, baris 3; lembar Tambahan 2024, baris 2)"
    ) in text


def test_sheets_that_disagree_with_the_given_year_are_each_named(registry):
    text = problems_of(several_sheets(), "dua_tahun.xlsx", registry, year=2024)
    assert text == (
        "dua_tahun.xlsx, lembar Hasil 2023, baris 2-3: tahun 2023 menurut nama lembar, bukan 2024 yang dipilih"
    )


# Empty and odd files


@pytest.mark.parametrize(
    "header",
    ["tahun,instansi,indikator,tingkat", "Tahun;Nama Instansi;Kebijakan;Tata Kelola;Manajemen;Layanan;Indeks;Predikat"],
)
def test_a_header_without_rows_is_refused_with_exit_2(data_dir, tmp_path, monkeypatch, capsys, header):
    monkeypatch.setenv(DATA.environment, str(data_dir))
    path = tmp_path / "kosong.csv"
    path.write_text(header + "\n\n")
    assert cli.main(["import", str(path), "--year", "2024"]) == 2
    assert "kosong.csv: tabel tanpa baris data (hanya judul kolom dan 1 baris kosong atau ringkasan)" in (
        capsys.readouterr().err
    )
    assert not (data_dir / "imports").exists()
    result = subprocess.run(
        [sys.executable, "-m", "spbe", "import", str(path), "--year", "2024"],
        cwd=ROOT,
        env={DATA.environment: str(data_dir), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, "Traceback" in result.stderr) == (2, False)


ODD_TITLE = "Hasil Evaluasi SPBE Tahun 2024 – “Pemda” (revisi é)"
ODD_NAME = "Kota Café’s Baru"


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [
        ("utf-8-sig", ";"),
        ("cp1252", ";"),
        ("utf-16", ";"),
        ("utf-16", "\t"),
        ("utf-16-le", ";"),
        ("utf-16-be", ","),
        ("utf-16-be-bom", ";"),
    ],
)
def test_csv_in_utf16_and_windows_1252_is_decoded(registry, encoding, separator):
    def encoded(rows):
        text = ODD_TITLE + "\n" + csv_text(rows, separator)
        if encoding == "utf-16-be-bom":
            return "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")
        return text.encode(encoding)

    rows = domain_cells(official_rows(2024, DAERAH_2024))
    if separator == ",":  # decimal commas would split cells: a comma file writes decimal points
        rows = [[cell.replace(",", ".") for cell in row] for row in rows]
    parsed = parse_import(encoded([DOMAIN_HEADER, *rows]), "hasil.csv", registry, FRAMEWORKS)
    assert [(p.year, sorted(p.results["nama_sumber"])) for p in parsed.years] == [(2024, sorted(DAERAH_2024))]
    unknown = [ODD_NAME, *rows[0][1:]]
    assert f"hasil.csv, baris 5, kolom instansi, nilai {ODD_NAME!r}: instansi tidak dikenal" in problems_of(
        encoded([DOMAIN_HEADER, *rows, unknown]), "hasil.csv", registry
    )


def test_text_in_no_known_encoding_is_refused_naming_what_was_tried(registry):
    data = b"tahun,instansi,indikator,tingkat\n2021,Kota Surabaya,1,3\n\x81\x8d\n"
    text = problems_of(data, "aneh.csv", registry)
    assert "aneh.csv: bukan teks UTF-8, UTF-16 maupun Windows-1252 (bita 0x81 di posisi 56)" in text
    assert "bukan berkas teks CSV" not in text


# The official tables themselves import


def official_domain_csv(year: int) -> bytes:
    rows = OFFICIAL[OFFICIAL["year"] == year]
    table = pd.DataFrame(
        {
            "tahun": rows["year"],
            "instansi": rows["instansi"],
            "Kebijakan": rows["d1_kebijakan"],
            "Tata Kelola": rows["d2_tata_kelola"],
            "Manajemen": rows["d3_manajemen"],
            "Layanan": rows["d4_layanan"],
            "Indeks": rows["indeks"],
            "Predikat": rows["predikat"],
        }
    )
    return table.to_csv(index=False).encode()


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_reimporting_an_official_table_reproduces_the_stored_results_exactly(data_dir, registry, year, form):
    data = official_domain_csv(year) if form == "csv" else report_style_xlsx(year)
    parsed = parse_import(data, f"resmi_{year}.{form}", registry, FRAMEWORKS, year=year)
    VersionStore(data_dir).commit(parsed, who="uji")
    columns = [
        "instansi_id",
        "nama_sumber",
        "indeks",
        "predikat",
        "komponen_1",
        "komponen_2",
        "komponen_3",
        "komponen_4",
    ]
    stored = pd.read_parquet(ROOT / "data" / "results" / f"tahun={year}" / "part-0.parquet", columns=columns)
    imported, _ = VersionStore(data_dir).year_frames(year)
    assert len(stored) == (621 if year == 2023 else 615)
    pd.testing.assert_frame_equal(imported[columns], stored, check_exact=True)
    assert set(imported["provenance"]) == {"impor"}
    if year == 2023:  # the published row below 1: Layanan 0,30 with index 1,05, kept as printed
        banyuasin = imported.set_index("nama_sumber").loc["Pemerintah Kab. Banyuasin"]
        assert (banyuasin["komponen_4"], banyuasin["indeks"], banyuasin["predikat"]) == (0.30, 1.05, "Kurang")


# Every problem is reported


def test_an_unknown_instansi_also_gets_its_missing_indicators_reported(registry):
    rows = [f"2021,Kota Entah Berantah,{n},3" for n in range(1, 46)]  # 46 and 47 missing
    text = problems_of(("tahun,instansi,indikator,tingkat\n" + "\n".join(rows) + "\n").encode(), "e.csv", registry)
    assert "e.csv, baris 2-46, kolom instansi, nilai 'Kota Entah Berantah': instansi tidak dikenal" in text
    assert (
        "e.csv, baris 2, kolom indikator, nilai 'Kota Entah Berantah': indikator belum diisi untuk instansi "
        "Kota Entah Berantah tahun 2021: 46, 47"
    ) in text


@pytest.mark.parametrize("level", ["2,5", "2.5"])
def test_a_fractional_level_is_not_a_whole_level_rather_than_not_a_number(registry, level):
    rows = [f"2021;Kota Surabaya;{n};{level if n == 5 else 3}" for n in range(1, 48)]
    text = problems_of(("tahun;instansi;indikator;tingkat\n" + "\n".join(rows) + "\n").encode(), "t.csv", registry)
    assert text == f"t.csv, baris 6, kolom tingkat, nilai {level!r}: bukan tingkat bulat 1-5"


@pytest.mark.parametrize("number", ["2147500000", "9" * 30])
def test_an_indicator_number_beyond_any_integer_is_reported_not_a_crash(registry, number):
    rows = f"2021,Kota Surabaya,{number},3\n" * 2  # twice: the duplicate check quotes it too
    text = problems_of(f"tahun,instansi,indikator,tingkat\n{rows}".encode(), "besar.csv", registry)
    assert f"besar.csv, baris 2, kolom indikator, nilai '{number}': indikator tidak ada dalam PermenPANRB" in text
    assert f"besar.csv, baris 3, kolom indikator, nilai '{number}': indikator ganda" in text


def test_the_importer_judges_each_index_and_predikat_by_the_check_of_the_official_tables(registry):
    """One check (spbe.model.scoring.check_results) decides for the official tables and for an import."""
    names = ["Pemerintah Kota Surabaya", "Pemerintah Kab. Banyuwangi", "Kementerian Keuangan", "Kementerian Kesehatan"]
    rows = [  # domains, printed index, predikat
        ["2,00", "2,00", "2,00", "3,31", "2,60", "Cukup"],  # 2,59605: on the Baik edge, Cukup stands
        ["3,00", "3,00", "3,00", "3,00", "3,50", "Baik"],  # index off its domains (3,00)
        ["3,00", "3,00", "3,00", "3,00", "3,00", "Sangat Baik"],  # predikat off its index
        ["1,00", "1,00", "1,00", "4,00", "2,37", "Cukup"],  # 2,365: both hold
    ]
    table = pd.DataFrame(
        [[float(cell.replace(",", ".")) for cell in row[:5]] + [row[5]] for row in rows],
        columns=[1, 2, 3, 4, "indeks", "predikat"],
    )
    checked = check_results(table, FRAMEWORKS.for_year(2024))
    lines = [["2024", name, *row] for name, row in zip(names, rows, strict=True)]
    data = csv_text([["Tahun", *DOMAIN_HEADER], *lines]).encode()
    text = problems_of(data, "cek.csv", registry)
    refused_index = {line for line in range(2, 6) if f"baris {line}, kolom indeks" in text}
    refused_predikat = {line for line in range(2, 6) if f"baris {line}, kolom predikat" in text}
    assert refused_index == {line + 2 for line in checked.index[checked["status"] == "selisih indeks"]} == {3}
    assert refused_predikat == {line + 2 for line in checked.index[~checked["predikat_sesuai"]]} == {4}
