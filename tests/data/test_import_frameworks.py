"""Importing 2025 and 2026: each year is read with its own framework.

2025 is the last year of PermenPANRB 59/2020 (47 indicators in 4 domains), 2026 the first of
PermenPANRB 8/2026 (20 indicators in 7 aspects, no domains). A file of either arrives in the
indicator shapes or as component indices (domains, aspects), and its rows hold komponen_1..n. A file
of the other instrument is refused in one message that names the year's framework. Indicators 5, 6,
7 and 18 of 2026 are scored by other agencies and may arrive in their own file; one still missing
is reported by instansi, indicator and agency, never filled in. An instansi on a band edge is listed.
"""

import io
import shutil

import pandas as pd
import pytest
from openpyxl import Workbook

from spbe.data.importer import ImportRejected, parse_files, parse_import
from spbe.data.ingest import framework_shapes, template_table
from spbe.data.versions import VersionStore
from spbe.model.framework import load_frameworks
from tests.frameworks import F2020, F2026, FRAMEWORKS

AGENCY = [5, 6, 7, 18]  # framework_2026.csv scored_by: Bappenas (SDI), BIG (SJIG), BPS (EPSS), Bappenas (interop.)
# Indicators 1-5 (weights 25 in all) and 19-20 (25) at 3, 6-18 (50) at 2: (75 + 100 + 75) / 100 = 2,50.
ON_2_50 = [3] * 5 + [2] * 13 + [3] * 2
# Hand-computed (weights of framework_2026.csv): aspects 1,5 | 3,5 | (25+3+6+12)/15 | (16+20+3+8)/15 | 3,5 |
# (20+4+8+9)/15 | (40+75)/25, index (15 + 35 + 46 + 47 + 35 + 41 + 115) / 100 = 3,34.
MIXED = [1, 2, 3, 4, 5] * 4
MIXED_ASPECTS = [1.5, 3.5, 46 / 15, 47 / 15, 3.5, 41 / 15, 4.6]
LEVELS_2026 = {"Kota Surabaya": ON_2_50, "Kementerian Keuangan": MIXED, "Kementerian Kesehatan": [3] * 20}
ASPECT_NAMES = list(F2026.components["name"])
ASPECT_HEADERS = {"nama": ASPECT_NAMES, "a": [f"a{n}" for n in range(1, 8)], "k": [f"K{n}" for n in range(1, 8)]}


def komponen(n: int) -> list[str]:
    return [f"komponen_{number}" for number in range(1, n + 1)]


def csv_bytes(rows: list[list]) -> bytes:
    return "".join(";".join(map(str, row)) + "\n" for row in rows).encode()


def wide(year: int, levels: dict[str, list[int]], numbers: list[int] | None = None) -> list[list]:
    """A lebar table: tahun, instansi, I<n> for each indicator number (all of them unless `numbers`)."""
    numbers = numbers or list(range(1, len(next(iter(levels.values()))) + 1))
    header = ["Tahun", "Nama Instansi", *(f"I{n}" for n in numbers)]
    return [header, *([year, name, *(values[n - 1] for n in numbers)] for name, values in levels.items())]


def long(year: int, levels: dict[str, list[int]]) -> list[list]:
    rows = [[year, name, number, level] for name, values in levels.items() for number, level in enumerate(values, 1)]
    return [["Tahun", "Instansi", "Indikator", "Tingkat"], *rows]


def rejected(files: list[tuple[bytes, str]], registry, frameworks=FRAMEWORKS) -> list[str]:
    with pytest.raises(ImportRejected) as refusal:
        parse_files(files, registry, frameworks)
    return refusal.value.problems


# 2025: the last year of PermenPANRB 59/2020


def test_a_2025_file_of_47_indicators_imports_with_its_four_domains(registry):
    data = csv_bytes(wide(2025, {"Kota Surabaya": [3] * 47, "Kementerian Keuangan": [2] * 47}))
    (part,) = parse_import(data, "hasil_2025.csv", registry, FRAMEWORKS).years
    assert (part.year, part.shape, part.framework.title, len(part.levels)) == (2025, "lebar", "PermenPANRB 59/2020", 94)
    results = part.results.set_index("nama_sumber")
    assert [c for c in results.columns if c.startswith("komponen_")] == komponen(4)
    assert results.loc["Kota Surabaya", [*komponen(4), "indeks"]].tolist() == [3.0] * 5
    assert results.loc["Kementerian Keuangan", ["indeks", "predikat"]].tolist() == [2.0, "Cukup"]


def test_a_2025_file_in_the_domain_shape_imports_and_its_index_is_checked(registry):
    # 13 % x 3,00 + 25 % x 2,80 + 16,5 % x 3,20 + 45,5 % x 2,90 = 0,39 + 0,70 + 0,528 + 1,3195 = 2,9375
    header = ["Tahun", "Nama Instansi", "Kebijakan", "Tata Kelola", "Manajemen", "Layanan", "Nilai Indeks", "Predikat"]
    data = csv_bytes([header, [2025, "Kota Surabaya", "3,00", "2,80", "3,20", "2,90", "2,94", "Baik"]])
    (part,) = parse_import(data, "domain_2025.csv", registry, FRAMEWORKS).years
    assert (part.shape, part.levels) == ("domain", None)
    row = part.results.iloc[0]
    assert row[[*komponen(4), "indeks", "predikat"]].tolist() == [3.0, 2.8, 3.2, 2.9, 2.94, "Baik"]
    off = csv_bytes([header, [2025, "Kota Surabaya", "3,00", "2,80", "3,20", "2,90", "3,10", "Baik"]])
    assert "tidak sesuai indeks domainnya (dihitung 2,938" in "\n".join(rejected([(off, "d.csv")], registry))


# 2026: the first year of PermenPANRB 8/2026


@pytest.mark.parametrize("shape", ["panjang", "lebar"])
def test_a_2026_file_of_20_indicators_imports_with_its_seven_aspects_hand_computed(registry, shape):
    rows = long(2026, LEVELS_2026) if shape == "panjang" else wide(2026, LEVELS_2026)
    (part,) = parse_import(csv_bytes(rows), "hasil_2026.csv", registry, FRAMEWORKS).years
    assert (part.year, part.shape, part.framework.title, len(part.levels)) == (2026, shape, "PermenPANRB 8/2026", 60)
    results = part.results.set_index("nama_sumber")
    assert [c for c in results.columns if c.startswith("komponen_")] == komponen(7)
    keuangan = results.loc["Kementerian Keuangan"]
    assert (keuangan["indeks"], keuangan["predikat"]) == (3.34, "Baik")
    assert keuangan[komponen(7)].tolist() == pytest.approx(MIXED_ASPECTS, abs=1e-12)
    weights = F2026.components["weight"].tolist()
    assert sum(a * w for a, w in zip(MIXED_ASPECTS, weights, strict=True)) / 100 == pytest.approx(3.34, abs=1e-12)
    assert results.loc["Kota Surabaya", ["indeks", "predikat"]].tolist() == [2.5, "Baik"]  # Baik from 2,50
    assert results.loc["Kementerian Kesehatan", ["indeks", "predikat"]].tolist() == [3.0, "Baik"]


@pytest.mark.parametrize("headers", list(ASPECT_HEADERS))
def test_a_2026_file_in_the_aspect_shape_imports_with_aspects_by_name_or_position(registry, headers):
    # (3 x 10 + 3 x 10 + 2 x 15 + 2 x 15 + 3 x 10 + 2 x 15 + 3 x 25) / 100 = 255 / 100 = 2,55
    header = ["Tahun", "Nama Instansi", *ASPECT_HEADERS[headers], "Nilai Indeks", "Predikat"]
    row = [2026, "Kota Surabaya", "3,00", "3,00", "2,00", "2,00", "3,00", "2,00", "3,00", "2,55", "Baik"]
    (part,) = parse_import(csv_bytes([header, row]), "aspek_2026.csv", registry, FRAMEWORKS).years
    assert (part.shape, part.levels, part.edge_cases) == ("aspek", None, [])
    assert part.results.iloc[0][[*komponen(7), "indeks", "predikat"]].tolist() == [3, 3, 2, 2, 3, 2, 3, 2.55, "Baik"]


def test_templates_follow_the_years_framework_and_import_as_they_are(registry):
    assert list(framework_shapes(F2026)) == ["panjang", "lebar", "aspek"]
    assert list(framework_shapes(F2020)) == ["panjang", "lebar", "domain"]
    assert list(template_table("aspek", F2026).columns) == ["tahun", "instansi", *ASPECT_NAMES, "indeks", "predikat"]
    for framework in (F2020, F2026):
        for shape in framework_shapes(framework):
            data = template_table(shape, framework).to_csv(index=False).encode()
            (part,) = parse_import(data, f"templat_{shape}.csv", registry, FRAMEWORKS).years
            assert (part.year, part.shape, len(part.results)) == (framework.first_year, shape, 2)
    with pytest.raises(ValueError, match="bukan bentuk berkas PermenPANRB 8/2026"):
        template_table("domain", F2026)


def test_a_2026_import_is_committed_with_its_seven_aspects(data_dir, registry):
    parsed = parse_import(csv_bytes(long(2026, LEVELS_2026)), "hasil_2026.csv", registry, FRAMEWORKS)
    VersionStore(data_dir).commit(parsed, who="uji")
    results, levels = VersionStore(data_dir).year_frames(2026)
    assert [c for c in results.columns if c.startswith("komponen_")] == komponen(7)
    assert (len(results), len(levels), set(results["provenance"])) == (3, 60, {"impor"})


# The wrong instrument is refused in one message


DOMAIN_HEADER = [
    "Tahun",
    "Nama Instansi",
    "Kebijakan",
    "Tata Kelola",
    "Manajemen",
    "Layanan",
    "Nilai Indeks",
    "Predikat",
]
EXPECTS_2026 = (
    "Tahun 2026 dinilai dengan PermenPANRB 8/2026: 20 indikator (1-20) dalam 7 aspek (Tata Kelola dan Manajemen, "
    "Penyelenggara, Data, Keamanan Pemerintah Digital, Teknologi Pemerintah Digital, Keterpaduan Layanan Digital, "
    "Kepuasan Pengguna)"
)
EXPECTS_2025 = (
    "Tahun 2025 dinilai dengan PermenPANRB 59/2020: 47 indikator (1-47) dalam 4 domain (Kebijakan Internal SPBE, "
    "Tata Kelola SPBE, Manajemen SPBE, Layanan SPBE)"
)
WRONG = {
    "2026 dengan 47 indikator": (
        wide(2026, {"Kota Surabaya": [3] * 47}),
        f"{EXPECTS_2026}; berkas ini berisi 47 indikator (1-47), seperti PermenPANRB 59/2020 (tahun 2021-2025)",
    ),
    "2026 dengan 4 domain": (
        [DOMAIN_HEADER, [2026, "Kota Surabaya", "3,00", "3,00", "3,00", "3,00", "3,00", "Baik"]],
        f"{EXPECTS_2026}; berkas ini berisi indeks 4 domain (Kebijakan Internal SPBE, Tata Kelola SPBE, "
        "Manajemen SPBE, Layanan SPBE), seperti PermenPANRB 59/2020 (tahun 2021-2025)",
    ),
    "2025 dengan 20 indikator": (
        long(2025, {"Kota Surabaya": [3] * 20}),
        f"{EXPECTS_2025}; berkas ini berisi 20 indikator (1-20), seperti PermenPANRB 8/2026 (mulai tahun 2026)",
    ),
    "2025 dengan 7 aspek": (
        [
            ["Tahun", "Instansi", *(f"A{n}" for n in range(1, 8)), "Indeks", "Predikat"],
            [2025, "Kota Surabaya", *["3,00"] * 8, "Baik"],
        ],
        f"{EXPECTS_2025}; berkas ini berisi indeks 7 aspek ({', '.join(ASPECT_NAMES)}), seperti PermenPANRB 8/2026 "
        "(mulai tahun 2026)",
    ),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_a_file_of_the_other_instrument_is_refused_naming_the_years_framework(registry, case):
    rows, said = WRONG[case]
    problems = rejected([(csv_bytes(rows), "salah.csv")], registry)
    assert problems == [f"salah.csv: instrumen lain. {said}. Periksa tahunnya atau berkasnya."]


# Indicators scored by another agency, in their own file


def main_and_agency(levels: dict[str, list[int]], form: str) -> list[tuple[bytes, str]]:
    """The main 2026 file without the agency indicators, and the agencies' file in `form` (panjang, lebar)."""
    own = [n for n in range(1, 21) if n not in AGENCY]
    main = csv_bytes(wide(2026, levels, own))
    if form == "lebar":
        agency = csv_bytes(wide(2026, levels, AGENCY))
    else:
        rows = [[name, n, values[n - 1]] for name, values in levels.items() for n in AGENCY]
        agency = csv_bytes([["Tahun", "Instansi", "Indikator", "Tingkat"], *([2026, *row] for row in rows)])
    return [(main, "utama_2026.csv"), (agency, "lembaga_2026.csv")]


@pytest.mark.parametrize("form", ["panjang", "lebar"])
def test_agency_scores_in_their_own_file_are_joined_to_the_main_file(registry, form):
    (joined,) = parse_files(main_and_agency(LEVELS_2026, form), registry, FRAMEWORKS).years
    (whole,) = parse_import(csv_bytes(wide(2026, LEVELS_2026)), "utuh.csv", registry, FRAMEWORKS).years
    assert joined.file_name == "utama_2026.csv, lembaga_2026.csv"
    columns = ["instansi_id", "indeks", "predikat", *komponen(7)]
    pd.testing.assert_frame_equal(joined.results[columns], whole.results[columns])
    order = ["instansi_id", "indikator", "tingkat"]
    levels = [part.levels[order].sort_values(order).reset_index(drop=True) for part in (joined, whole)]
    pd.testing.assert_frame_equal(*levels)


def test_agency_scores_in_a_sheet_of_the_main_workbook_are_joined(registry):
    workbook = Workbook()
    workbook.active.title = "Hasil 2026"
    for row in wide(2026, LEVELS_2026, [n for n in range(1, 21) if n not in AGENCY]):
        workbook.active.append(row)
    sheet = workbook.create_sheet("Nilai instansi penilai 2026")
    for row in wide(2026, LEVELS_2026, AGENCY):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    (part,) = parse_import(buffer.getvalue(), "hasil_2026.xlsx", registry, FRAMEWORKS).years
    assert part.results.set_index("nama_sumber").loc["Kementerian Keuangan", "indeks"] == 3.34


def test_an_agency_indicator_still_missing_refuses_the_import_naming_instansi_indicator_and_agency(registry):
    files = main_and_agency(LEVELS_2026, "panjang")
    kept = [line for line in files[1][0].decode().splitlines() if not line.startswith("2026;Kota Surabaya;18;")]
    problems = rejected([files[0], ("\n".join(kept).encode(), "lembaga_2026.csv")], registry)
    assert problems == [
        "utama_2026.csv: 1 instansi tahun 2026 tanpa nilai indikator yang dinilai instansi lain; indeksnya tidak "
        "dapat dihitung dan tidak ada nilai yang diisikan. Impor bersama berkas atau lembar nilai instansi penilai "
        "(instansi, indikator, tingkat; atau instansi dan kolom I5, I6, I7, I18)",
        "utama_2026.csv, baris 2, kolom instansi, nilai 'Kota Surabaya': belum ada nilai indikator 18 "
        "Interoperabilitas Data (dinilai Bappenas (kuesioner interoperabilitas data))",
    ]


def test_the_main_file_alone_lists_every_instansi_without_its_agency_indicators(registry):
    main = main_and_agency(LEVELS_2026, "lebar")[0]
    problems = rejected([main], registry)
    assert problems[0].startswith("utama_2026.csv: 3 instansi tahun 2026 tanpa nilai indikator")
    assert problems[2] == (
        "utama_2026.csv, baris 3, kolom instansi, nilai 'Kementerian Keuangan': belum ada nilai indikator "
        "5 Tingkat Kematangan Tata Kelola Data (dinilai Bappenas (skor Satu Data Indonesia)); "
        "6 Tingkat Kematangan Penyelenggaraan Informasi Geospasial (dinilai BIG (skor SJIG)); "
        "7 Tingkat Kematangan Pembangunan Statistik (dinilai BPS (nilai EPSS)); "
        "18 Interoperabilitas Data (dinilai Bappenas (kuesioner interoperabilitas data))"
    )
    assert len(problems) == 4 and not any("indikator belum diisi" in p for p in problems)


def test_an_agency_score_that_contradicts_the_main_file_is_refused(registry):
    levels = {"Kota Surabaya": ON_2_50}
    main = csv_bytes(wide(2026, levels))  # the main file holds indicator 5 itself: 3
    agency = csv_bytes([["Tahun", "Instansi", "Indikator", "Tingkat"], [2026, "Kota Surabaya", 5, 4]])
    problems = rejected([(main, "utama.csv"), (agency, "lembaga.csv")], registry)
    assert problems == [
        "utama.csv, baris 2, kolom tingkat, nilai '3': indikator 5 instansi Kota Surabaya bernilai 4 di lembaga.csv, "
        "baris 2; satu nilai per indikator"
    ]


# Band edges


def test_a_2026_instansi_exactly_on_2_50_is_listed_at_the_edge(registry):
    (part,) = parse_import(csv_bytes(long(2026, LEVELS_2026)), "hasil_2026.csv", registry, FRAMEWORKS).years
    note = (
        "indeks 2,5000 tepat di batas Cukup dan Baik (2,50): Baik menurut aturan batas PermenPANRB 8/2026 "
        "(nilai tepat di batas masuk predikat atas); PermenPANRB 8/2026 bersumber sekunder; periksa dengan "
        "salinan resmi"
    )
    assert part.edge_cases == [f"Kota Surabaya: {note}"]
    assert part.results.set_index("nama_sumber")["catatan"].to_dict() == {
        "Kementerian Keuangan": None,
        "Kementerian Kesehatan": None,
        "Kota Surabaya": note,
    }


def test_under_the_other_edge_rule_2_50_is_cukup_and_listed_so(registry, reference_dir, tmp_path):
    reference = shutil.copytree(reference_dir, tmp_path / "reference", ignore=shutil.ignore_patterns("*.py"))
    manifest = reference / "frameworks.csv"
    manifest.write_text(manifest.read_text().replace("aspect,upper,secondary", "aspect,lower,secondary"))
    frameworks = load_frameworks(reference)
    data = csv_bytes(long(2026, {"Kota Surabaya": ON_2_50}))
    (part,) = parse_import(data, "hasil_2026.csv", registry, frameworks).years
    assert part.results.iloc[0][["indeks", "predikat"]].tolist() == [2.5, "Cukup"]
    assert part.edge_cases == [
        "Kota Surabaya: indeks 2,5000 tepat di batas Cukup dan Baik (2,50): Cukup menurut aturan batas "
        "PermenPANRB 8/2026 (nilai tepat di batas masuk predikat bawah); PermenPANRB 8/2026 bersumber sekunder; "
        "periksa dengan salinan resmi"
    ]


def test_an_aspect_row_recomputed_near_an_edge_keeps_the_files_predikat_and_is_listed(registry):
    # (30 + 30 + 30 + 30 + 20 + 30 + 3,20 x 25) / 100 = 2,50: printed 2,50, Baik as the file says
    header = ["Tahun", "Nama Instansi", *ASPECT_NAMES, "Nilai Indeks", "Predikat"]
    row = [2026, "Kota Surabaya", "3,00", "3,00", "2,00", "2,00", "2,00", "2,00", "3,20", "2,50", "Baik"]
    (part,) = parse_import(csv_bytes([header, row]), "aspek_2026.csv", registry, FRAMEWORKS).years
    assert part.edge_cases == [
        "Kota Surabaya: indeks 2,50 dihitung ulang dari indeks aspeknya 2,5000, di batas Cukup dan Baik (2,50): "
        "predikat Baik dari berkas berlaku"
    ]
