"""How a message quotes what it is about: values cut short and quoted, row numbers as ranges.

Standard library only: the bounded file reader (spbe.data.sheets) runs it in a child process.
"""

from collections.abc import Iterable
from typing import SupportsInt

MAX_RANGES_SHOWN = 10  # row ranges quoted in one message
MAX_QUOTED_CHARS = 60  # a value quoted in a message is cut after this many characters


def shortened(value: object) -> str:
    """A value as a message shows it: cut after MAX_QUOTED_CHARS characters, with "…"."""
    text = str(value)
    return text if len(text) <= MAX_QUOTED_CHARS else text[:MAX_QUOTED_CHARS] + "…"


def quoted(value: object) -> str:
    """A value as a message quotes it: shortened, in quotes ('Kota Surabaya')."""
    return repr(shortened(value))


def line_ranges(lines: Iterable[SupportsInt]) -> str:
    """[5, 6, 7, 9] -> "5-7, 9": the rows a message is about, short enough to read."""
    ranges: list[list[int]] = []
    for line in sorted(set(int(n) for n in lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in ranges[:MAX_RANGES_SHOWN]]
    return ", ".join(shown) + (", …" if len(ranges) > MAX_RANGES_SHOWN else "")
