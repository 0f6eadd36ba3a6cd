"""Dasbor Kemajuan SPBE Nasional: the Streamlit entry point (page config and navigation)."""

from pathlib import Path

import streamlit as st

FAVICON = Path(__file__).parent / "assets" / "favicon.png"  # local file: a material icon would load from a CDN
st.set_page_config(page_title="Dasbor SPBE", page_icon=str(FAVICON), layout="wide")

# URL paths must differ from the file names in pages/: on a fresh server, Streamlit resolves a
# link such as /sebaran against the pages/ folder (its older multipage mode) and runs that file
# without this entry point, losing the navigation. A path no file matches reaches st.navigation.
pages = [
    st.Page("pages/ringkasan.py", title="Ringkasan Nasional", icon=":material/account_balance:", default=True),
    st.Page("pages/sebaran.py", title="Sebaran Predikat", icon=":material/bar_chart:", url_path="sebaran-predikat"),
    st.Page("pages/domain.py", title="Domain & Indikator", icon=":material/grid_on:", url_path="domain-indikator"),
    st.Page("pages/profil.py", title="Profil Instansi", icon=":material/person_search:", url_path="profil-instansi"),
    st.Page("pages/asistensi.py", title="Asistensi", icon=":material/groups:", url_path="asistensi-spbe"),
]
st.navigation(pages).run()
