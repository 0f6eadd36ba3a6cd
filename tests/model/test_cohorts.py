"""Asistensi planning: cohorts per host city, pendamping allocation, module needs, uploads."""

import io
import itertools

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.data.store import Store
from spbe.model.cohorts import (
    DEFAULT_WEIGHTS,
    HOST_CITIES,
    MAX_UPLOAD_BYTES,
    AssignmentError,
    allocate_pendamping,
    assign_cities,
    cohort_counts,
    cohorts,
    component_needs,
    module_needs,
    read_assignment,
)
from spbe.model.pathways import paths_for_year
from spbe.present.plan_export import Plan, plan_csv, plan_xlsx
from spbe.settings import ROOT
from tests.frameworks import F2018, FRAMEWORKS

COHORTS = cohorts(F2018.bands)  # the roster year's: Kurang ... Memuaskan, then Belum dievaluasi


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def roster_2018(store):
    return assign_cities(store.participants(2018), store.host_cities())


def test_the_2018_roster_is_623_instansi_in_six_cities_with_7_not_yet_evaluated(roster_2018):
    counts = cohort_counts(roster_2018, F2018.bands)
    assert list(counts.index) == list(HOST_CITIES)
    assert int(counts.to_numpy().sum()) == 623
    assert int(counts["Belum dievaluasi"].sum()) == 7
    assert int(counts[["Baik", "Sangat Baik", "Memuaskan"]].to_numpy().sum()) == 118


def test_cohorts_partition_the_roster(roster_2018):
    assert not roster_2018["instansi_id"].duplicated().any()
    assert set(roster_2018["kohort"]) <= set(COHORTS)
    assert set(roster_2018["kota_penyelenggara"]) == set(HOST_CITIES)


def test_instansi_pusat_meet_in_jakarta_and_pemda_follow_their_province(roster_2018):
    by_id = roster_2018.set_index("instansi_id")["kota_penyelenggara"]
    assert by_id["KEMENKEU"] == "Jakarta"
    assert by_id["33"] == "Surabaya"  # Provinsi Jawa Tengah
    assert by_id["POLDA-11"] == "Medan"  # Polda Aceh, by its province


def test_editing_the_assignment_moves_instansi_between_cities(roster_2018, store):
    assignment = store.host_cities()
    assignment.loc[assignment["kode_provinsi"] == "11", "kota_penyelenggara"] = "Jakarta"  # Aceh
    moved = assign_cities(store.participants(2018), assignment)
    aceh = int((roster_2018["kode_provinsi_kini"] == "11").sum())
    before, after = cohort_counts(roster_2018, F2018.bands).sum(axis=1), cohort_counts(moved, F2018.bands).sum(axis=1)
    assert aceh > 0
    assert after["Medan"] == before["Medan"] - aceh
    assert after["Jakarta"] == before["Jakarta"] + aceh
    assert after.sum() == 623


@settings(deadline=None)  # pandas per example: a busy machine takes longer than 200 ms
@given(
    counts=st.lists(st.lists(st.integers(0, 200), min_size=6, max_size=6), min_size=6, max_size=6),
    total=st.integers(0, 500),
    weights=st.lists(st.floats(0, 5, allow_nan=False), min_size=6, max_size=6),
)
def test_allocation_always_sums_to_the_total_and_follows_the_workload(counts, total, weights):
    table = pd.DataFrame(counts, index=list(HOST_CITIES), columns=list(COHORTS))
    allocation = allocate_pendamping(table, dict(zip(COHORTS, weights, strict=True)), total)
    workload = allocation["beban"]
    if workload.sum() > 0:
        assert allocation["pendamping"].sum() == total
        quota = workload / workload.sum() * total
        assert (allocation["pendamping"] - quota).abs().max() < 1  # never more than one off the exact share
        for a, b in itertools.permutations(allocation.index, 2):  # more work never means fewer pendamping
            if workload[a] > workload[b]:
                assert allocation.at[a, "pendamping"] >= allocation.at[b, "pendamping"]
    else:
        assert allocation["pendamping"].sum() == 0


def test_default_allocation_of_80_pendamping_for_2018(roster_2018):
    allocation = allocate_pendamping(cohort_counts(roster_2018, F2018.bands), DEFAULT_WEIGHTS, 80)
    assert allocation["pendamping"].sum() == 80
    assert allocation["pendamping"].idxmax() == allocation["beban"].idxmax()


def test_module_needs_mark_one_weakest_module_per_cohort(roster_2018, store):
    needs = module_needs(store.levels(2018), roster_2018)
    assert set(needs["modul"]) == {
        "Kelembagaan",
        "Strategi dan Perencanaan",
        "TIK",
        "Layanan Administrasi Pemerintahan",
        "Layanan Publik",
    }
    weakest = needs[needs["terlemah"]].groupby(["kota_penyelenggara", "kohort"]).size()
    assert (weakest >= 1).all()
    assert "Belum dievaluasi" not in set(needs["kohort"])  # no levels, no needs


def test_component_needs_of_a_component_only_year_name_the_components_of_its_framework(store):
    participants = assign_cities(store.participants(2024), store.host_cities())
    domains = store.framework(2024).components
    needs = component_needs(participants, dict(zip(domains["no"], domains["name"], strict=True)))
    assert set(needs["komponen"]) == {"Kebijakan Internal SPBE", "Tata Kelola SPBE", "Manajemen SPBE", "Layanan SPBE"}
    jakarta = needs[(needs["kota_penyelenggara"] == "Jakarta") & (needs["kohort"] == "Kurang")]
    assert jakarta["terlemah"].sum() >= 1  # ties (several domains at 1,00) are all marked
    # A framework without domains: its aspects, from komponen_1..7
    aspects = FRAMEWORKS.by_key("permenpanrb-8-2026").components
    rows = pd.DataFrame(
        {"kota_penyelenggara": "Medan", "kohort": "Cukup", "instansi_id": ["a", "b"]}
        | {f"komponen_{k}": [2.0, 3.0] for k in range(1, 8)}
    ).assign(komponen_3=[1.0, None])  # an unknown index counts in neither mean nor n
    needs = component_needs(rows, dict(zip(aspects["no"], aspects["name"], strict=True))).set_index("komponen")
    assert len(needs) == 7
    assert (needs.at["Data", "rata_rata"], needs.at["Data", "n"], needs.at["Data", "terlemah"]) == (1.0, 1, True)
    assert needs.at["Kepuasan Pengguna", "rata_rata"] == 2.5


def upload(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def provinces(store):
    return store.host_cities()[["kode_provinsi", "nama_provinsi"]]


def test_a_valid_upload_is_read(provinces, store):
    csv = (
        store.host_cities()
        .assign(kota_penyelenggara=lambda t: t["kota_penyelenggara"].where(t["kode_provinsi"] != "11", "Jakarta"))
        .to_csv(index=False)
    )
    table = read_assignment(upload(csv), "kota.csv", provinces)
    assert table.set_index("kode_provinsi").at["11", "kota_penyelenggara"] == "Jakarta"
    assert len(table) == 38


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace({"kode_provinsi": {"11": "99"}}),
            "baris 2, kolom kode_provinsi: '99' bukan kode provinsi",
        ),
        (lambda t: t.replace({"kota_penyelenggara": {"Medan": "Bandung"}}), "'Bandung' bukan kota penyelenggara"),
        (lambda t: t.drop(columns="kota_penyelenggara"), "kolom wajib tidak ada: Kota penyelenggara"),
        (lambda t: t.iloc[1:], "provinsi tanpa kota penyelenggara: 11"),
        (lambda t: pd.concat([t, t.iloc[[0]]]), "provinsi 11 tercantum dua kali"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_naming_row_and_value(provinces, store, change, message):
    csv = change(store.host_cities()).to_csv(index=False)
    with pytest.raises(AssignmentError) as refused:
        read_assignment(upload(csv), "kota.csv", provinces)
    assert message in str(refused.value)


def test_garbage_and_huge_uploads_are_refused(provinces):
    with pytest.raises(AssignmentError, match="kolom wajib tidak ada"):
        read_assignment(b"\x00\x01\x02garbage", "kota.csv", provinces)
    with pytest.raises(AssignmentError, match="terlalu besar"):
        read_assignment(b"a" * (MAX_UPLOAD_BYTES + 1), "kota.csv", provinces)


def test_the_plan_exports_a_summary_and_one_sheet_per_city(store, roster_2018):
    counts = cohort_counts(roster_2018, F2018.bands)
    allocation = allocate_pendamping(counts, DEFAULT_WEIGHTS, 80)
    paths = paths_for_year(store.levels(2018), store.results(2018), store.framework(2018))
    needs = module_needs(store.levels(2018), roster_2018)
    plan = Plan(2018, "simulasi", "Simulasi Dasbor SPBE", roster_2018, counts, allocation, needs, paths)
    workbook = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert workbook.sheetnames == ["Ringkasan", *HOST_CITIES, "Kebutuhan modul", "Keterangan"]
    assert "usulan" in workbook["Keterangan"]["A5"].value
    rows = pd.read_csv(io.BytesIO(plan_csv(plan)), comment="#")
    assert len(rows) == 623
    assert {"Kota penyelenggara", "Kohort", "Instansi", "Jumlah kenaikan tingkat", "Jalur ke baik"} <= set(rows.columns)
    assert rows["Jalur ke baik"].notna().sum() == 498  # every instansi below Baik has its path
