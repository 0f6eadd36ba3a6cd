"""Numbers on screen and in exports use the Indonesian format: 1,98 · 1.236 · 81%."""

import math

import pytest

from spbe.core.formatting import MISSING, format_count, format_number, format_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1.98, 2, "1,98"),
        (2.6 - 1.98, 2, "0,62"),
        (0.625, 2, "0,63"),
        (3.1749, 2, "3,17"),
        (1236.5, 2, "1.236,50"),
        (3.0, 1, "3,0"),
        (2.0, 0, "2"),
    ],
)
def test_decimal_comma_and_half_up_rounding(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_published_targets_keep_their_published_precision():
    assert format_number(2.6, trim_zeros=True) == "2,6"
    assert format_number(2.85, trim_zeros=True) == "2,85"
    assert format_number(3.0, trim_zeros=True) == "3"


def test_counts_and_percentages():
    assert format_count(20_000_000) == "20.000.000"
    assert format_percent(81.0) == "81%"
    assert format_percent(13.31, 2) == "13,31%"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_values_show_a_dash(missing):
    assert format_number(missing) == MISSING
    assert format_percent(missing) == MISSING
