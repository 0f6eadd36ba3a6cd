"""AppTest of the Asistensi page: 623 instansi in six cities, pendamping, uploads, what-if."""

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest

from spbe.core.formatting import format_number
from spbe.data.store import Store
from spbe.model.cohorts import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from spbe.present.tables import display_name
from spbe.settings import ROOT
from tests.helpers import chart_figures


def default_assignment():
    """The proposed host cities the page starts from (the committed data's)."""
    return Store(ROOT / "data").host_cities()


def open_asistensi(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "asistensi.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def city_totals(at) -> dict[str, int]:
    figure = chart_figures(at)[0]
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    totals: dict[str, int] = {}
    for trace in bars:
        for city, value in zip(trace["x"], trace["y"], strict=True):
            totals[city] = totals.get(city, 0) + value
    return totals


def cohort_total(at, cohort: str) -> int:
    trace = next(t for t in chart_figures(at)[0]["data"] if t.get("name") == cohort)
    return sum(trace["y"])


def pendamping_table(at):
    return next(frame.value for frame in at.dataframe if display_name("pendamping") in frame.value.columns)


def test_2018_cities_hold_the_623_instansi_of_the_programme():
    at = open_asistensi()
    assert not at.exception
    totals = city_totals(at)
    assert set(totals) == {"Jakarta", "Surabaya", "Medan", "Makassar", "Palembang", "Denpasar"}
    assert sum(totals.values()) == 623
    assert cohort_total(at, "Belum dievaluasi") == 7
    assert "usulan" in " ".join(i.value for i in at.info)


def test_80_pendamping_are_allocated_exactly_and_the_total_can_change():
    at = open_asistensi()
    assert pendamping_table(at)[display_name("pendamping")].sum() == 80
    at.number_input(key="pendamping").set_value(100).run()
    assert pendamping_table(at)[display_name("pendamping")].sum() == 100


def test_the_what_if_of_a_cohort_lowers_the_share_below_baik():
    at = open_asistensi(jalur_kota="Makassar", jalur_kohort="Kurang")
    metrics = {m.label: m for m in at.metric}
    below = metrics["Di bawah predikat Baik"]
    assert below.value.endswith("%")
    assert below.delta.startswith("-")


def test_a_bad_upload_is_refused_with_its_reasons_and_changes_nothing():
    at = open_asistensi()
    before = city_totals(at)
    bad = default_assignment().replace({"kota_penyelenggara": {"Medan": "Bandung"}}).to_csv(index=False)
    at.file_uploader[0].set_value(("kota.csv", bad.encode(), "text/csv")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # markup characters are escaped
    assert "kota.csv ditolak; penugasan tidak berubah" in errors
    assert "'Bandung' bukan kota penyelenggara" in errors
    assert city_totals(at) == before


def test_a_good_upload_moves_instansi_between_cities():
    at = open_asistensi()
    before = city_totals(at)
    table = default_assignment()
    table.loc[table["kode_provinsi"] == "11", "kota_penyelenggara"] = "Jakarta"  # Aceh to Jakarta
    at.file_uploader[0].set_value(("kota.csv", table.to_csv(index=False).encode(), "text/csv")).run()
    after = city_totals(at)
    assert after["Jakarta"] > before["Jakarta"]
    assert before["Medan"] - after["Medan"] == after["Jakarta"] - before["Jakarta"]
    assert sum(after.values()) == 623


def test_a_domain_only_year_plans_by_domain():
    at = open_asistensi(tahun="2024")
    assert not at.exception
    assert sum(city_totals(at).values()) == 615
    assert any("per domain" in c.value for c in at.caption)


def test_the_host_city_uploader_states_the_1_mb_limit_it_enforces():
    uploader = open_asistensi().file_uploader[0]
    assert uploader.proto.max_upload_size_mb == MAX_UPLOAD_MB == 1  # the browser refuses larger files, saying so
    assert "paling besar 1 MB" in uploader.label


def test_a_host_city_file_over_the_limit_is_refused_in_indonesian_numbers_and_changes_nothing():
    at = open_asistensi()
    before = city_totals(at)
    at.file_uploader[0].set_value(("besar.csv", b"a" * (MAX_UPLOAD_BYTES + 1), "text/csv")).run()
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "besar.csv: berkas terlalu besar (1.048.577 bita; batas 1.048.576 bita)" in errors
    assert city_totals(at) == before


def test_an_uploaded_host_city_file_is_released_once_read(monkeypatch):
    managers = []  # the upload stores of the runs: Streamlit keeps a session's files in one until it ends
    add_file = MemoryUploadedFileManager.add_file

    def recorded(self, session_id, file):
        managers.append(self)
        add_file(self, session_id, file)

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", recorded)
    at = open_asistensi()
    table = default_assignment().to_csv(index=False).encode()
    at.file_uploader[0].set_value(("kota.csv", table, "text/csv")).run()
    assert not at.exception
    assert "kota.csv dipakai sebagai penugasan" in " ".join(s.value for s in at.success).replace("\\", "")
    assert managers
    held = [record for manager in managers for files in manager.file_storage.values() for record in files.values()]
    assert held == []


def test_a_host_city_refusal_cuts_long_values_and_lists_at_most_50_problems():
    rows = "".join(f"{'9' * 500},Bandung\n" for _ in range(150))
    at = open_asistensi()
    at.file_uploader[0].set_value(("buruk.csv", f"kode_provinsi,kota_penyelenggara\n{rows}".encode(), "text/csv")).run()
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert f"kolom kode_provinsi: '{'9' * 60}…' bukan kode provinsi" in errors
    assert "… dan 400 masalah lain" in errors
    assert len(errors) < 15_000


def weight_of(at, cohort: str) -> float:
    return at.number_input(key=f"bobot_{cohort}").value


def test_a_changed_plan_is_kept_in_the_url_and_the_link_opens_the_same_plan():
    at = open_asistensi()
    assert "rencana" not in at.query_params  # the default plan keeps the URL clean
    at.number_input(key="bobot_Kurang").set_value(4.0).run()
    table = default_assignment()
    table.loc[table["kode_provinsi"] == "11", "kota_penyelenggara"] = "Jakarta"  # Aceh to Jakarta
    at.file_uploader[0].set_value(("kota.csv", table.to_csv(index=False).encode(), "text/csv")).run()
    link = at.query_params["rencana"]
    assert link == "11-Jakarta_Kurang-4"  # only what differs from the default plan
    colleague = open_asistensi(rencana=link)
    assert not colleague.exception
    assert not any("tautan" in w.value for w in colleague.warning)
    assert city_totals(colleague) == city_totals(at) != city_totals(open_asistensi())
    assert weight_of(colleague, "Kurang") == 4.0
    assert weight_of(colleague, "Cukup") == 2.0
    assert colleague.query_params["rencana"] == link


@pytest.mark.parametrize(
    ("link", "reasons"),
    [
        (
            "11-Bandung_Kurang-banyak_Aceh-Medan_Kurang-3",
            [
                "provinsi 11: 'Bandung' bukan kota penyelenggara",
                "bobot kohort Kurang: 'banyak' bukan angka 0 sampai 10",
                "'Aceh' bukan kode provinsi atau nama kohort",
                "'Kurang' tercantum dua kali",
            ],
        ),
        ("%%%", ["'%%%' bukan <kode provinsi>-<kota> atau <kohort>-<bobot>"]),
        ("Cukup-99", ["bobot kohort Cukup: '99' bukan angka 0 sampai 10"]),
        ("1" * 5000, ["tautan terlalu panjang (5.000 karakter; paling banyak 2.000)"]),
    ],
)
def test_a_garbled_plan_link_is_refused_in_indonesian_and_the_default_plan_stands(link, reasons):
    at = open_asistensi(rencana=link)
    assert not at.exception
    warning = " ".join(w.value for w in at.warning).replace("\\", "")  # markup characters are escaped
    assert "Rencana dalam tautan ini tidak dapat dibaca; rencana awal dipakai." in warning
    for reason in reasons:
        assert reason in warning
    assert city_totals(at) == city_totals(open_asistensi())
    assert weight_of(at, "Kurang") == 3.0
    assert "rencana" not in at.query_params  # the garbled link is not passed on


def test_a_path_names_its_indicators_and_the_whole_path_is_shown():
    at = open_asistensi(jalur_kota="Jakarta", jalur_kohort="Kurang")
    paths = next(frame.value for frame in at.dataframe if "jalur" in map(str.lower, frame.value.columns))
    paths.columns = [str(column).lower() for column in paths.columns]
    detail = next(m.value for m in at.markdown if "kenaikan satu tingkat:" in m.value).replace("\\", "")
    name = detail.split("**")[1]  # the weakest instansi of the table comes first
    row = paths[paths.iloc[:, 0] == name].iloc[0]
    assert row["indeks"] == paths["indeks"].min()
    assert detail.startswith(f"**{name}**: indeks {format_number(row['indeks'])} → ")
    assert row["jalur"].startswith("Layanan Publik Instansi Pemerintah (I35): tingkat 1 → 5; ")
    steps = [line.removeprefix("- ") for line in detail.split("\n") if line.startswith("- ")]
    assert "; ".join(steps) == row["jalur"]  # every step, none cut
    raised = sum(int(step[-1]) - int(step.split("tingkat ")[1][0]) for step in steps)
    assert raised == row["langkah"] == int(detail.split(" kenaikan satu tingkat")[0].split()[-1])


def member_tables(at) -> list:
    """The host-city tables of the cohorts (the only grids with a Kohort column)."""
    return [frame.value for frame in at.dataframe if display_name("kohort") in frame.value.columns]


@pytest.mark.parametrize(("query", "city"), [({}, "Jakarta"), ({"kota_kohort": "Medan"}, "Medan")])
def test_only_the_chosen_host_city_table_is_built_and_the_choice_is_kept_in_the_link(query, city):
    at = open_asistensi(**query)
    assert not at.exception
    (members,) = member_tables(at)  # one city's members, not six tables on every visit
    assert len(members) == city_totals(at)[city]  # all of them, Belum dievaluasi included
    provinces = default_assignment().query("kota_penyelenggara == @city")["nama_provinsi"]
    assert set(members[display_name("nama_provinsi")].dropna()) <= set(provinces)  # instansi pusat have none
