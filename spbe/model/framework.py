"""The two SPBE evaluation frameworks: domains, aspects, indicators and their weights.

PermenPANRB 5/2018 (3 domains, 7 aspects, 35 indicators) applies to the evaluation years
2018-2020; PermenPANRB 59/2020 (4 domains, 8 aspects, 47 indicators) from 2021 on. The
weights live in reviewed CSVs of a reference folder (data/reference/), each row with a confidence
note, and so do each framework's predikat bands (predikat_bands.csv). A weight is written as a
decimal or an exact fraction (the 2018 Layanan Publik split is 10/3, which no decimal holds);
loading checks in exact arithmetic that they add up, so a typo in a weight cannot silently skew
every index. The folder is an argument: whoever owns the data folder (the Store) loads them.

Each framework names the index scale it scores on (`index_scale`). Indices of two years are
compared only on one scale: both frameworks score the Indeks SPBE 1-5 with the same predikat
bands, and KemenPANRB's own national series runs across them (2018-2024 in one table of the 2024
report), so 2018 and 2024 compare; an instrument on another scale starts a new series.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from spbe.core.formatting import format_number
from spbe.model.predikat import Bands

# The five modules of the 2019 asistensi, one per non-policy aspect of PermenPANRB 5/2018.
MODULES = ("Kelembagaan", "Strategi dan Perencanaan", "TIK", "Layanan Administrasi Pemerintahan", "Layanan Publik")
MODULE_FILE = "modul_asistensi.csv"
BANDS_FILE = "predikat_bands.csv"

PROCESS_LEVELS = ("Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum")
SERVICE_LEVELS = ("Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum")

_COLUMNS = (
    "framework",
    "domain_no",
    "domain",
    "domain_weight",
    "aspect_no",
    "aspect",
    "aspect_weight",
    "indicator_no",
    "indicator",
    "indicator_weight",
    "weight_confidence",
)


class FrameworkError(ValueError):
    """A framework table is inconsistent; the message names the file and row."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per framework
class Framework:
    key: str  # as in the CSV, e.g. "permenpanrb-5-2018"
    title: str  # for people, e.g. "PermenPANRB 5/2018"
    first_year: int
    last_year: int | None  # None: still in force
    source_file: str
    # One row per indicator: the CSV's columns (weights as floats, for display and charts),
    # `modul`, and every weight as an exact integer count of `weight_unit` (indicator_units,
    # aspect_units, domain_units), so that scoring sums integers and divides once.
    indicators: pd.DataFrame
    bands: Bands  # the predikat bands and the Baik threshold of this framework
    index_scale: str  # the index it scores; indices of two years compare only on the same one

    # Cached: pages ask for these on every rerun, and the tables never change.
    @cached_property
    def domains(self) -> pd.DataFrame:
        """One row per domain: domain_no, domain, domain_weight, domain_units."""
        cols = ["domain_no", "domain", "domain_weight", "domain_units"]
        return self.indicators[cols].drop_duplicates().reset_index(drop=True)

    @cached_property
    def aspects(self) -> pd.DataFrame:
        """One row per aspect: aspect_no, aspect, aspect_weight, domain_no, aspect_units."""
        cols = ["aspect_no", "aspect", "aspect_weight", "domain_no", "aspect_units"]
        return self.indicators[cols].drop_duplicates().reset_index(drop=True)

    @cached_property
    def indicator_numbers(self) -> list[int]:
        return [int(number) for number in self.indicators["indicator_no"]]

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def level_name(self, indicator_no: int, level: int) -> str:
        """Official name of a tingkat kematangan: service scale in the Layanan domain."""
        if not 1 <= level <= 5:
            raise ValueError(f"tingkat {level} di luar 1-5")
        row = self.indicators.loc[self.indicators["indicator_no"] == indicator_no]
        if row.empty:
            raise ValueError(f"indikator {indicator_no} tidak ada dalam {self.title}")
        scale = SERVICE_LEVELS if is_service_domain(row["domain"].iloc[0]) else PROCESS_LEVELS
        return scale[level - 1]


def is_service_domain(domain_name: str) -> bool:
    """Layanan SPBE is rated on the service scale; every other domain on the process scale."""
    return domain_name.startswith("Layanan")


SPBE_SCALE = "Indeks SPBE skala 1–5"  # also said on screen, where the instrument changes on this scale

_SPECS = (
    ("permenpanrb-5-2018", "PermenPANRB 5/2018", 2018, 2020, "framework_2018.csv", SPBE_SCALE),
    ("permenpanrb-59-2020", "PermenPANRB 59/2020", 2021, None, "framework_2020.csv", SPBE_SCALE),
)


@dataclass(frozen=True)
class Frameworks:
    """The frameworks of one reference folder, oldest first, looked up by evaluation year or key."""

    all: tuple[Framework, ...]

    def __iter__(self) -> Iterator[Framework]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def covering(self, year: int) -> Framework | None:
        return next((framework for framework in self.all if framework.covers(year)), None)

    def for_year(self, year: int) -> Framework:
        """The framework an evaluation year was scored with."""
        framework = self.covering(year)
        if framework is None:
            raise ValueError(f"Tahun {year} tidak tercakup kerangka evaluasi SPBE mana pun (mulai 2018).")
        return framework

    def by_key(self, key: str) -> Framework:
        for framework in self.all:
            if framework.key == key:
                return framework
        raise KeyError(key)


@cache  # keyed by the folder: each data folder's frameworks are read once per process
def load_frameworks(reference_dir: Path) -> Frameworks:
    """Every framework of a reference folder with its indicators, modules and predikat bands."""
    modules = pd.read_csv(reference_dir / MODULE_FILE)
    bands = load_bands(reference_dir / BANDS_FILE)
    frameworks = []
    for key, title, first, last, file, scale in _SPECS:
        if key not in bands:
            raise FrameworkError(f"{BANDS_FILE}: tidak ada predikat untuk kerangka {key!r}")
        indicators = attach_modules(load_indicator_table(reference_dir / file, key), modules)
        frameworks.append(Framework(key, title, first, last, file, indicators, bands[key], scale))
    return Frameworks(tuple(frameworks))


def load_bands(path: Path) -> dict[str, Bands]:
    """The predikat bands of every framework in the file; raises FrameworkError naming file and row.

    Within a framework the bands follow one another: each starts where the one below it ends."""
    table = pd.read_csv(path, dtype={"framework": str, "predikat": str})
    missing = [c for c in ("framework", "predikat", "min", "max", "source") if c not in table.columns]
    if missing:
        raise FrameworkError(f"{path.name}: kolom tidak ada: {', '.join(missing)}")
    table["line"] = range(2, len(table) + 2)
    found = {}
    for key, rows in table.groupby("framework", sort=False):
        rows = rows.sort_values("min")
        for below, above in zip(rows.itertuples(), rows.iloc[1:].itertuples(), strict=False):
            if below.max != above.min:
                start, end = format_number(above.min, trim_zeros=True), format_number(below.max, trim_zeros=True)
                raise FrameworkError(
                    f"{path.name} baris {above.line}: predikat {above.predikat} mulai {start}, "
                    f"padahal {below.predikat} berakhir {end}"
                )
        try:
            found[str(key)] = Bands(tuple(rows["predikat"]), (*map(float, rows["min"]), float(rows["max"].iloc[-1])))
        except ValueError as error:
            raise FrameworkError(f"{path.name}: kerangka {key}: {error}") from error
    return found


_WEIGHTS = ("indicator_weight", "aspect_weight", "domain_weight")


def load_indicator_table(path: Path, key: str) -> pd.DataFrame:
    """Read and check one framework CSV; raises FrameworkError naming file and row."""
    table = pd.read_csv(path, dtype={column: str for column in _WEIGHTS})
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise FrameworkError(f"{path.name}: kolom tidak ada: {', '.join(missing)}")
    table = table.loc[:, list(_COLUMNS)]
    for row_no, row in zip(range(2, len(table) + 2), table.itertuples(index=False), strict=True):
        if row.framework != key:
            raise FrameworkError(f"{path.name} baris {row_no}: framework {row.framework!r}, diharapkan {key!r}")
    exact = {column: _exact_weights(table[column], column, path) for column in _WEIGHTS}
    _check_unique(table.assign(**exact), path)
    _check_sums(table.assign(**exact), path)
    unit = weight_unit(value for column in _WEIGHTS for value in exact[column])
    for column in _WEIGHTS:
        table[column] = [float(value) for value in exact[column]]
        table[column.replace("_weight", "_units")] = [int(value / unit) for value in exact[column]]
    return table.sort_values("indicator_no").reset_index(drop=True)


def weight_unit(weights: Iterable[Fraction | int | str]) -> Fraction:
    """The largest fraction every weight is a whole multiple of: 1/3 for 2018 (10/3), 1/20 for 2020."""
    exact = [Fraction(w) for w in weights]
    return Fraction(math.gcd(*(w.numerator for w in exact)), math.lcm(*(w.denominator for w in exact)))


def _exact_weights(column: pd.Series, name: str, path: Path) -> list[Fraction]:
    """Each weight as an exact fraction: "1.30" -> 13/10, "10/3" -> 10/3."""
    values = []
    for row_no, text in zip(range(2, len(column) + 2), column, strict=True):
        try:
            value = Fraction(str(text).strip())
        except (ValueError, ZeroDivisionError):
            value = None
        if value is None or value <= 0:
            raise FrameworkError(f"{path.name} baris {row_no}: {name} {text!r} bukan bobot positif (2.5 atau 10/3)")
        values.append(value)
    return values


def attach_modules(indicators: pd.DataFrame, modules: pd.DataFrame) -> pd.DataFrame:
    """Add the asistensi module of each indicator; every indicator needs exactly one known module."""
    key = indicators["framework"].iloc[0]
    mine = modules.loc[modules["framework"] == key, ["indicator_no", "modul"]]
    merged = indicators.merge(mine, on="indicator_no", how="left", validate="one_to_one")
    unknown = merged[~merged["modul"].isin(MODULES)]
    if not unknown.empty:
        number = unknown["indicator_no"].iloc[0]
        raise FrameworkError(f"{MODULE_FILE}: indikator {number} ({key}) tanpa modul yang dikenal")
    return merged


def _check_unique(table: pd.DataFrame, path: Path) -> None:
    """Indicators are numbered 1..n once each; an aspect or domain has one weight and parent."""
    expected = set(range(1, len(table) + 1))
    strays = [(pos, no) for pos, no in enumerate(table["indicator_no"]) if no not in expected]
    if strays:
        pos, no = strays[0]
        raise FrameworkError(f"{path.name} baris {pos + 2}: nomor indikator {no} di luar 1-{len(table)}")
    duplicated = table["indicator_no"].duplicated(keep="first")
    if duplicated.any():
        pos = int(duplicated.to_numpy().nonzero()[0][0])
        raise FrameworkError(f"{path.name} baris {pos + 2}: indikator {table['indicator_no'].iloc[pos]} ganda")
    for level, parent in (("aspect", "domain"), ("domain", None)):
        cols = [f"{level}_no", f"{level}_weight"] + ([f"{parent}_no"] if parent else [])
        groups = table.groupby(f"{level}_no")[cols[1:]].nunique()
        bad = groups[(groups > 1).any(axis=1)]
        if not bad.empty:
            number = bad.index[0]
            pos = int((table[f"{level}_no"] == number).to_numpy().nonzero()[0][-1])
            raise FrameworkError(
                f"{path.name} baris {pos + 2}: {level} {number} memiliki bobot atau induk yang berbeda antarbaris"
            )


def _check_sums(table: pd.DataFrame, path: Path) -> None:
    """Indicator weights add up to their aspect, aspects to their domain, domains to 100."""
    indicator_sums = table.groupby("aspect_no")["indicator_weight"].sum()
    for aspect_no, total in indicator_sums.items():
        rows = table[table["aspect_no"] == aspect_no]
        declared = rows["aspect_weight"].iloc[0]
        if total != declared:
            raise FrameworkError(
                f"{path.name} baris {rows.index[-1] + 2}: bobot indikator aspek {aspect_no} "
                f"berjumlah {_weight_text(total)}, padahal bobot aspek {_weight_text(declared)}"
            )
    aspects = table.drop_duplicates("aspect_no")
    for domain_no, rows in aspects.groupby("domain_no"):
        declared = rows["domain_weight"].iloc[0]
        total = rows["aspect_weight"].sum()
        if total != declared:
            last = table.index[table["domain_no"] == domain_no][-1]
            raise FrameworkError(
                f"{path.name} baris {last + 2}: bobot aspek domain {domain_no} "
                f"berjumlah {_weight_text(total)}, padahal bobot domain {_weight_text(declared)}"
            )
    domain_total = sum(table.drop_duplicates("domain_no")["domain_weight"])
    if domain_total != 100:
        raise FrameworkError(
            f"{path.name} baris {len(table) + 1}: bobot domain berjumlah {_weight_text(domain_total)}, bukan 100"
        )


def _weight_text(value: Fraction) -> str:
    """A weight as people write it: 20, 16,5 or 10/3."""
    if (value * 10**6).denominator == 1:
        return f"{float(value):g}".replace(".", ",")
    return f"{value.numerator}/{value.denominator}"
