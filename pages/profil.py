"""Profil Instansi: one instansi across the years, against its group and the nation."""

import pandas as pd
import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count, format_number, plain
from spbe.model.pathways import component_steps, describe_plan, fewest_level_ups, next_predikat
from spbe.model.provenance import Provenance
from spbe.model.scoring import index_from_components
from spbe.present import charts, peer_charts
from spbe.present.figures import PROVENANCE_LABELS, index_name

ui.start_page()
store = ui.store()
instansi = store.instansi_list()
ids = dict(zip(instansi["nama"], instansi["instansi_id"], strict=True))  # registry names are unique
# The URL holds the name (?instansi=Kota+Surabaya): readable, and only listed names are accepted.
name = st.sidebar.selectbox(
    "Instansi", list(ids), index=None, key="instansi", bind="query-params", placeholder="Ketik nama instansi"
)

st.title("Profil Instansi")
if name is None:
    ui.empty_state("Pilih instansi di panel samping (ketik sebagian namanya), atau buka dari daftar Sebaran Predikat.")
    st.stop()
chosen = ids[name]

history = store.instansi_history(chosen)
year = ui.year_select(history["tahun"].tolist())
row = history.set_index("tahun").loc[year]
st.header(name)
place = [row["kategori"], row["lokus"]] + ([row["nama_provinsi"]] if pd.notna(row["nama_provinsi"]) else [])
st.caption(" · ".join(place))
ui.provenance_badge(Provenance(row["provenance"]), what=f"Angka {year} instansi ini")
framework = store.framework(year)
ui.framework_note(*(store.framework(int(tahun)) for tahun in history["tahun"]))  # the history shows every year
label = framework.component_label  # "domain", or "aspek" for a framework without domains

left, middle, right = st.columns(3)
left.metric(f"{index_name(row['skala_indeks'])} {year}", format_number(row["indeks"]))
middle.metric("Predikat", row["predikat"])
# A simulated year (2018) is no evaluation: count the official years, name the others in the help.
official = history["provenance"] == Provenance.RESMI
others = ", ".join(
    f"{tahun} ({PROVENANCE_LABELS[Provenance(origin)]})"
    for tahun, origin in history.loc[~official, ["tahun", "provenance"]].itertuples(index=False)
)
right.metric(
    "Tahun dievaluasi (resmi)",
    format_count(int(official.sum())),
    help=f"Tahun dengan hasil evaluasi resmi: {', '.join(map(str, history.loc[official, 'tahun'])) or '–'}."
    + (f" Tidak dihitung: {others}." if others else ""),
)
# Ranks in the nation and in the kelompok, among the instansi of this year only
ranking = peer_charts.rank_view(store, year, chosen)
if ranking is not None:
    for column, metric in zip(st.columns(2), ranking.metrics, strict=True):
        column.metric(metric.label, metric.value)
        column.caption(metric.note)
    if ranking.simulated:
        st.warning(ranking.scope, icon=":material/warning:")
    else:
        st.caption(ranking.scope)
components = store.instansi_components(chosen)
components_now = components[components["tahun"] == year].set_index("komponen_no")["nilai"]  # NaN where unknown
if row["predikat"] != framework.bands.predikat_of(row["indeks"]):
    # A printed index on a band edge (Kab. Luwu 2024: 2,60, Cukup): the official predikat stands.
    unrounded = index_from_components(pd.DataFrame([components_now]), framework).iloc[0]
    st.caption(
        f"Indeks {format_number(row['indeks'])} adalah angka yang dibulatkan; predikat **{row['predikat']}** "
        "ditetapkan dari indeks sebelum pembulatan"
        + (f" ({format_number(unrounded, 4)} bila dihitung ulang dari indeks {label})" if pd.notna(unrounded) else "")
        + " dan tetap berlaku."
    )

# Index and predikat in every year evaluated
history_chart = charts.history_chart(store, chosen, name)
if history_chart.meta.provenance == Provenance.MEMUAT_SIMULASI:
    st.caption("Riwayat memuat tahun simulasi (titik berongga): bukan hasil evaluasi resmi.")
scales = history.groupby("skala_indeks", sort=False)["tahun"].agg(["min", "max"])
if len(scales) > 1:  # two instruments: two segments, never one line
    spans = [
        f"{index_name(str(scale))} ({first}–{last})" if first != last else f"{index_name(str(scale))} ({first})"
        for scale, first, last in scales.itertuples()
    ]
    st.caption(
        f"{' dan '.join(spans)} diukur dengan instrumen yang berbeda, masing-masing dengan batas predikatnya: "
        "nilainya tidak dapat dibandingkan dan tidak disambung dalam satu garis."
    )
ui.show_chart(history_chart, key="history")

# Component indices (domains, or aspects) against the group mean and the national mean
comparison = charts.component_comparison_chart(store, year, chosen, name)
ui.show_chart(comparison, key="components")
if comparison.table[name].isna().any():
    st.caption(
        f"Nilai {label} yang kosong tidak tercantum dalam sumber resmi; indeks dan predikat resmi tetap berlaku."
    )

# Against the other instansi of its kelompok in this year
st.subheader("Di antara instansi sekelompok")
strip = peer_charts.peer_strip_chart(store, year, chosen, name)
if strip is not None:
    st.markdown(strip.caption)
    ui.show_chart(strip, key="peers")

# Up to five instansi side by side; the URL keeps the others (?banding=...), so a link shares the comparison
st.subheader("Perbandingan antarinstansi")
others = [other for other in ids if other != name]
asked = st.query_params.get_all("banding")
if "banding" in st.session_state:  # after another instansi is chosen, it is no longer among the others
    st.session_state["banding"] = [other for other in st.session_state["banding"] if other in others]
compared = st.multiselect(
    "Bandingkan dengan",
    others,
    key="banding",
    bind="query-params",
    max_selections=peer_charts.MAX_COMPARED,
    placeholder=f"Pilih sampai {peer_charts.MAX_COMPARED} instansi",
)
left_out = peer_charts.link_choice_problems(asked, compared, set(others), name)
if left_out is not None:
    st.warning(plain(left_out), icon=":material/warning:")
if compared:
    side_by_side = peer_charts.comparison(store, year, [name, *compared])
    if side_by_side.not_evaluated:
        st.info(f"{plain(', '.join(side_by_side.not_evaluated))} tidak dievaluasi pada {year}.")
    if side_by_side.chart is not None:
        st.markdown(side_by_side.chart.caption)
        ui.show_chart(side_by_side.chart, key="comparison")
        ui.grid(side_by_side.chart.table)
        ui.downloads(
            side_by_side.chart.table,
            side_by_side.chart.slug,
            key="comparison_rows",
            title=side_by_side.chart.meta.title,
        )
else:
    st.caption(f"Pilih sampai {peer_charts.MAX_COMPARED} instansi untuk dibandingkan dengan {name} pada {year}.")

# Indicator levels, weakest first
levels = store.instansi_levels(year, chosen)
st.subheader("Tingkat per indikator")
if levels.empty:
    ui.empty_state(f"Tingkat per indikator tahun {year} tidak dipublikasikan untuk instansi ini.")
else:
    levels["nama_tingkat"] = [
        framework.level_name(i, t) for i, t in zip(levels["indikator"], levels["tingkat"], strict=True)
    ]
    shown = levels[["indikator", "nama_indikator", "aspect", "tingkat", "nama_tingkat", "provenance"]]
    if shown["nama_tingkat"].isna().all():  # the reference data names no levels of this framework
        shown = shown.drop(columns="nama_tingkat")
    ui.grid(shown)
    ui.downloads(levels, f"tingkat_{chosen}_{year}", key="levels")

# The path to the next predikat above its own
st.subheader("Jalur ke predikat berikutnya")
goal = next_predikat(row["predikat"], framework.bands)
if goal is None:
    st.success("Instansi ini sudah berpredikat Memuaskan, predikat tertinggi.")
elif levels.empty:
    steps = component_steps(components_now, framework, goal[1])
    if steps is None:
        ui.empty_state(f"Kenaikan {label} tidak dapat dihitung karena ada nilai {label} yang tidak tercantum.")
    elif not steps:
        st.markdown(
            f"Dihitung ulang dari indeks {label} yang tercantum, indeks sudah mencapai "
            f"{format_number(goal[1], trim_zeros=True)}; predikat **{row['predikat']}** tetap berlaku."
        )
    else:
        st.markdown(
            f"Untuk mencapai **{goal[0]}** (indeks {format_number(goal[1], trim_zeros=True)}), kenaikan {label} "
            f"paling kecil ({label} berbobot terbesar lebih dulu; dibulatkan ke atas ke dua desimal): "
            + "; ".join(f"**{component}** +{format_number(step)}" for component, step in steps)
        )
else:
    plan = fewest_level_ups(levels.set_index("indikator")["tingkat"], framework, goal[1])
    st.markdown(
        f"Untuk mencapai **{goal[0]}** (indeks {format_number(goal[1], trim_zeros=True)}) dibutuhkan paling sedikit "
        f"**{len(plan)} kenaikan satu tingkat** (indikator berbobot terbesar lebih dulu): {describe_plan(plan)}."
    )
