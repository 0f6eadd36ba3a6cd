"""A framework is data: the manifest (frameworks.csv), its table and its bands are all a framework needs.

PermenPANRB 8/2026 (Indeks Pemerintah Digital) is added that way: 7 aspects and 20 indicators, no
domains; its aspects are the components the index is built from. Its bands (Baik from 2,5) come
with an edge rule the data sets: the first source puts an index of exactly 2,50 in Baik, the other
in Cukup.
"""

import shutil
from dataclasses import replace
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.model.framework import FrameworkError, load_frameworks
from spbe.model.scoring import components_of_levels, index_of_components, score_levels
from tests.frameworks import ASPECTS_2026, F2020, F2026, FRAMEWORKS

WEIGHTS_2026 = [5, 5, 5, 5, 5, 3, 3, 4, 4, 4, 3, 4, 5, 5, 4, 4, 4, 3, 10, 15]  # indicators 1-20, framework_2026.csv
# Indicators 1-5 (weights 25 in all) and 19-20 (25) at 3, 6-18 (50) at 2: 75 + 100 + 75 = 250 over 100.
ON_2_50 = [3] * 5 + [2] * 13 + [3] * 2


def levels_table(framework, levels: list[int], year: int) -> pd.DataFrame:
    rows = [(year, "A", number, level) for number, level in zip(framework.indicator_numbers, levels, strict=True)]
    return pd.DataFrame(rows, columns=["tahun", "instansi", "indikator", "tingkat"])


def reference_copy(tmp_path, reference_dir):
    return shutil.copytree(reference_dir, tmp_path / "reference", ignore=shutil.ignore_patterns("*.py"))


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_2026_framework_loads_from_data_alone_with_seven_aspects_as_components():
    assert (F2026.title, F2026.first_year, F2026.last_year) == ("PermenPANRB 8/2026", 2026, None)
    assert len(F2026.indicators) == 20
    assert F2026.component_level == "aspect"
    assert F2026.component_label == "aspek"
    assert F2026.components["name"].tolist() == ASPECTS_2026
    assert F2026.components["weight"].tolist() == [10, 10, 15, 15, 10, 15, 25]
    assert F2026.indicators["indicator_weight"].tolist() == WEIGHTS_2026
    assert F2026.components["weight"].sum() == F2026.indicators["indicator_weight"].sum() == 100
    assert F2026.domains.empty
    assert len(F2026.aspects) == 7


def test_four_2026_indicators_are_scored_by_another_agency():
    scored = F2026.indicators.dropna(subset=["scored_by"]).set_index("indicator_no")["scored_by"]
    assert scored.index.tolist() == [5, 6, 7, 18]
    assert [agency.split()[0] for agency in scored] == ["Bappenas", "BIG", "BPS", "Bappenas"]
    assert F2020.indicators["scored_by"].isna().all()


def test_2026_is_on_a_new_scale_from_secondary_sources_and_says_so():
    assert F2026.index_scale == "Indeks Pemerintah Digital skala 1–5"
    assert F2026.index_scale != F2020.index_scale
    assert F2026.caveat == "bersumber sekunder; periksa dengan salinan resmi"
    assert F2020.caveat is None
    assert F2026.indicators["weight_confidence"].str.startswith("secondary").all()


def test_2026_has_no_asistensi_modules_and_no_level_names():
    """The 2019 modules cover the SPBE frameworks only; the 2026 level names are in no reference."""
    assert F2026.indicators["modul"].isna().all()
    assert F2026.level_name(20, 3) is None
    assert F2020.level_name(32, 3) == "Transaksi"


@pytest.mark.parametrize(
    ("year", "title"),
    [(2020, "PermenPANRB 5/2018"), (2021, "PermenPANRB 59/2020"), (2025, "PermenPANRB 59/2020")]
    + [(2026, "PermenPANRB 8/2026"), (2031, "PermenPANRB 8/2026")],
)
def test_2025_is_the_last_spbe_year_and_2026_the_first_pemdi_year(year, title):
    assert FRAMEWORKS.for_year(year).title == title


def test_the_components_of_a_domain_framework_are_its_domains():
    assert F2020.component_label == "domain"
    assert F2020.components.values.tolist() == F2020.domains.values.tolist()


def test_2026_bands_start_baik_at_2_5_and_by_default_put_an_exact_edge_in_the_upper_band():
    bands = F2026.bands
    assert bands.names == ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan")
    assert bands.lower_edges == (1.5, 2.5, 3.5, 4.0)
    assert (bands.edge_rule, bands.baik_min) == ("upper", 2.5)
    assert F2020.bands.edge_rule == "upper"


@pytest.mark.parametrize(
    ("levels", "index", "upper", "lower"),
    [
        ([1] * 20, Fraction(1), "Kurang", "Kurang"),
        ([3] * 20, Fraction(3), "Baik", "Baik"),
        ([4] * 20, Fraction(4), "Memuaskan", "Sangat Baik"),  # on the 4,00 edge
        ([5] * 20, Fraction(5), "Memuaskan", "Memuaskan"),
        # 5+10+15+20+25 + 3+6+12+16+20 + 3+8+15+20+20 + 4+8+9+40+75 = 334 over 100
        ([1, 2, 3, 4, 5] * 4, Fraction("3.34"), "Baik", "Baik"),
        (ON_2_50, Fraction("2.5"), "Baik", "Cukup"),
    ],
)
def test_hand_computed_2026_indices_and_their_predikat_under_both_edge_rules(levels, index, upper, lower):
    assert sum(w * level for w, level in zip(WEIGHTS_2026, levels, strict=True)) == index * 100
    exact = index_of_components(components_of_levels(dict(enumerate(levels, start=1)), F2026), F2026)
    assert exact == index
    scores = score_levels(levels_table(F2026, levels, 2026), F2026)
    assert scores.index["indeks"].iloc[0] == float(index)
    assert scores.index["predikat"].iloc[0] == upper
    lower_rule = replace(F2026, bands=replace(F2026.bands, edge_rule="lower"))
    assert score_levels(levels_table(F2026, levels, 2026), lower_rule).index["predikat"].iloc[0] == lower


def test_an_index_of_2_50_scores_by_aspect_and_has_no_domains():
    scores = score_levels(levels_table(F2026, ON_2_50, 2026), F2026)
    # Data: (5x3 + 3x2 + 3x2 + 4x2) / 15 = 35/15; the other aspects are all at 3 or all at 2
    assert scores.components.iloc[0].tolist() == pytest.approx([3, 3, 7 / 3, 2, 2, 2, 3], abs=1e-12)
    assert list(scores.components.columns) == F2026.components["name"].tolist()
    assert scores.domains.shape == (1, 0)
    assert list(scores.wide().columns) == ["tahun", "instansi", "indeks", "predikat", *F2026.components["name"]]


def test_the_edge_rule_is_set_in_the_manifest(tmp_path, reference_dir):
    folder = reference_copy(tmp_path, reference_dir)
    edit(
        folder / "frameworks.csv",
        "framework_2026.csv,Indeks Pemerintah Digital skala 1–5,aspect,upper,",
        "framework_2026.csv,Indeks Pemerintah Digital skala 1–5,aspect,lower,",
    )
    framework = load_frameworks(folder).for_year(2026)
    assert framework.bands.edge_rule == "lower"
    assert framework.bands.predikat_of(2.5) == "Cukup"
    assert framework.bands.predikat_of(2.5000001) == "Baik"
    assert score_levels(levels_table(framework, ON_2_50, 2026), framework).index["predikat"].iloc[0] == "Cukup"


TOY = """framework,aspect_no,aspect,aspect_weight,indicator_no,indicator,indicator_weight,weight_confidence
toy-2030,1,Satu,40,1,Indikator A,40,test
toy-2030,2,Dua,60,2,Indikator B,20,test
toy-2030,2,Dua,60,3,Indikator C,40,test
"""
TOY_BANDS = [
    "toy-2030,Kurang,1.0,3.0,uji,",
    "toy-2030,Baik,3.0,4.0,uji,",
    "toy-2030,Unggul,4.0,5.0,uji,",
]


def test_a_fourth_framework_written_as_files_loads_and_scores_with_no_code_change(tmp_path, reference_dir):
    folder = reference_copy(tmp_path, reference_dir)
    edit(folder / "frameworks.csv", ",2026,,framework_2026.csv,", ",2026,2029,framework_2026.csv,")
    with (folder / "frameworks.csv").open("a") as manifest:
        manifest.write(
            "toy-2030,Kerangka Uji,2030,,framework_toy.csv,Indeks Uji skala 1–5,aspect,lower,secondary,uji\n"
        )
    (folder / "framework_toy.csv").write_text(TOY)
    with (folder / "predikat_bands.csv").open("a") as bands:
        bands.write("\n".join(TOY_BANDS) + "\n")
    frameworks = load_frameworks(folder)
    toy = frameworks.for_year(2031)
    assert (len(frameworks), toy.title, toy.component_label, toy.caveat) == (
        4,
        "Kerangka Uji",
        "aspek",
        "bersumber sekunder; periksa dengan salinan resmi",
    )
    assert frameworks.for_year(2029).title == "PermenPANRB 8/2026"
    # 40 x 3 + 20 x 4 + 40 x 5 = 400 over 100: exactly on the Unggul edge, which the lower rule keeps in Baik
    scores = score_levels(levels_table(toy, [3, 4, 5], 2030), toy)
    assert (scores.index["indeks"].iloc[0], scores.index["predikat"].iloc[0]) == (4.0, "Baik")
    assert scores.components.iloc[0].tolist() == pytest.approx([3, 14 / 3], abs=1e-12)
    assert index_of_components(components_of_levels({1: 3, 2: 4, 3: 5}, toy), toy) == 4


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",aspect,upper,secondary,", ",bidang,upper,secondary,", r"component_level 'bidang' tidak dikenal"),
        (",aspect,upper,secondary,", ",aspect,tengah,secondary,", r"edge_rule 'tengah' tidak dikenal"),
        (",aspect,upper,secondary,", ",aspect,upper,resmi,", r"status 'resmi' tidak dikenal"),
        (",framework_2026.csv,", ",framework_2062.csv,", r"berkas framework_2062\.csv tidak ada"),
        (
            ",2026,,framework_2026.csv,",
            ",2025,,framework_2026.csv,",
            r"PermenPANRB 8/2026 mulai 2025, padahal PermenPANRB 59/2020 masih berlaku",
        ),
        (",2026,,framework_2026.csv,", ",2026,2024,framework_2026.csv,", r"tahun 2026 sampai 2024 bukan rentang"),
    ],
)
def test_a_manifest_error_names_the_file_and_row_in_indonesian(tmp_path, reference_dir, old, new, message):
    folder = reference_copy(tmp_path, reference_dir)
    edit(folder / "frameworks.csv", old, new)
    with pytest.raises(FrameworkError, match=r"^frameworks\.csv baris 4: " + message):
        load_frameworks(folder)


def test_a_2026_table_whose_aspects_do_not_add_up_to_100_is_refused(tmp_path, reference_dir):
    folder = reference_copy(tmp_path, reference_dir)
    table = folder / "framework_2026.csv"
    text = table.read_text().replace(",7,Kepuasan Pengguna,25,", ",7,Kepuasan Pengguna,20,")
    text = text.replace(
        ",Tingkat Kepuasan Pengguna Layanan Digital Pemerintah,15,",
        ",Tingkat Kepuasan Pengguna Layanan Digital Pemerintah,10,",
    )
    table.write_text(text)
    with pytest.raises(FrameworkError, match=r"^framework_2026\.csv baris 21: bobot aspek berjumlah 95, bukan 100"):
        load_frameworks(folder)


def test_a_table_with_domains_for_a_framework_built_from_aspects_is_refused(tmp_path, reference_dir):
    folder = reference_copy(tmp_path, reference_dir)
    edit(
        folder / "frameworks.csv",
        "framework_2020.csv,Indeks SPBE skala 1–5,domain,",
        "framework_2020.csv,Indeks SPBE skala 1–5,aspect,",
    )
    with pytest.raises(FrameworkError, match=r"^framework_2020\.csv: kolom domain_no, domain, domain_weight ada"):
        load_frameworks(folder)


@settings(max_examples=40, deadline=None)  # a DuckDB connection per example
@given(levels=st.lists(st.integers(1, 5), min_size=20, max_size=20))
def test_duckdb_scoring_of_2026_agrees_with_the_exact_reference(levels):
    components = components_of_levels(dict(enumerate(levels, start=1)), F2026)
    scores = score_levels(levels_table(F2026, levels, 2027), F2026)
    assert scores.index["indeks"].iloc[0] == float(index_of_components(components, F2026))
    assert scores.components.iloc[0].tolist() == [float(value) for value in components.values()]
