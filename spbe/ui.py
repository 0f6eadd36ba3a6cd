"""Streamlit glue shared by the pages: the cached store, cached loaders and small widgets.

The only module of spbe/ besides spbe/ui_* that imports streamlit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from spbe.figures import PROVENANCE_LABELS
from spbe.store import Store

PLOTLY_CONFIG = {"displaylogo": False, "locale": "id"}


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """One store per server process: it loads the data once and serves every session."""
    return Store()


@st.cache_data(show_spinner=False)
def national_series() -> pd.DataFrame:
    """Cached at the source grain; pages filter and format outside the cache."""
    return store().national_series()


def provenance_badge(provenance: str) -> None:
    """Say where the numbers on screen come from; simulated data gets a warning box."""
    label = PROVENANCE_LABELS.get(provenance, provenance)
    if provenance == "simulasi":
        st.warning(f"**{label}.** Angka di bawah ini berasal dari simulasi, bukan hasil evaluasi resmi.", icon="⚠️")
    else:
        st.caption(f"Sumber data: **{label}**")


def figure_with_table(fig, table: pd.DataFrame, *, key: str, file_name: str) -> None:
    """A chart, then its data as a table (accessibility) with a CSV download of exactly that data."""
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=f"{key}_chart")
    with st.expander("Tabel data grafik ini"):
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "Unduh CSV", table.to_csv(index=False).encode("utf-8"), file_name=f"{file_name}.csv",
            mime="text/csv", key=f"{key}_csv",
        )  # fmt: skip
