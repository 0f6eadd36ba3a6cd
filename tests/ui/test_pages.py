"""AppTest of every page: the official numbers on screen, filters, and state from the URL."""

import pytest
from streamlit.testing.v1 import AppTest

from spbe.settings import ROOT
from tests.helpers import chart_figures, trace_named

TIMEOUT_S = 60


def open_page(page: str, **query) -> AppTest:
    """Run one page as the browser would after opening a link with these query parameters."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text_of(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def annotations(figure) -> list[str]:
    return [a["text"].replace("<br>", " ") for a in figure["layout"].get("annotations", [])]  # wrapped to width


def test_the_dashboard_entry_point_opens_on_the_overview_of_the_latest_year():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert metrics(at)["Indeks SPBE Nasional"] == "3,12"


# Ringkasan Nasional


def test_overview_2018_tells_the_story_of_the_press_release():
    at = open_page("ringkasan", tahun="2018")
    assert not at.exception
    assert metrics(at) == {
        "Indeks SPBE Nasional": "1,98",
        "Target": "2,6",
        "Selisih terhadap target": "0,62",
        "Instansi dievaluasi": "616",
        "Di bawah predikat Baik": "81%",
    }
    text = text_of(at)
    assert "**81%** kementerian, lembaga dan pemerintah daerah belum mencapai predikat Baik pada 2018" in text
    assert "86,69% menurut Tempo" in text  # the conflicting figure is said aloud
    assert "SIMULASI" in text  # the distribution rests on the simulation


def test_overview_2018_charts_mark_the_gap_and_the_simulation():
    national, distribution, shares = chart_figures(open_page("ringkasan", tahun="2018"))
    assert trace_named(national, "Indeks SPBE Nasional")["y"] == [1.98, 2.18, 2.26, 2.24, 2.34, 2.79, 3.12]
    assert "0,62 poin di bawah target 2,6" in annotations(national)
    assert "SIMULASI – bukan data resmi" not in annotations(national)  # official series
    assert "SIMULASI – bukan data resmi" in annotations(distribution)
    assert "<b>81%</b> instansi belum mencapai predikat Baik" in annotations(distribution)
    assert "SIMULASI – bukan data resmi" in annotations(shares)
    published = trace_named(shares, "Angka terbitan")
    assert dict(zip(published["y"], published["x"], strict=True))["Kementerian"] == 74


@pytest.mark.parametrize(
    ("year", "index", "counted"), [("2023", "2,79", "388 dari 621"), ("2024", "3,12", "469 dari 615")]
)
def test_overview_of_the_official_years(year, index, counted):
    at = open_page("ringkasan", tahun=year)
    assert not at.exception
    assert metrics(at)["Indeks SPBE Nasional"] == index
    assert counted in text_of(at)
    assert "SIMULASI" not in text_of(at)


def test_overview_2024_compares_groups_with_their_targets():
    *_, shares = chart_figures(open_page("ringkasan", tahun="2024"))
    targets = trace_named(shares, "Target")
    assert dict(zip(targets["y"], targets["x"], strict=True)) == {
        "Kabupaten/Kota": 60,
        "Provinsi": 80,
        "Instansi Pusat": 100,
    }


def test_overview_2024_states_its_progress_since_2018_and_2023_and_why_the_mean_differs():
    at = open_page("ringkasan", tahun="2024")
    text = text_of(at)
    assert "Indeks SPBE Nasional 2024: **+1,14** sejak 1,98 (2018) dan **+0,33** dibanding 2,79 (2023)." in text
    assert next(m for m in at.metric if m.label == "Indeks SPBE Nasional").delta == "+0,33 dibanding 2023"
    assert (
        "Mengapa rata-rata 3,17 berbeda dari indeks nasional 3,12? Indeks nasional adalah angka terbitan KemenPANRB, "
        "dan laporan evaluasinya tidak menjelaskan cara menghitungnya; rata-rata di dasbor ini dihitung ulang "
        "sebagai rata-rata biasa indeks 615 instansi."
    ) in text


def test_overview_2023_compares_with_2018_and_2022():
    text = text_of(open_page("ringkasan", tahun="2023"))
    assert "Indeks SPBE Nasional 2023: **+0,81** sejak 1,98 (2018) dan **+0,45** dibanding 2,34 (2022)." in text
    assert "Mengapa rata-rata 2,82 berbeda dari indeks nasional 2,79?" in text


def test_overview_2018_has_no_earlier_official_figure_to_compare_with():
    at = open_page("ringkasan", tahun="2018")
    text = text_of(at)
    assert (
        "Indeks SPBE Nasional 2018 (1,98) adalah angka resmi pertama: belum ada angka tahun sebelumnya untuk "
        "dibandingkan."
    ) in text
    assert next(m for m in at.metric if m.label == "Indeks SPBE Nasional").delta == ""
    assert "Mengapa rata-rata" not in text  # the simulation's mean reads 1,98 like the index


def test_overview_2021_compares_across_the_change_of_framework_on_the_same_scale():
    text = text_of(open_page("ringkasan", tahun="2021"))
    assert "**+0,26** sejak 1,98 (2018) dan **-0,02** dibanding 2,26 (2020)" in text
    assert "Sejak 2021 evaluasi memakai PermenPANRB 59/2020; indeksnya tetap Indeks SPBE skala 1–5, sehingga" in text


@pytest.mark.parametrize("year", ["2018", "2021", "2024"])
def test_kpi_help_texts_explain_and_never_repeat_the_caption(year):
    at = open_page("ringkasan", tahun=year)
    captions = [c.value for c in at.caption]
    for metric in at.metric:
        assert metric.help, metric.label
        assert not any(caption in metric.help for caption in captions), metric.label
    helps = {m.label: m.help for m in at.metric}
    assert (
        helps["Di bawah predikat Baik"]
        == "Bagian instansi berpredikat Cukup atau Kurang, yaitu berindeks di bawah 2,6."
    )


def test_a_year_with_only_national_figures_says_so_plainly():
    at = open_page("ringkasan", tahun="2021")
    assert not at.exception
    assert metrics(at)["Di bawah predikat Baik"] == "69%"
    assert "hanya angka nasional yang dipublikasikan" in text_of(at)
    assert len(at.get("plotly_chart")) == 1


def test_a_year_the_url_cannot_select_falls_back_to_the_latest():
    at = open_page("ringkasan", tahun="1999")
    assert not at.exception
    assert at.selectbox(key="tahun").value == 2024


# Sebaran Predikat


def test_distribution_counts_for_2024_match_the_official_table():
    at = open_page("sebaran", tahun="2024")
    assert not at.exception
    assert metrics(at) == {"Memuaskan": "48", "Sangat Baik": "182", "Baik": "239", "Cukup": "127", "Kurang": "19"}
    assert "615 instansi · evaluasi 2024" in text_of(at)


def test_a_filter_change_updates_counts_and_the_histogram():
    at = open_page("sebaran", tahun="2023")
    at.multiselect(key="predikat").set_value(["Memuaskan", "Sangat Baik", "Baik"]).run()
    assert not at.exception
    assert "388 instansi · evaluasi 2023" in text_of(at)
    (histogram,) = chart_figures(at)
    assert len(histogram["data"][0]["x"]) == 388


def test_filters_in_the_url_reproduce_the_view():
    at = open_page("sebaran", tahun="2024", lokus="Pemerintah Daerah", kelompok="Provinsi", predikat=["Memuaskan"])
    assert at.multiselect(key="kelompok").value == ["Provinsi"]
    assert metrics(at)["Memuaskan"] == "6"
    assert "6 instansi" in text_of(at)


def test_filters_cascade_from_lokus_to_group_and_province():
    at = open_page("sebaran", tahun="2024", lokus="Instansi Pusat")
    assert "Kabupaten" not in at.multiselect(key="kelompok").options
    assert at.multiselect(key="provinsi").options == []
    at = open_page("sebaran", tahun="2018", kelompok="Polda")
    assert len(at.multiselect(key="provinsi").options) == 34


def test_an_empty_result_gets_a_plain_message():
    at = open_page("sebaran", tahun="2024", cari="tidak ada instansi seperti ini")
    assert not at.exception
    assert "Tidak ada instansi yang cocok" in text_of(at)


def test_2018_distribution_is_labelled_simulated():
    at = open_page("sebaran", tahun="2018")
    assert "SIMULASI" in text_of(at)
    assert "SIMULASI – bukan data resmi" in annotations(chart_figures(at)[0])


# Domain & Indikator


def test_domain_page_2018_shows_indicators_and_the_ten_weakest_with_modules():
    at = open_page("domain", tahun="2018")
    assert not at.exception
    domains, aspects, indicators, weakest = chart_figures(at)
    assert len(weakest["data"][0]["y"]) == 10
    assert all("Modul " in label for label in weakest["data"][0]["text"])
    assert len(indicators["data"][0]["y"]) == 35


def test_domain_page_for_a_domain_only_year_explains_what_is_missing():
    at = open_page("domain", tahun="2024", per="Lokus")  # the URL holds the label shown
    assert not at.exception
    (domains,) = chart_figures(at)
    assert domains["data"][0]["y"] == ["Instansi Pusat", "Pemerintah Daerah"]
    assert "hanya indeks domain per instansi yang dipublikasikan" in text_of(at)


# Profil Instansi


def test_profile_from_a_link_shows_the_official_2024_values():
    at = open_page("profil", instansi="Kementerian Keuangan")
    assert not at.exception
    assert metrics(at) == {
        "Indeks SPBE 2024": "4,74",
        "Predikat": "Memuaskan",
        "Tahun dievaluasi (resmi)": "2",
        "Peringkat nasional": "3 dari 615",  # 4,74: two instansi above it in the official 2024 table
        "Peringkat dalam kelompok": "2 dari 34",
    }
    history, domains, _peers = chart_figures(at)
    assert "Memuat data SIMULASI – bukan data resmi" in annotations(history)  # 2018 is simulated
    assert [t["name"] for t in domains["data"]] == [
        "Kementerian Keuangan",
        "Rata-rata Kementerian (n=34)",
        "Rata-rata nasional (n=615)",
    ]


def test_profile_2018_lists_indicator_levels_weakest_first():
    at = open_page("profil", instansi="Kementerian Keuangan", tahun="2018")
    assert "SIMULASI" in text_of(at)
    levels = at.dataframe[-1].value
    assert len(levels) == 35
    assert levels["Tingkat"].is_monotonic_increasing  # the grid shows display headers


def test_profile_with_missing_official_domain_says_so():
    at = open_page("profil", instansi="Kementerian Pertanian", tahun="2024")
    assert "Nilai domain yang kosong tidak tercantum dalam sumber resmi" in text_of(at)


def test_profile_without_a_choice_asks_for_one():
    at = open_page("profil")
    assert not at.exception
    assert "Pilih instansi" in text_of(at)


def test_every_chart_offers_its_data_as_a_table_on_request_and_as_downloads():
    at = open_page("ringkasan", tahun="2024")
    # Each chart's CSV and XLSX are in its download menu (issue 16, item 10: tests/ui/test_download_menu.py)
    assert [menu.proto.popover.label for menu in at.get("popover")] == ["Unduh grafik dan data"] * len(
        at.get("plotly_chart")
    )
    tables_before = len(at.dataframe)
    at.toggle(key="national_tabel").set_value(True).run()
    assert len(at.dataframe) == tables_before + 1
    table = at.dataframe[0].value
    assert {"Tahun", "Indeks nasional", "Target", "Asal data", "Sumber"} <= set(table.columns)  # display headers


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("sebaran", {"tahun": "2024", "cari": "Pertanian"}),  # Kementerian Pertanian: no province, no domain 1 index
        ("asistensi", {"tahun": "2024"}),  # the instansi pusat of Jakarta have no province
        ("perubahan", {}),
        ("kepekaan", {}),
    ],
)
def test_every_grid_writes_a_missing_value_as_a_dash_not_none(page, query):
    """Streamlit draws a null cell as "None" whatever the Styler's text: each grid sets the placeholder "–"."""
    at = open_page(page, **query)
    assert not at.exception and at.dataframe
    for grid in at.dataframe:
        assert grid.proto.placeholder == "–"
    if page == "sebaran":
        (row,) = at.dataframe[0].value.to_dict("records")
        assert row["Provinsi"] is None or row["Provinsi"] != row["Provinsi"]  # missing in the data, "–" on screen
