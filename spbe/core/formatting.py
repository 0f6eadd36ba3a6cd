"""The one place numbers become text: Indonesian locale (decimal comma, dot for thousands); and where text
from files and users is escaped for the markup it lands in (Streamlit markdown, plotly text, keterangan.md).

Rounding is half-up on the decimal value, as in the official reports (spbe.core.rounding): not the
banker's rounding Python and babel use by default (0,625 must print as 0,63), and not on the
binary float (the mean 23/8, stored as 2.8749999999999996, prints as 2,88).
"""

from __future__ import annotations

import html

import pandas as pd
from babel.numbers import format_decimal

from spbe.core.rounding import Number, round_half_up

LOCALE = "id_ID"
MISSING = "–"


def format_number(value: Number | None, decimals: int = 2, *, trim_zeros: bool = False) -> str:
    """1.98 -> "1,98"; 1236.5 -> "1.236,50"; missing -> "–".

    trim_zeros drops trailing zeros, for figures published that way (target 2,6, not 2,60).
    """
    if value is None or pd.isna(value):  # NaN, or None (said apart for the type checker)
        return MISSING
    rounded = round_half_up(value, decimals)
    fraction = "#" * decimals if trim_zeros else "0" * decimals
    pattern = "#,##0" + ("." + fraction if decimals else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=False)


def format_count(value: int | None) -> str:
    """616 -> "616"; 20000000 -> "20.000.000"."""
    return format_number(value, 0)


def format_percent(value: float | None, decimals: int = 0) -> str:
    """A share already in percent: 81.0 -> "81%", 13.31 with 2 decimals -> "13,31%"."""
    if pd.isna(value):
        return MISSING
    return f"{format_number(value, decimals)}%"


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$"


def plain(text: object) -> str:
    """Text from a file or a form, safe inside Streamlit markdown: every markup character is escaped,
    so a name like `![x](http://…)` or `<img …>` shows as typed and loads nothing."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text))


def figure_text(text: object) -> str:
    """Text from data or a user, safe inside plotly text (titles, footers, labels): plotly renders some HTML
    (<a href>, <b>, <br>) and entities, so & < > become entities and a name like `<a href=…>` shows as typed."""
    return html.escape(str(text), quote=False)


# HTML becomes entities (no "<" at all, even where the file is read as HTML); links, emphasis and code a backslash.
_MARKDOWN_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"} | {c: f"\\{c}" for c in "\\`*_[]"}


def markdown_text(text: object) -> str:
    """Text from data or a user inside a Markdown file (keterangan.md), on one line: the characters that start
    HTML, entities, links, emphasis or code are escaped, so `<script>` or `[x](http://…)` shows as typed.
    Official wording holds none of them and reads unchanged, ready to paste into a release."""
    return "".join(_MARKDOWN_ESCAPES.get(c, c) for c in " ".join(str(text).split()))
