"""Impor data: an admin loads results (every sheet and year of one or more files), sees exactly what changes,
and commits them as one version. The versions and rollback come first, so an admin can roll back without an
upload, also when the version in force cannot be read (every other page then shows only what to do); then the
official national index of a year, entered with its source as a version of its own."""

from datetime import date

import pandas as pd
import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count, format_number, format_percent, plain
from spbe.data.importer import ImportRejected
from spbe.data.ingest import framework_shapes, template_table
from spbe.data.versions import (
    BASE_VERSION,
    DataUnreadable,
    NationalIndexRejected,
    VersionError,
    VersionStore,
)
from spbe.model.framework import load_frameworks
from spbe.ui import impor as ui_impor

ui.start_page()
st.title("Impor data evaluasi")

# The page stays closed until an admin password hash is configured and the admin has logged in
stored_hash = ui_impor.admin_hash()
if stored_hash is None:
    # Visitors see a plain sentence; how an administrator opens the page is in the README ("Admin access").
    st.warning(
        "Impor belum diaktifkan. Halaman ini untuk admin data; hubungi pengelola dasbor bila Anda perlu "
        "memuat hasil evaluasi.",
        icon=":material/lock:",
    )
    st.stop()
guard = ui_impor.login_guard()
if not st.session_state.get("admin_masuk"):
    with st.form("masuk"):
        password = st.text_input("Sandi admin", type="password")
        submitted = st.form_submit_button("Masuk")
    if submitted:
        client = ui_impor.client_address()
        if guard.attempt(password, stored_hash, client):
            st.session_state["admin_masuk"] = True
            st.rerun()
        wait = guard.locked_for(client)
        st.error(f"Terlalu banyak percobaan; coba lagi dalam {int(wait // 60) + 1} menit." if wait else "Sandi salah.")
    st.stop()

versions = VersionStore(ui.data_dir())
if st.sidebar.button("Keluar"):
    st.session_state.pop("admin_masuk", None)
    st.rerun()

# Versions and rollback first: reachable without an upload, also when the version in force is broken
st.subheader("Versi data")
try:
    history, current = pd.DataFrame(versions.manifest()), versions.current()
except DataUnreadable as fault:
    ui.show_fault(fault)
    st.stop()
if not history.empty:  # a file of several years records them as a list
    history["tahun"] = history["tahun"].map(lambda t: ", ".join(map(str, t)) if isinstance(t, list) else str(t))
    if "jenis" in history.columns:  # an imported file's record has no kind (those before the national entries)
        history["jenis"] = history["jenis"].fillna("impor")
st.caption(f"Versi yang berlaku: **{current}**" + (" (data bawaan)" if current == BASE_VERSION else ""))
choices = [BASE_VERSION, *history.get("versi", pd.Series(dtype=str)).tolist()]
if current not in choices:  # put in force by hand or by an older rollback: it has no record
    st.warning(
        f"Versi yang berlaku {current} tidak tercatat dalam manifest (folder sisa impor yang terputus). "
        "Kembalikan ke salah satu versi yang tercatat.",
        icon=":material/warning:",
    )
if not history.empty:
    ui.grid(history)
target = st.selectbox(
    "Kembalikan ke versi",
    choices,
    index=choices.index(current) if current in choices else None,
    key="versi_tujuan",
    placeholder="Pilih versi",
)
if st.button("Kembalikan", disabled=target in (None, current)):
    try:
        versions.rollback(target)
    except VersionError as refused:  # another import is being saved, or the folder cannot be written
        ui.show_fault(refused)
    else:
        st.rerun()
saved = st.session_state.pop("impor_tersimpan", None)  # set by "Simpan" below, before its rerun
if saved:
    st.success(f"Disimpan sebagai versi {saved[0]}; semua halaman kini memakai data ini.")
    for saved_year in saved[1]:
        ui.page_link(  # under dashboard.py's navigation; left out where the page runs alone (AppTest)
            "pages/ringkasan.py",
            label=f"Lihat Ringkasan Nasional {saved_year}",
            query_params={"tahun": str(saved_year)},
        )

noted = st.session_state.pop("indeks_tercatat", None)  # set by "Catat indeks nasional" below, before its rerun
if noted:
    st.success(plain(f"Indeks nasional {noted[1]} dicatat sebagai versi {noted[0]}; semua halaman kini memakainya."))

# The official national index of a year published after its results were imported (2025), with its source
with st.expander("Indeks nasional resmi", expanded=noted is not None):
    st.caption(
        "Untuk tahun yang hasilnya sudah ada tetapi indeks nasionalnya terbit kemudian. Sampai dicatat, ringkasan "
        "memakai rata-rata instansi dan menyebutnya begitu. Pencatatan menjadi versi baru yang dapat dikembalikan."
    )
    try:
        entry_years = versions.entry_years()
    except DataUnreadable as fault:
        ui.show_fault(fault)
        entry_years = []
    with st.form("indeks_nasional"):
        entry_year = st.selectbox("Tahun", entry_years[::-1], key="nasional_tahun")
        entry_index = st.text_input("Indeks nasional resmi (mis. 3,12)", key="nasional_indeks", max_chars=12)
        entry_source = st.text_input("Sumber resmi (judul, nomor, tanggal)", key="nasional_sumber")
        entered = st.form_submit_button("Catat indeks nasional")
    if entered and entry_year is not None:
        try:
            entry_version = versions.enter_national_index(int(entry_year), entry_index, entry_source, who="admin")
        except NationalIndexRejected as refused:
            st.error("Indeks nasional tidak dicatat; tidak ada data yang diubah.", icon=":material/block:")
            for problem in refused.problems:
                st.error(plain(problem))
        except VersionError as refused:  # another import is being saved, a folder cannot be written
            ui.show_fault(refused)
        else:
            st.session_state["indeks_tercatat"] = (entry_version, int(entry_year))
            st.rerun()

# Templates of the three shapes of the chosen year's framework, for that year
with st.expander("Templat berkas"):
    frameworks = load_frameworks(ui.data_dir() / "reference")
    newest = max(date.today().year, *(f.last_year or f.first_year for f in frameworks))
    template_year = st.selectbox(
        "Tahun evaluasi",
        list(range(newest, frameworks.first_year - 1, -1)),
        format_func=lambda y: f"{y} ({frameworks.for_year(y).title})",
        key="templat_tahun",
    )
    framework = frameworks.for_year(template_year)
    shapes = framework_shapes(framework)
    st.caption(
        plain(
            f"{framework.title}: {format_count(len(framework.indicators))} indikator dalam "
            f"{format_count(len(framework.components))} {framework.component_label}"
            + (f"; {framework.caveat}" if framework.caveat else "")
        )
    )
    for column, (shape, label) in zip(st.columns(len(shapes)), shapes.items(), strict=True):
        column.download_button(
            f"Templat {shape}",
            template_table(shape, framework).assign(tahun=template_year).to_csv(index=False).encode(),
            file_name=f"templat_{shape}_{template_year}.csv",
            mime="text/csv",
            help=label,
            on_click="ignore",
        )

# Upload, check, preview
uploads = st.file_uploader(
    "Berkas hasil evaluasi (CSV atau XLSX); beberapa berkas diimpor bersama, mis. hasil utama dan nilai indikator "
    "yang dinilai instansi lain",
    type=["csv", "xlsx"],
    key="berkas_impor",
    accept_multiple_files=True,
)
year_text = st.text_input(
    "Tahun evaluasi (kosongkan bila berkas menyebut tahunnya: kolom tahun, nama lembar, judul)",
    key="tahun_impor",
    max_chars=4,
)
if not uploads:
    st.stop()
names = ", ".join(upload.name for upload in uploads)
if year_text.strip() and not (year_text.strip().isdigit() and len(year_text.strip()) == 4):
    st.error(f"Tahun evaluasi {plain(year_text)} bukan tahun empat angka.", icon=":material/block:")
    st.stop()
year = int(year_text) if year_text.strip() else None
try:
    parsed = ui_impor.parse_upload([(upload.getvalue(), upload.name) for upload in uploads], year)
except ImportRejected as rejected:
    st.error(
        f"{plain(names)} ditolak: {format_count(rejected.total)} masalah. Tidak ada data yang diubah.",
        icon=":material/block:",
    )
    ui.grid(pd.DataFrame({"masalah": rejected.problems}))
    if rejected.total > len(rejected.problems):
        st.caption(f"… dan {format_count(rejected.total - len(rejected.problems))} masalah lain tidak ditampilkan.")
    st.stop()

years = ", ".join(str(part.year) for part in parsed.years)
st.success(f"{plain(names)}: tahun {years}; semua tahun disimpan bersama dalam satu versi.")
for note in parsed.skipped:
    st.caption(plain(note))
try:
    previews = [versions.preview(part) for part in parsed.years]
except DataUnreadable as fault:  # the version in force is broken: roll back above first
    ui.show_fault(fault)
    st.stop()
for part, preview in zip(parsed.years, previews, strict=True):
    sheets = f" (lembar {', '.join(part.sheets)})" if part.sheets else ""
    st.subheader(f"Tahun {part.year}")
    st.caption(
        plain(
            f"{part.framework.title}, bentuk {framework_shapes(part.framework)[part.shape]}{sheets}; "
            f"{format_count(part.rows_read)} baris, {format_count(len(part.results))} instansi."
        )
    )
    columns = st.columns(4)
    columns[0].metric("Ditambah", format_count(len(preview.added)))
    columns[1].metric("Diganti", format_count(len(preview.replaced)))
    columns[2].metric("Tetap", format_count(len(preview.kept)))
    columns[3].metric(
        f"Rata-rata indeks {part.year}",
        format_number(preview.mean_after),
        delta=None if preview.mean_before is None else format_number(preview.mean_after - preview.mean_before),
    )
    st.caption(
        f"Di bawah predikat Baik: {format_percent(preview.below_baik_before, 1)} → "
        f"{format_percent(preview.below_baik_after, 1)}"
    )
    if part.edge_cases:  # the predikat of these rests on the edge rule (or on the file): the admin checks them
        st.warning(
            f"{format_count(len(part.edge_cases))} instansi di batas predikat:\n\n"
            + "\n".join(f"- {plain(case)}" for case in part.edge_cases),
            icon=":material/warning:",
        )
    ui.grid(part.results[["nama_sumber", "indeks", "predikat"]])
if st.button("Simpan sebagai versi baru", type="primary"):
    try:
        version = versions.commit(parsed, who="admin")
    except VersionError as refused:  # another import is being saved, a folder cannot be written: nothing changed
        ui.show_fault(refused)
    else:
        st.session_state["impor_tersimpan"] = (version, [part.year for part in parsed.years])
        st.rerun()  # the versions section above then lists the new version
