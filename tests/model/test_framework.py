"""The two frameworks as the regulations define them, and the checks on their tables."""

import shutil
from fractions import Fraction

import pytest

from spbe.model.framework import FrameworkError, load_indicator_table, weight_unit
from tests.frameworks import FRAMEWORKS


@pytest.mark.parametrize(
    ("year", "title", "domains", "aspects", "indicators"),
    [
        (2018, "PermenPANRB 5/2018", 3, 7, 35),
        (2020, "PermenPANRB 5/2018", 3, 7, 35),
        (2021, "PermenPANRB 59/2020", 4, 8, 47),
        (2024, "PermenPANRB 59/2020", 4, 8, 47),
    ],
)
def test_each_year_maps_to_its_framework_with_the_official_structure(year, title, domains, aspects, indicators):
    framework = FRAMEWORKS.for_year(year)
    assert framework.title == title
    assert (len(framework.domains), len(framework.aspects), len(framework.indicators)) == (domains, aspects, indicators)


def test_years_before_2018_have_no_framework():
    with pytest.raises(ValueError, match="2017"):
        FRAMEWORKS.for_year(2017)


def test_domain_weights_of_2018_are_17_28_55():
    weights = FRAMEWORKS.by_key("permenpanrb-5-2018").domains["domain_weight"].tolist()
    assert weights == [17, 28, 55]


def test_domain_and_aspect_weights_of_2020_follow_the_regulation_tables_7_and_8():
    framework = FRAMEWORKS.by_key("permenpanrb-59-2020")
    assert framework.domains["domain_weight"].tolist() == [13, 25, 16.5, 45.5]
    assert framework.aspects["aspect_weight"].tolist() == [13, 10, 10, 5, 12, 4.5, 27.5, 18]


def test_every_weight_row_carries_its_confidence_note():
    for year in (2018, 2021):
        assert FRAMEWORKS.for_year(year).indicators["weight_confidence"].notna().all()


@pytest.mark.parametrize(
    ("year", "indicator", "level", "name"),
    [
        (2021, 1, 1, "Rintisan"),
        (2021, 11, 4, "Terpadu dan Terukur"),
        (2021, 32, 3, "Transaksi"),  # Layanan Perencanaan: service scale
        (2021, 47, 5, "Optimum"),
        (2018, 25, 2, "Interaksi"),  # Layanan Naskah Dinas (2018): service scale
        (2018, 18, 3, "Terdefinisi"),
    ],
)
def test_level_names_use_the_process_or_service_scale(year, indicator, level, name):
    assert FRAMEWORKS.for_year(year).level_name(indicator, level) == name


def _broken_copy(tmp_path, reference_dir, replace_line):
    target = tmp_path / "framework_2020.csv"
    shutil.copy(reference_dir / "framework_2020.csv", target)
    lines = target.read_text().splitlines()
    line_no, new_text = replace_line(lines)
    lines[line_no - 1] = new_text
    target.write_text("\n".join(lines) + "\n")
    return target


@pytest.mark.parametrize(
    ("first_weight", "message"),
    [
        ("1.40", r"framework_2020\.csv baris \d+: bobot indikator aspek 1"),  # breaks its aspect's sum
        ("1.3x", r"framework_2020\.csv baris 2: indicator_weight '1.3x' bukan bobot"),  # not a number
    ],
)
def test_a_bad_indicator_weight_is_reported_with_file_and_row(tmp_path, reference_dir, first_weight, message):
    def change_first_weight(lines):
        return 2, lines[1].replace(",1.30,", f",{first_weight},", 1)

    path = _broken_copy(tmp_path, reference_dir, change_first_weight)
    with pytest.raises(FrameworkError, match=message):
        load_indicator_table(path, "permenpanrb-59-2020", "domain")


def test_a_duplicated_indicator_number_is_reported_with_its_row(tmp_path, reference_dir):
    def duplicate(lines):
        return 3, lines[1]

    path = _broken_copy(tmp_path, reference_dir, duplicate)
    with pytest.raises(FrameworkError, match=r"framework_2020\.csv baris 3: indikator 1 ganda"):
        load_indicator_table(path, "permenpanrb-59-2020", "domain")


@pytest.mark.parametrize(
    ("year", "indicator", "module"),
    [
        (2018, 18, "Kelembagaan"),  # aspek 3 Kelembagaan
        (2018, 20, "Strategi dan Perencanaan"),  # aspek 4
        (2018, 23, "TIK"),  # aspek 5
        (2018, 25, "Layanan Administrasi Pemerintahan"),  # aspek 6
        (2018, 35, "Layanan Publik"),  # aspek 7
        (2018, 1, "Kelembagaan"),  # policy twin of 18
        (2018, 8, "Layanan Administrasi Pemerintahan"),  # Kebijakan Layanan Naskah Dinas, twin of 25
        (2018, 14, "Layanan Publik"),  # Kebijakan Layanan Pengaduan Publik, twin of 32
        (2024, 47, "Layanan Publik"),
        (2024, 32, "Layanan Administrasi Pemerintahan"),
    ],
)
def test_every_indicator_belongs_to_one_asistensi_module(year, indicator, module):
    indicators = FRAMEWORKS.for_year(year).indicators.set_index("indicator_no")
    assert indicators.at[indicator, "modul"] == module


def test_the_2018_layanan_publik_services_weigh_exactly_10_3_and_add_up_to_their_aspect():
    framework = FRAMEWORKS.by_key("permenpanrb-5-2018")
    units = framework.indicators.set_index("indicator_no")["indicator_units"]
    unit = weight_unit(Fraction(w).limit_denominator(10) for w in framework.indicators["indicator_weight"])
    assert unit == Fraction(1, 3)
    assert [units[n] * unit for n in (32, 33, 34, 35)] == [Fraction(10, 3)] * 3 + [10]
    assert framework.aspects["aspect_units"].sum() * unit == 100


def test_a_weight_that_is_a_third_off_its_aspect_sum_is_refused(tmp_path, reference_dir):
    """3.333333333333 x 3 is not 10: the exact check sees what a tolerance would let through."""

    def round_one_third(lines):
        row = next(i for i, line in enumerate(lines) if ",32,Layanan Pengaduan Publik," in line)
        return row + 1, lines[row].replace(",10/3,", ",3.333333333333,")

    path = tmp_path / "framework_2018.csv"
    lines = (reference_dir / "framework_2018.csv").read_text().splitlines()
    line_no, new_text = round_one_third(lines)
    lines[line_no - 1] = new_text
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FrameworkError, match=r"framework_2018\.csv baris \d+: bobot indikator aspek 7 berjumlah"):
        load_indicator_table(path, "permenpanrb-5-2018", "domain")
