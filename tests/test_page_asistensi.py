"""AppTest of the Asistensi page: 623 instansi in six cities, pendamping, uploads, what-if."""

from streamlit.testing.v1 import AppTest

from spbe.cohorts import default_assignment
from spbe.paths import ROOT
from tests.helpers import chart_figures


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
    return next(frame.value for frame in at.dataframe if "pendamping" in frame.value.columns)


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
    assert pendamping_table(at)["pendamping"].sum() == 80
    at.number_input(key="pendamping").set_value(100).run()
    assert pendamping_table(at)["pendamping"].sum() == 100


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
