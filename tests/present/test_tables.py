"""Files users take away hold numbers at a stated precision: indices 4 decimals, shares 1, no float noise."""

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
from spbe.present.tables import INDEX_DECIMALS, SHARE_DECIMALS, csv_bytes, xlsx_bytes
from spbe.settings import ROOT

NOISE = re.compile(r"\d\.\d*(0000|9999)\d")  # 0.6200000000000001, 2.5999999999999996


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def decimals_of(text: str) -> int:
    return len(text.split(".")[1]) if re.fullmatch(r"-?\d+\.\d+", text) else 0


def test_float_noise_is_written_as_the_decimal_it_stands_for():
    table = pd.DataFrame({"indeks": [0.6200000000000001, 2.8749999999999996], "persen": [53.57142857142857, 80.75]})
    assert csv_bytes(table).decode().splitlines() == ["indeks,persen", "0.62,53.6", "2.875,80.8"]


def test_indices_are_rounded_half_up_at_four_decimals_and_missing_stays_empty():
    table = pd.DataFrame({"rata_rata": [3.170731707317073, 1.00005, None], "n": [615, 2, 0]})
    assert csv_bytes(table).decode().splitlines() == ["rata_rata,n", "3.1707,615", "1.0001,2", ",0"]


def test_xlsx_cells_hold_the_same_rounded_numbers():
    table = pd.DataFrame({"indeks": [0.6200000000000001], "below_baik_pct": [80.84415584415585]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert [cell.value for cell in sheet[2]] == [0.62, 80.8]


@pytest.mark.parametrize("year", [2018, 2023, 2024])
def test_every_chart_csv_of_the_year_is_at_file_precision(store, year):
    for chart in standard_charts(store, year):
        rows = list(csv.DictReader(io.StringIO(csv_bytes(chart.table).decode())))
        for row in rows:
            for column, text in row.items():
                assert not NOISE.search(text or ""), (chart.slug, column, text)
                limit = SHARE_DECIMALS if column.startswith("persen") or column.endswith("_pct") else INDEX_DECIMALS
                assert decimals_of(text or "") <= limit, (chart.slug, column, text)


def test_summary_json_holds_indices_at_4_decimals_and_shares_at_1_unless_asked(capsys):
    assert cli.main(["summary", "--year", "2018", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["national_index_mean"], summary["below_baik_pct"], summary["gap"]) == (1.98, 80.8, 0.62)
    assert cli.main(["summary", "--year", "2018", "--json", "--decimals", "6"]) == 0
    assert json.loads(capsys.readouterr().out)["below_baik_pct"] == 80.844156  # 498 of 616 below Baik
