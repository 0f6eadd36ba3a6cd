"""The command line for 2025 and 2026 (issue #17 items 4 and 5): several files imported together, the
band-edge instansi listed, and the official national index of a year entered later, versioned."""

import pytest

from spbe import cli
from spbe.data.store import Store
from spbe.settings import DATA
from tests.data.test_import import store_bytes
from tests.data.test_import_frameworks import LEVELS_2026, csv_bytes, main_and_agency, wide
from tests.data.test_national_index import LEVELS_2025, SOURCE

EDGE_2026 = (
    "Kota Surabaya: indeks 2,5000 tepat di batas Cukup dan Baik (2,50): Baik menurut aturan batas PermenPANRB "
    "8/2026 (nilai tepat di batas masuk predikat atas); PermenPANRB 8/2026 bersumber sekunder; periksa dengan "
    "salinan resmi"
)


@pytest.fixture
def cli_data(data_dir, monkeypatch):
    monkeypatch.setenv(DATA.environment, str(data_dir))
    return data_dir


def test_a_2026_file_and_its_agency_file_import_together_and_the_edge_instansi_is_printed(cli_data, tmp_path, capsys):
    paths = []
    for data, name in main_and_agency(LEVELS_2026, "panjang"):
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    assert cli.main(["import", *paths, "--who", "uji"]) == 0
    out = capsys.readouterr().out
    assert "Tahun 2026, bentuk lebar (satu baris per instansi, kolom I1..In)\n" in out
    assert "  Dibaca: 15 baris, 3 instansi, 60 tingkat indikator\n" in out  # 3 main rows, 12 agency levels
    assert (
        "  Kerangka PermenPANRB 8/2026: 20 indikator, 7 aspek; bersumber sekunder; periksa dengan salinan resmi\n"
        "  Berkas: utama_2026.csv, lembaga_2026.csv\n"
    ) in out
    assert f"  Di batas predikat: 1 instansi\n    {EDGE_2026}\n" in out
    assert "Disimpan sebagai versi v0001." in out
    summary = Store(cli_data).summary(2026)
    assert (summary.framework, summary.instansi_evaluated, summary.national_index_official) == (
        "PermenPANRB 8/2026",
        3,
        None,
    )
    assert summary.predikat_counts["Baik"] == 3  # 2,50 (Baik by the edge rule), 3,34 and 3,00


def test_a_missing_file_of_several_is_named(cli_data, tmp_path, capsys):
    (tmp_path / "ada.csv").write_bytes(csv_bytes(wide(2025, LEVELS_2025)))
    assert cli.main(["import", str(tmp_path / "ada.csv"), str(tmp_path / "hilang.csv")]) == 2
    assert f"{tmp_path / 'hilang.csv'}: berkas tidak ditemukan" in capsys.readouterr().err


@pytest.fixture
def cli_2025(cli_data, tmp_path, capsys):
    path = tmp_path / "hasil_2025.csv"
    path.write_bytes(csv_bytes(wide(2025, LEVELS_2025)))
    assert cli.main(["import", str(path), "--who", "uji"]) == 0
    capsys.readouterr()
    return cli_data


@pytest.mark.parametrize(
    ("year", "index", "source", "said"),
    [
        ("2025", "7", SOURCE, "indeks '7' di luar skala Indeks SPBE skala 1–5 (PermenPANRB 59/2020: 1,00 sampai 5,00)"),
        ("2025", "3,21", "", "sumber kosong: sebutkan publikasi resminya (judul, nomor, tanggal)"),
        ("2030", "2,10", SOURCE, "tahun 2030 tidak dikenal: tidak ada hasil per instansi maupun angka seri nasional"),
    ],
    ids=["indeks 7", "sumber kosong", "tahun tak dikenal"],
)
def test_a_bad_national_index_exits_2_with_the_problem_and_changes_nothing(cli_2025, capsys, year, index, source, said):
    before = store_bytes(cli_2025)
    assert cli.main(["national-index", "--year", year, "--index", index, "--source", source]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Galat: Indeks nasional tidak dicatat: ") and said in err
    assert "Tidak ada data yang diubah." in err
    assert store_bytes(cli_2025) == before


def test_the_national_index_of_2025_is_entered_listed_summarised_and_rolled_back(cli_2025, capsys):
    assert cli.main(["summary", "--year", "2025"]) == 0
    before = capsys.readouterr().out
    assert "Indeks nasional (resmi) : –" in before and "Rata-rata instansi      : 3,50 (dihitung ulang)" in before
    args = ["national-index", "--year", "2025", "--index", "3,21", "--source", SOURCE, "--who", "uji"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"Indeks nasional 2025 dicatat: 3,21 (resmi; sumber: {SOURCE}); sebelumnya belum ada (ringkasan memakai "
        "rata-rata instansi)",
        "Disimpan sebagai versi v0002; batalkan dengan `python -m spbe rollback v0001`.",
    ]
    assert cli.main(["versions"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[-1].startswith("* v0002  ")
    assert listed[-1].endswith(f"indeks nasional 2025: 3,21 (sebelumnya –; sumber: {SOURCE}; oleh uji)")
    assert cli.main(["summary", "--year", "2025"]) == 0
    after = capsys.readouterr().out
    assert "Indeks nasional (resmi) : 3,21" in after and "Rata-rata instansi      : 3,50 (dihitung ulang)" in after
    assert f"Sumber                  : {SOURCE}" in after
    assert cli.main(["rollback", "v0001"]) == 0
    capsys.readouterr()
    assert cli.main(["summary", "--year", "2025"]) == 0
    assert "Indeks nasional (resmi) : –" in capsys.readouterr().out
