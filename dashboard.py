"""Dasbor Kemajuan SPBE Nasional: the Streamlit entry point (page config and navigation)."""

from pathlib import Path

import streamlit as st

FAVICON = Path(__file__).parent / "assets" / "favicon.png"  # local file: a material icon would load from a CDN
st.set_page_config(page_title="Dasbor SPBE", page_icon=str(FAVICON), layout="wide")

# Each page begins with ui.start_page(), which leaves folder mode: a deep link on a fresh server would
# otherwise run the page file in Streamlit's older pages/ folder mode, without this navigation.
pages = [
    st.Page("pages/ringkasan.py", title="Ringkasan Nasional", icon=":material/account_balance:", default=True),
    st.Page("pages/sebaran.py", title="Sebaran Predikat", icon=":material/bar_chart:", url_path="sebaran"),
    st.Page("pages/perubahan.py", title="Perubahan Antartahun", icon=":material/swap_vert:", url_path="perubahan"),
    st.Page("pages/peta.py", title="Peta", icon=":material/map:", url_path="peta"),
    st.Page("pages/domain.py", title="Domain & Indikator", icon=":material/grid_on:", url_path="domain"),
    st.Page("pages/kepekaan.py", title="Kepekaan Bobot", icon=":material/tune:", url_path="kepekaan"),
    st.Page("pages/profil.py", title="Profil Instansi", icon=":material/person_search:", url_path="profil"),
    st.Page("pages/asistensi.py", title="Asistensi", icon=":material/groups:", url_path="asistensi"),
    st.Page("pages/ekspor.py", title="Ekspor", icon=":material/download:", url_path="ekspor"),
    st.Page("pages/impor.py", title="Impor data", icon=":material/upload_file:", url_path="impor"),
]
st.navigation(pages).run()
