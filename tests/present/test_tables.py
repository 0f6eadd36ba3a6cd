"""One number style in every grid and file: indices two decimals, shares one, counts a thousands separator;
grids in Indonesian and sorting by the number, files at the precision shown with their source and provenance."""

import csv
import io
import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from spbe import cli
from spbe.data.store import Store
from spbe.present.charts import standard_charts
from spbe.present.plan_export import Plan, plan_csv, plan_rows, plan_xlsx
from spbe.present.presskit import kit_charts
from spbe.present.tables import INDEX_DECIMALS, SHARE_DECIMALS, csv_bytes, display_name, styled, xlsx_bytes
from spbe.settings import ROOT

NOISE = re.compile(r"\d\.\d*(0000|9999)\d")  # 0.6200000000000001, 2.5999999999999996


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def data_lines(data: bytes) -> list[str]:
    """A CSV's lines after its note (the leading "# " lines)."""
    lines = data.decode().splitlines()
    return lines[next(i for i, line in enumerate(lines) if not line.startswith("# ")) :]


def note_of(data: bytes) -> list[str]:
    return [line[2:] for line in data.decode().splitlines() if line.startswith("# ")]


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.StringIO("\n".join(data_lines(data))), dtype=str, keep_default_na=False)


def decimals_of(text: str) -> int:
    return len(text.split(".")[1]) if re.fullmatch(r"-?\d+\.\d+", text) else 0


def test_float_noise_is_written_as_the_decimal_it_stands_for():
    table = pd.DataFrame({"indeks": [0.6200000000000001, 2.8749999999999996], "persen": [53.57142857142857, 80.75]})
    assert data_lines(csv_bytes(table)) == ["Indeks,Persen", "0.62,53.6", "2.88,80.8"]


def test_indices_are_rounded_half_up_at_two_decimals_and_missing_stays_empty():
    table = pd.DataFrame({"rata_rata": [3.170731707317073, 1.005, None], "n": [615, 2, 0]})
    assert data_lines(csv_bytes(table)) == ["Rata-rata,Jumlah instansi (n)", "3.17,615", "1.01,2", ",0"]


def test_xlsx_cells_hold_the_same_rounded_numbers():
    table = pd.DataFrame({"indeks": [0.6200000000000001], "below_baik_pct": [80.84415584415585]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert [cell.value for cell in sheet[2]] == [0.62, 80.8]


@pytest.mark.parametrize("year", [2018, 2023, 2024])
def test_every_chart_csv_of_the_year_is_at_file_precision(store, year):
    for chart in kit_charts(store, year):
        rows = list(csv.DictReader(data_lines(csv_bytes(chart.table))))
        internal = {display_name(c): str(c) for c in chart.table.columns}  # the header read, the column's own name
        for row in rows:
            for header, text in row.items():
                column = internal[header]
                assert not NOISE.search(text or ""), (chart.slug, column, text)
                limit = SHARE_DECIMALS if column.startswith("persen") or column.endswith("_pct") else INDEX_DECIMALS
                assert decimals_of(text or "") <= limit, (chart.slug, column, text)


def test_summary_json_holds_indices_at_4_decimals_and_shares_at_1_unless_asked(capsys):
    assert cli.main(["summary", "--year", "2018", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["national_index_mean"], summary["below_baik_pct"], summary["gap"]) == (1.98, 80.8, 0.62)
    assert cli.main(["summary", "--year", "2018", "--json", "--decimals", "6"]) == 0
    assert json.loads(capsys.readouterr().out)["below_baik_pct"] == 80.844156  # 498 of 616 below Baik


# Grids: Indonesian text on screen, numbers underneath (st.dataframe sorts by the cell's number)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """What the grid shows in each cell: the Styler's texts, as Streamlit sends them to the browser."""
    styler = styled(table)
    styler._compute()
    body = styler._translate(False, False)["body"]
    return pd.DataFrame([[cell["display_value"] for cell in row[1:]] for row in body], columns=styler.data.columns)


def test_a_grid_shows_indices_with_two_decimals_shares_with_one_counts_with_a_thousands_dot():
    table = pd.DataFrame(
        {
            "tahun": [2024, 2018],
            "indeks": [1.6533, 1.75],
            "persen": [9.7, 53.57142857142857],
            "beban (berbobot)": [271.5, 9.0],
            "instansi per pendamping": [9.666666666666666, 12.0],
            "n": [1234, 615],
            "catatan": [None, "resmi"],
        }
    )
    assert shown(table).to_dict("list") == {
        "Tahun": ["2024", "2018"],
        "Indeks": ["1,65", "1,75"],
        "Persen": ["9,7", "53,6"],
        "beban (berbobot)": ["271,5", "9,0"],  # a label a page wrote stays as it is
        "instansi per pendamping": ["9,7", "12,0"],
        "Jumlah instansi (n)": ["1.234", "615"],
        "Catatan": ["–", "resmi"],
    }
    assert styled(table).data["Indeks"].tolist() == [1.6533, 1.75]  # the cells keep their numbers: sorted as such


def test_every_chart_grid_of_2024_shows_the_official_numbers_with_a_decimal_comma(store):
    charts = {chart.slug: chart for chart in kit_charts(store, 2024)}
    national = shown(charts["indeks_nasional_2024"].table).set_index("Tahun")
    assert national.loc["2018", "Indeks nasional"] == "1,98"
    assert national.loc["2024", "Indeks nasional"] == "3,12"
    predikat = shown(charts["sebaran_predikat_2024"].table).set_index("Predikat")
    assert predikat.loc["Baik"].tolist()[:2] == ["239", "38,9"]
    for chart in charts.values():
        for column, texts in shown(chart.table).items():
            if column == "Kode instansi":  # an identifier, e.g. the Kemendagri code 16.07 (Kab. Banyuasin)
                continue
            assert not any(NOISE.search(text) or re.fullmatch(r"-?\d+\.\d+", text) for text in texts), (column, texts)


# Files: the precision shown, the header on row 1, a note with source and provenance


def test_a_chart_csv_starts_with_its_note_and_holds_the_published_index(store):
    chart = next(c for c in standard_charts(store, 2024) if c.slug == "indeks_nasional_2024")
    data = csv_bytes(chart.table, chart.meta.title)
    note = note_of(data)
    assert note[0] == "Indeks SPBE Nasional terhadap target"
    assert note[1].startswith("Sumber: KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024")
    assert note[2] == "Asal data: resmi (terbitan resmi)"
    rows = read_csv(data).set_index("Tahun")
    assert (rows.loc["2018", "Indeks nasional"], rows.loc["2024", "Indeks nasional"]) == ("1.98", "3.12")


def test_a_simulated_chart_says_so_in_its_note(store):
    chart = next(c for c in standard_charts(store, 2018) if c.slug == "sebaran_predikat_2018")
    assert "Asal data: SIMULASI, bukan data resmi" in note_of(csv_bytes(chart.table))


def test_the_sebaran_list_as_csv_and_xlsx_holds_kab_luwu_at_2_60(store):
    rows = store.results(2024)
    table = rows[["instansi_id", "nama", "kelompok", "nama_provinsi", "indeks", "predikat", "komponen_1", "provenance"]]
    luwu = read_csv(csv_bytes(table)).set_index("Instansi").loc["Kabupaten Luwu"]
    assert (luwu["Indeks"], luwu["Predikat"]) == ("2.6", "Cukup")  # 2,60 printed; Cukup decided before rounding
    workbook = load_workbook(io.BytesIO(xlsx_bytes(table)))
    sheet = workbook["Data"]
    assert [cell.value for cell in sheet[1]] == [display_name(c) for c in table.columns]  # the header on row 1
    assert sheet.freeze_panes == "A2"
    names = [cell.value for cell in sheet["B"]]
    cell = sheet.cell(row=names.index("Kabupaten Luwu") + 1, column=5)
    assert (cell.value, cell.number_format) == (2.6, "0.00")  # a real number Excel shows as 2,60
    assert sheet["A2"].number_format == "General"  # instansi_id: text
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGH"}
    assert 13 <= widths["E"] <= 15 and widths["B"] >= 40, widths  # a name column wide enough for its names
    assert all(width <= 60 for width in widths.values())
    assert workbook["Keterangan"]["A1"].value.startswith("Sumber: ") or workbook["Keterangan"]["A1"].value.startswith(
        "Asal data: resmi"
    )


def test_an_xlsx_gives_counts_a_thousands_format_shares_one_decimal_and_years_none():
    table = pd.DataFrame({"tahun": [2024], "jumlah": [1234], "persen": [38.91], "indeks": [3.1234]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table)))["Data"]
    assert [(c.value, c.number_format) for c in sheet[2]] == [
        (2024, "0"),
        (1234, "#,##0"),
        (38.9, "0.0"),
        (3.12, "0.00"),
    ]


@pytest.fixture(scope="module")
def plan(store):
    from spbe.model.cohorts import DEFAULT_WEIGHTS, allocate_pendamping, assign_cities, cohort_counts, module_needs
    from spbe.model.pathways import paths_for_year

    participants = assign_cities(store.participants(2018), store.host_cities())
    counts = cohort_counts(participants, store.framework(2018).bands)
    allocation = allocate_pendamping(counts, DEFAULT_WEIGHTS, 80)
    needs = module_needs(store.levels(2018), participants)
    paths = paths_for_year(store.levels(2018), store.results(2018), store.framework(2018))
    return Plan(2018, "simulasi", "Simulasi Dasbor SPBE", participants, counts, allocation, needs, paths)


def test_the_plan_xlsx_has_one_table_per_sheet_with_its_header_on_row_1(plan):
    workbook = load_workbook(io.BytesIO(plan_xlsx(plan)))
    for name in workbook.sheetnames[:-1]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert all(isinstance(cell.value, str) for cell in sheet[1]), name
    summary = workbook["Ringkasan"]
    header = [cell.value for cell in summary[1]]
    ratio = summary.cell(row=2, column=header.index(display_name("instansi_per_pendamping")) + 1)
    assert ratio.number_format == "0.0" and ratio.value == round(ratio.value, 1)
    assert summary.cell(row=2, column=header.index(display_name("jumlah")) + 1).number_format == "#,##0"
    note = [row[0] for row in workbook["Keterangan"].values]
    assert "Asal data: SIMULASI, bukan data resmi" in note and any("usulan" in line for line in note)


def test_the_plan_csv_holds_indices_at_two_decimals_below_its_note(plan):
    data = plan_csv(plan)
    assert note_of(data)[:3] == [
        "Rencana asistensi SPBE berdasarkan evaluasi 2018",
        "Sumber: Simulasi Dasbor SPBE",
        "Asal data: SIMULASI, bukan data resmi",
    ]
    rows = read_csv(data)
    assert len(rows) == len(plan_rows(plan)) == 623
    assert all(decimals_of(text) <= 2 for text in rows[display_name("indeks")])
    assert all(
        re.fullmatch(r"\d*", text) for text in rows[display_name("jumlah_kenaikan_tingkat")]
    )  # counts, never "3.0"


def test_a_table_that_names_no_origin_and_holds_no_fraction_has_no_note():
    """The host-city assignment, which the Asistensi page reads back from its own CSV."""
    table = pd.DataFrame({"kode_provinsi": ["11"], "nama_provinsi": ["Aceh"], "kota_penyelenggara": ["Medan"]})
    assert csv_bytes(table).decode().splitlines()[0] == "Kode provinsi,Provinsi,Kota penyelenggara"  # read back as well
