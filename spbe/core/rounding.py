"""Rounding on the decimal value a number stands for, half-up, as the official reports round.

A mean such as 23/8 = 2,875 arrives as the float 2.8749999999999996: rounding that float gives
2,87, although the value it stands for is 2,875, which the reports round to 2,88. So a float is
first read as the decimal it stands for: the nearest decimal with NOISE_DECIMALS places. The
project's numbers are indices and shares computed from two-decimal figures or integer levels
over at most a few thousand instansi: a true value that is not exactly on a rounding tie lies at
least about 1e-7 from it, far above the noise removed here (below 5e-10), so this moves only
float noise, never a genuine value across a tie. Fractions and Decimals are taken exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from numbers import Integral

NOISE_DECIMALS = 9  # float noise lives far below this; every published figure far above
_NOISE_QUANTUM = Decimal(1).scaleb(-NOISE_DECIMALS)
_WIDE = Context(prec=400)  # room for NOISE_DECIMALS places after the 309 digits of the largest float

Number = float | Decimal | Fraction  # an int is a float to the type checker, and numpy floats are floats


def decimal_value(value: Number) -> Decimal:
    """The decimal a number stands for: 2.8749999999999996 -> Decimal('2.875000000')."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value))).quantize(_NOISE_QUANTUM, ROUND_HALF_EVEN, _WIDE)


def round_half_up(value: Number, decimals: int) -> Decimal:
    """Half-up (ties away from zero) on the decimal value: 2.8749999999999996 -> 2.88 at 2 places."""
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**decimals
        whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2)
        rounded = Decimal(whole if value >= 0 else -whole).scaleb(-decimals)
    else:
        rounded = decimal_value(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, _WIDE)
    return rounded if rounded else abs(rounded)  # -0,001 rounds to 0,00, not "-0,00"


def rounded_float(value: Number, decimals: int) -> float:
    """round_half_up as the float that prints as that decimal (for files: 0.62, never 0.6200000000000001)."""
    return float(round_half_up(value, decimals))
