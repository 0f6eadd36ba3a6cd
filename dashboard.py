"""Dasbor Kemajuan SPBE Nasional: the Streamlit entry point (page config and navigation)."""

import streamlit as st

st.set_page_config(page_title="Dasbor SPBE", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/ringkasan.py", title="Ringkasan Nasional", icon="🏛️", default=True),
]
st.navigation(pages).run()
