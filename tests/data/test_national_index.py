"""The official national index of a year entered later (issue #17 item 5).

2025 arrives by import before its national index is published (news gave only a mean of 3,23;
spbe_facts.md 5.1): until an admin enters the official index and its source, the year's summary has
no official index and its headline is the recomputed mean of its instansi. An entry is checked (a
year with results or of the series, an index on the scale of the year's framework, a source),
becomes a version like an import, and a rollback restores the state before it. The index entered
here is a test value, not a published figure.
"""

import pytest

from spbe.data.importer import parse_files
from spbe.data.store import Store
from spbe.data.versions import BASE_VERSION, NATIONAL_KIND, NationalIndexRejected, VersionStore
from tests.data.test_import import store_bytes
from tests.data.test_import_frameworks import csv_bytes, wide
from tests.frameworks import FRAMEWORKS

# Two 2025 instansi on the 47 indicators of PermenPANRB 59/2020: index 3,00 and 4,00, mean 3,50.
LEVELS_2025 = {"Kota Surabaya": [3] * 47, "Kabupaten Banyuwangi": [4] * 47}
SOURCE = "Uji: Laporan Pelaksanaan Evaluasi SPBE 2025 (angka uji, bukan angka terbitan)"


@pytest.fixture
def data_2025(data_dir, registry):
    """A private data folder with the 2025 file committed as v0001."""
    parsed = parse_files([(csv_bytes(wide(2025, LEVELS_2025)), "hasil_2025.csv")], registry, FRAMEWORKS)
    VersionStore(data_dir).commit(parsed, who="uji")
    return data_dir


def test_before_an_entry_2025_has_only_its_mean_and_after_it_the_official_index_and_its_source(data_2025):
    before = Store(data_2025).summary(2025)
    assert (before.national_index_official, before.national_index_mean) == (None, 3.5)
    assert before.source.startswith("Impor hasil_2025.csv oleh admin")  # the rows' own source: an import
    version = VersionStore(data_2025).enter_national_index(2025, "3,21", SOURCE, who="uji")
    assert version == "v0002"
    after = Store(data_2025).summary(2025)
    assert (after.national_index_official, after.national_index_mean) == (3.21, 3.5)  # the mean stays beside it
    assert after.source == SOURCE
    assert (after.instansi_evaluated, after.framework) == (2, "PermenPANRB 59/2020")
    row = Store(data_2025).national_series().set_index("tahun").loc[2025]
    assert (row["indeks_nasional"], row["sumber_indeks"], row["kerangka"]) == (3.21, SOURCE, "permenpanrb-59-2020")


def test_an_entry_is_a_version_listed_with_its_value_and_rolled_back_like_an_import(data_2025):
    versions = VersionStore(data_2025)
    versions.enter_national_index(2025, "3,21", SOURCE, who="uji")
    versions.enter_national_index(2025, "3.19", "Uji: ralat", who="uji")  # a decimal point is read too
    records = versions.manifest()
    assert [(r["versi"], r.get("jenis")) for r in records] == [
        ("v0001", None),
        ("v0002", NATIONAL_KIND),
        ("v0003", NATIONAL_KIND),
    ]
    assert {k: records[2][k] for k in ("tahun", "indeks_nasional", "indeks_sebelumnya", "sumber", "oleh")} == {
        "tahun": 2025,
        "indeks_nasional": 3.19,
        "indeks_sebelumnya": 3.21,
        "sumber": "Uji: ralat",
        "oleh": "uji",
    }
    assert Store(data_2025).summary(2025).national_index_official == 3.19
    versions.rollback("v0002")  # each version keeps its own entries: the later one wrote a new file
    assert (Store(data_2025).summary(2025).national_index_official, Store(data_2025).summary(2025).source) == (
        3.21,
        SOURCE,
    )
    versions.rollback("v0001")
    assert Store(data_2025).summary(2025).national_index_official is None
    versions.rollback(BASE_VERSION)
    assert 2025 not in Store(data_2025).years()["tahun"].tolist()


def test_an_import_after_an_entry_keeps_it(data_2025, registry):
    versions = VersionStore(data_2025)
    versions.enter_national_index(2025, "3,21", SOURCE, who="uji")
    more = {"Provinsi Jawa Barat": [5] * 47}
    versions.commit(parse_files([(csv_bytes(wide(2025, more)), "tambahan.csv")], registry, FRAMEWORKS), who="uji")
    summary = Store(data_2025).summary(2025)
    assert (summary.national_index_official, summary.national_index_mean, summary.instansi_evaluated) == (3.21, 4, 3)


def test_a_published_year_can_be_corrected_with_the_value_before_recorded(data_dir):
    versions = VersionStore(data_dir)
    versions.enter_national_index(2024, "3,13", "Uji: ralat angka 2024", who="uji")
    assert versions.manifest()[-1]["indeks_sebelumnya"] == 3.12
    summary = Store(data_dir).summary(2024)
    assert (summary.national_index_official, summary.source, summary.instansi_evaluated) == (
        3.13,
        "Uji: ralat angka 2024",
        615,  # the published count stands
    )
    versions.rollback(BASE_VERSION)
    assert Store(data_dir).summary(2024).national_index_official == 3.12


BAD_ENTRIES = {
    "indeks 7": (
        2025,
        "7",
        SOURCE,
        ["indeks '7' di luar skala Indeks SPBE skala 1–5 (PermenPANRB 59/2020: 1,00 sampai 5,00)"],
    ),
    "sumber kosong": (2025, "3,21", "   ", ["sumber kosong: sebutkan publikasi resminya (judul, nomor, tanggal)"]),
    "tahun tak dikenal": (
        2027,
        "2,10",
        SOURCE,
        [
            "tahun 2027 tidak dikenal: tidak ada hasil per instansi maupun angka seri nasional tahun itu "
            "(tahun yang dapat diisi: 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025)"
        ],
    ),
    "bukan angka": (2025, "tiga", SOURCE, ["indeks 'tiga' bukan angka (tulis seperti 3,12)"]),
    "terlalu teliti": (2025, "3,123456", SOURCE, ["indeks '3,123456' memiliki lebih dari 4 desimal"]),
    "semua sekaligus": (
        2016,
        "nan",
        "",
        [
            "tahun 2016 tidak dikenal: tidak ada hasil per instansi maupun angka seri nasional tahun itu "
            "(tahun yang dapat diisi: 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025)",
            "indeks 'nan' bukan angka (tulis seperti 3,12)",
            "sumber kosong: sebutkan publikasi resminya (judul, nomor, tanggal)",
        ],
    ),
}


@pytest.mark.parametrize("case", list(BAD_ENTRIES))
def test_a_bad_entry_is_refused_with_every_problem_and_changes_nothing(data_2025, case):
    year, index, source, problems = BAD_ENTRIES[case]
    before = store_bytes(data_2025)
    with pytest.raises(NationalIndexRejected) as refusal:
        VersionStore(data_2025).enter_national_index(year, index, source, who="uji")
    assert refusal.value.problems == problems
    assert str(refusal.value).endswith("Tidak ada data yang diubah.")
    assert store_bytes(data_2025) == before
    assert Store(data_2025).summary(2025).national_index_official is None


def test_a_2026_index_is_checked_on_the_scale_of_its_own_framework(data_dir, registry):
    from tests.data.test_import_frameworks import LEVELS_2026

    parsed = parse_files([(csv_bytes(wide(2026, LEVELS_2026)), "hasil_2026.csv")], registry, FRAMEWORKS)
    VersionStore(data_dir).commit(parsed, who="uji")
    with pytest.raises(NationalIndexRejected) as refusal:
        VersionStore(data_dir).enter_national_index(2026, "0,90", SOURCE)
    assert refusal.value.problems == [
        "indeks '0,90' di luar skala Indeks Pemerintah Digital skala 1–5 (PermenPANRB 8/2026: 1,00 sampai 5,00)"
    ]
    VersionStore(data_dir).enter_national_index(2026, "2,40", SOURCE)
    row = Store(data_dir).national_series().set_index("tahun").loc[2026]
    assert (row["indeks_nasional"], row["kerangka"]) == (2.4, "permenpanrb-8-2026")
