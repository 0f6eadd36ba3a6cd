"""Every number is rounded half-up on the decimal value it stands for, never on the binary float.

The official reports round half-up: a mean of exactly 2,875 is printed 2,88, although the float
that holds it (2.8749999999999996 when DuckDB averages) lies just below the tie.
"""

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spbe.core.formatting import format_number
from spbe.core.rounding import round_half_up, rounded_float
from spbe.data.store import GROUP_COLUMNS, Store
from spbe.present.presskit import kit_charts
from spbe.settings import ROOT


def exact_half_up(value: Fraction, decimals: int) -> str:
    """Half-up of an exact fraction, by integer arithmetic alone, as Indonesian text."""
    scaled = abs(value) * 10**decimals
    whole = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    sign = "-" if value < 0 and whole else ""
    digits = str(whole).rjust(decimals + 1, "0")
    integer, fraction = digits[: len(digits) - decimals], digits[len(digits) - decimals :]
    grouped = f"{int(integer):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if decimals else "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (23 / 8, "2,88"),  # 2,875
        (sum([3.5, 3.65]) / 2, "3,58"),  # 3,575 as a mean of two printed indices
        (2.8749999999999996, "2,88"),  # the float DuckDB's avg gives for 23/8
        (3.5749999999999997, "3,58"),
        (2.074999999999983, "2,08"),  # the 2018 Kalimantan Timur mean of the simulation
        (2.87499, "2,87"),  # a genuine value below the tie stays below it
        (-0.265, "-0,27"),  # ties go away from zero, as on the positive side
    ],
)
def test_ties_in_decimal_round_up_even_when_the_float_lies_below(value, expected):
    assert format_number(value) == expected


@given(
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10_000),
    st.integers(min_value=0, max_value=4),
)
def test_formatting_a_float_rounds_the_fraction_it_stands_for(value, decimals):
    assert format_number(float(value), decimals) == exact_half_up(value, decimals)


@given(st.fractions(min_value=-1000, max_value=1000), st.integers(min_value=0, max_value=6))
def test_fractions_are_rounded_exactly(value, decimals):
    assert format_number(value, decimals) == exact_half_up(value, decimals)


def test_a_file_value_prints_as_its_decimal():
    assert repr(rounded_float(0.6200000000000001, 4)) == "0.62"
    assert repr(rounded_float(53.57142857142857, 1)) == "53.6"
    assert round_half_up(Decimal("2.875"), 2) == Decimal("2.88")


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def _tied_means(store: Store, year: int) -> list[tuple[str, float, Fraction]]:
    """(label, mean as the dashboard computes it, exact mean) of every group mean of the year that
    is a tie at the third decimal. Each published index and domain is a two-decimal number, so its
    exact mean is a fraction computed here from the printed text, independently of the store."""
    results = store.results(year)
    found = []
    for by in (None, *GROUP_COLUMNS):
        if by is not None and by not in results.columns:
            continue
        groups = [("Semua instansi", results)] if by is None else list(results.groupby(by))
        domain_means = store.component_means(year, by).set_index(["kelompok_tampil", "komponen_no"])["rata_rata"]
        for group, rows in groups:
            for column in ("indeks", "komponen_1", "komponen_2", "komponen_3", "komponen_4"):
                values = rows[column].dropna()
                exact = sum(Fraction(f"{v:.2f}") for v in values) / max(len(values), 1)
                if values.empty or (exact * 1000).denominator != 1 or (exact * 1000).numerator % 10 != 5:
                    continue
                shown = values.mean() if column == "indeks" else domain_means[(group, int(column[-1]))]
                found.append((f"{year} {by or 'nasional'} {group} {column}", float(shown), exact))
    return found


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_tied_mean_of_the_official_tables_rounds_half_up(store, year):
    tied = _tied_means(store, year)
    assert len(tied) >= 10, "the official tables hold many group means that end in 5"
    wrong = [
        (label, format_number(shown)) for label, shown, exact in tied if format_number(shown) != exact_half_up(exact, 2)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("year", "kategori", "domain_no", "expected"),
    [(2024, "Kementerian", 3, "2,88"), (2024, "Sekretariat Jenderal Lembaga Negara", 1, "3,58")],
)
def test_published_group_means_that_end_in_5_round_up(store, year, kategori, domain_no, expected):
    means = store.component_means(year, "kategori").set_index(["kelompok_tampil", "komponen_no"])["rata_rata"]
    assert format_number(means[(kategori, domain_no)]) == expected


def test_the_2018_kalimantan_timur_mean_of_2_075_prints_2_08(store):
    results = store.results(2018)
    kaltim = results.loc[results["nama_provinsi"] == "Kalimantan Timur", "indeks"]
    assert format_number(kaltim.mean()) == "2,08"


@pytest.mark.parametrize("year", [2018, 2024])
def test_chart_hovers_show_numbers_formatted_here_not_by_the_browser(store, year):
    """Plotly's own `%{y:.2f}` rounds the binary float with a decimal point: 2,875 would hover as 2.87."""
    for chart in kit_charts(store, year):
        for trace in chart.fig.data:
            template = getattr(trace, "hovertemplate", None) or ""
            assert not re.search(r"%\{[xyz]:", template), (chart.slug, template)


def test_no_figure_builder_lets_the_browser_format_a_number():
    """The same rule for the figures outside the standard charts (Profil, Domain & Indikator, maps)."""
    package = Path(__file__).resolve().parents[2] / "spbe"
    offending = [
        f"{path.name}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"%\{\{?[xyz]:", line)
    ]
    assert offending == []
