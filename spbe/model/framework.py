"""The evaluation frameworks: their components (domains or aspects), aspects, indicators and weights.

A framework is data. The manifest of a reference folder (data/reference/frameworks.csv) has one row
per framework: key, title, the evaluation years it scores, its table of weights, the index scale
it scores, its component level (the top level the index is built from: domain, or aspect where the
framework has no domains), the edge rule of its predikat bands, whether its tables are official or
from secondary sources, and the source. Its table has one row per indicator with a confidence note;
its predikat bands are its rows of predikat_bands.csv. Adding a framework means adding those rows
and files, no code. A weight is written as a decimal or an exact fraction (the 2018 Layanan Publik
split is 10/3, which no decimal holds); loading checks in exact arithmetic that they add up at every
level present, so a typo in a weight cannot silently skew every index. The folder is an argument:
whoever owns the data folder (the Store) loads them.

Each framework names the index scale it scores on (`index_scale`). Indices of two years are
compared only on one scale: the Indeks SPBE frameworks score 1-5 with the same predikat bands, and
KemenPANRB's own national series runs across them (2018-2024 in one table of the 2024 report), so
2018 and 2024 compare; an instrument on another scale (the Indeks Pemerintah Digital) starts a new
series.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from spbe.core.formatting import format_number
from spbe.model.predikat import EDGE_RULES, Bands

# The five modules of the 2019 asistensi, one per non-policy aspect of PermenPANRB 5/2018.
MODULES = ("Kelembagaan", "Strategi dan Perencanaan", "TIK", "Layanan Administrasi Pemerintahan", "Layanan Publik")
MODULE_FILE = "modul_asistensi.csv"
BANDS_FILE = "predikat_bands.csv"
MANIFEST_FILE = "frameworks.csv"

# The levels an index can be built from, as the manifest names them -> as people say them.
COMPONENT_LABELS = {"domain": "domain", "aspect": "aspek"}
OFFICIAL, SECONDARY = "official", "secondary"  # the status of a framework's tables
SECONDARY_CAVEAT = "bersumber sekunder; periksa dengan salinan resmi"

PROCESS_LEVELS = ("Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum")
SERVICE_LEVELS = ("Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum")

_COLUMNS = (
    "framework",
    "aspect_no",
    "aspect",
    "aspect_weight",
    "indicator_no",
    "indicator",
    "indicator_weight",
    "weight_confidence",
)
_DOMAIN_COLUMNS = ("domain_no", "domain", "domain_weight")  # all or none: a framework may have no domains
_MANIFEST_COLUMNS = (
    "key",
    "title",
    "first_year",
    "last_year",
    "file",
    "index_scale",
    "component_level",
    "edge_rule",
    "status",
    "source",
)


class FrameworkError(ValueError):
    """A framework table is inconsistent; the message names the file and row."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per framework
class Framework:
    key: str  # as in the CSVs, e.g. "permenpanrb-5-2018"
    title: str  # for people, e.g. "PermenPANRB 5/2018"
    first_year: int
    last_year: int | None  # None: still in force
    source_file: str
    # One row per indicator: the CSV's columns (weights as floats, for display and charts; the
    # domain columns missing where the framework has no domains), `modul` (missing where
    # modul_asistensi.csv does not cover the framework), `scored_by` (the agency scoring an
    # indicator for the evaluation, missing for KemenPANRB's own), and every weight as an exact
    # integer count of `weight_unit` (indicator_units, aspect_units, domain_units), so that
    # scoring sums integers and divides once.
    indicators: pd.DataFrame
    bands: Bands  # the predikat bands, their edge rule and the Baik threshold of this framework
    index_scale: str  # the index it scores; indices of two years compare only on the same one
    component_level: str  # a key of COMPONENT_LABELS: the top level the index is built from
    status: str  # OFFICIAL or SECONDARY: where its tables come from
    source: str

    @property
    def component_label(self) -> str:
        """The component level as people say it: "domain" or "aspek"."""
        return COMPONENT_LABELS[self.component_level]

    @property
    def caveat(self) -> str | None:
        """What a view of this framework must say about its tables (None for official ones)."""
        return SECONDARY_CAVEAT if self.status == SECONDARY else None

    # Cached: pages ask for these on every rerun, and the tables never change.
    @cached_property
    def components(self) -> pd.DataFrame:
        """One row per component (a domain or an aspect, per `component_level`): no, name, weight, units."""
        level = self.component_level
        cols = {f"{level}_no": "no", level: "name", f"{level}_weight": "weight", f"{level}_units": "units"}
        return self.indicators[list(cols)].drop_duplicates().rename(columns=cols).reset_index(drop=True)

    @cached_property
    def domains(self) -> pd.DataFrame:
        """One row per domain: domain_no, domain, domain_weight, domain_units (no rows without domains)."""
        cols = ["domain_no", "domain", "domain_weight", "domain_units"]
        if self.component_level != "domain":
            return pd.DataFrame(columns=cols)
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

    def level_name(self, indicator_no: int, level: int) -> str | None:
        """Official name of a tingkat kematangan, None where the reference data names none.

        The SPBE frameworks rate their Layanan domain on the service scale and every other domain on
        the process scale; a framework without domains (PermenPANRB 8/2026) has no level names in the
        reference data, and a name is never guessed."""
        if not 1 <= level <= 5:
            raise ValueError(f"tingkat {level} di luar 1-5")
        row = self.indicators.loc[self.indicators["indicator_no"] == indicator_no]
        if row.empty:
            raise ValueError(f"indikator {indicator_no} tidak ada dalam {self.title}")
        if self.component_level != "domain":
            return None
        scale = SERVICE_LEVELS if is_service_domain(row["domain"].iloc[0]) else PROCESS_LEVELS
        return scale[level - 1]


def is_service_domain(domain_name: str) -> bool:
    """Layanan SPBE is rated on the service scale; every other domain on the process scale."""
    return domain_name.startswith("Layanan")


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
            raise ValueError(f"Tahun {year} tidak tercakup kerangka evaluasi SPBE mana pun (mulai {self.first_year}).")
        return framework

    @property
    def first_year(self) -> int:
        """The first evaluation year of the oldest framework."""
        return self.all[0].first_year

    def by_key(self, key: str) -> Framework:
        for framework in self.all:
            if framework.key == key:
                return framework
        raise KeyError(key)


@cache  # keyed by the folder: each data folder's frameworks are read once per process
def load_frameworks(reference_dir: Path) -> Frameworks:
    """Every framework of a reference folder's manifest with its indicators, modules and predikat bands."""
    modules = pd.read_csv(reference_dir / MODULE_FILE)
    bands = load_bands(reference_dir / BANDS_FILE)
    frameworks: list[Framework] = []
    for line, row in _manifest_rows(reference_dir):
        if row["key"] not in bands:
            raise FrameworkError(f"{BANDS_FILE}: tidak ada predikat untuk kerangka {row['key']!r}")
        table = reference_dir / row["file"]
        if not table.is_file():
            raise FrameworkError(f"{MANIFEST_FILE} baris {line}: berkas {row['file']} tidak ada")
        indicators = attach_modules(load_indicator_table(table, row["key"], row["component_level"]), modules)
        framework = Framework(
            key=row["key"],
            title=row["title"],
            first_year=int(row["first_year"]),
            last_year=int(row["last_year"]) if row["last_year"] else None,
            source_file=row["file"],
            indicators=indicators,
            bands=replace(bands[row["key"]], edge_rule=row["edge_rule"]),
            index_scale=row["index_scale"],
            component_level=row["component_level"],
            status=row["status"],
            source=row["source"],
        )
        previous = frameworks[-1] if frameworks else None
        if previous is not None and (previous.last_year is None or previous.last_year >= framework.first_year):
            raise FrameworkError(
                f"{MANIFEST_FILE} baris {line}: {framework.title} mulai {framework.first_year}, "
                f"padahal {previous.title} masih berlaku tahun itu"
            )
        frameworks.append(framework)
    return Frameworks(tuple(frameworks))


def _manifest_rows(reference_dir: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The manifest's rows (line number, cells as text), each checked; oldest framework first."""
    path = reference_dir / MANIFEST_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        raise FrameworkError(f"{path.name}: kolom tidak ada: {', '.join(missing)}")
    if table.empty:
        raise FrameworkError(f"{path.name}: tidak ada kerangka")
    allowed = {"component_level": tuple(COMPONENT_LABELS), "edge_rule": EDGE_RULES, "status": (OFFICIAL, SECONDARY)}
    seen = set()
    for line, record in zip(range(2, len(table) + 2), table.to_dict("records"), strict=True):
        row = {column: str(record[column]).strip() for column in _MANIFEST_COLUMNS}
        empty = [c for c in _MANIFEST_COLUMNS if c != "last_year" and not row[c]]
        if empty:
            raise FrameworkError(f"{path.name} baris {line}: kolom {', '.join(empty)} kosong")
        if row["key"] in seen:
            raise FrameworkError(f"{path.name} baris {line}: kerangka {row['key']!r} ganda")
        seen.add(row["key"])
        for column, values in allowed.items():
            if row[column] not in values:
                raise FrameworkError(
                    f"{path.name} baris {line}: {column} {row[column]!r} tidak dikenal ({' atau '.join(values)})"
                )
        years = [row["first_year"], *([row["last_year"]] if row["last_year"] else [])]
        if not all(year.isdigit() for year in years) or int(years[-1]) < int(years[0]):
            raise FrameworkError(f"{path.name} baris {line}: tahun {' sampai '.join(years)} bukan rentang tahun")
        yield line, row


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


def load_indicator_table(path: Path, key: str, component_level: str) -> pd.DataFrame:
    """Read and check one framework CSV; raises FrameworkError naming file and row.

    The table has domain columns exactly when the component level is the domain; without them the
    aspects are the top level. The indicators come back with every column of the Framework
    (domain columns, `scored_by`), missing values where the table has none."""
    table = pd.read_csv(path, dtype={column: str for column in _WEIGHTS})
    has_domains = component_level == "domain"
    expected = [*_COLUMNS, *(_DOMAIN_COLUMNS if has_domains else ())]
    missing = [c for c in expected if c not in table.columns]
    if missing:
        raise FrameworkError(f"{path.name}: kolom tidak ada: {', '.join(missing)}")
    stray = [c for c in _DOMAIN_COLUMNS if c in table.columns and not has_domains]
    if stray:
        raise FrameworkError(
            f"{path.name}: kolom {', '.join(stray)} ada, padahal komponen kerangka {key} adalah "
            f"{COMPONENT_LABELS[component_level]}"
        )
    table = table.loc[:, [*expected, *(["scored_by"] if "scored_by" in table.columns else [])]]
    for row_no, row in zip(range(2, len(table) + 2), table.itertuples(index=False), strict=True):
        if row.framework != key:
            raise FrameworkError(f"{path.name} baris {row_no}: framework {row.framework!r}, diharapkan {key!r}")
    weights = [column for column in _WEIGHTS if column in table.columns]
    exact = {column: _exact_weights(table[column], column, path) for column in weights}
    _check_unique(table.assign(**exact), path)
    _check_sums(table.assign(**exact), path, component_level)
    unit = weight_unit(value for column in weights for value in exact[column])
    for column in weights:
        table[column] = [float(value) for value in exact[column]]
        table[column.replace("_weight", "_units")] = [int(value / unit) for value in exact[column]]
    if not has_domains:
        table["domain_no"] = table["domain_units"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["domain"], table["domain_weight"] = None, float("nan")
    table["scored_by"] = table.get("scored_by", pd.Series(pd.NA, index=table.index)).astype("string")
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
    """Add the asistensi module of each indicator of a framework modul_asistensi.csv covers (each then
    needs exactly one known module); a framework it does not cover gets no modules (`modul` missing)."""
    key = indicators["framework"].iloc[0]
    mine = modules.loc[modules["framework"] == key, ["indicator_no", "modul"]]
    if mine.empty:
        return indicators.assign(modul=pd.Series(pd.NA, index=indicators.index, dtype="string"))
    merged = indicators.merge(mine, on="indicator_no", how="left", validate="one_to_one")
    unknown = merged[~merged["modul"].isin(MODULES)]
    if not unknown.empty:
        number = unknown["indicator_no"].iloc[0]
        raise FrameworkError(f"{MODULE_FILE}: indikator {number} ({key}) tanpa modul yang dikenal")
    return merged


def _check_unique(table: pd.DataFrame, path: Path) -> None:
    """Indicators are numbered 1..n once each; an aspect or domain (where present) has one weight and parent."""
    expected = set(range(1, len(table) + 1))
    strays = [(pos, no) for pos, no in enumerate(table["indicator_no"]) if no not in expected]
    if strays:
        pos, no = strays[0]
        raise FrameworkError(f"{path.name} baris {pos + 2}: nomor indikator {no} di luar 1-{len(table)}")
    duplicated = table["indicator_no"].duplicated(keep="first")
    if duplicated.any():
        pos = int(duplicated.to_numpy().nonzero()[0][0])
        raise FrameworkError(f"{path.name} baris {pos + 2}: indikator {table['indicator_no'].iloc[pos]} ganda")
    levels = (("aspect", "domain"), ("domain", None)) if "domain_no" in table.columns else (("aspect", None),)
    for level, parent in levels:
        cols = [f"{level}_no", f"{level}_weight"] + ([f"{parent}_no"] if parent else [])
        groups = table.groupby(f"{level}_no")[cols[1:]].nunique()
        bad = groups[(groups > 1).any(axis=1)]
        if not bad.empty:
            number = bad.index[0]
            pos = int((table[f"{level}_no"] == number).to_numpy().nonzero()[0][-1])
            raise FrameworkError(
                f"{path.name} baris {pos + 2}: {level} {number} memiliki bobot atau induk yang berbeda antarbaris"
            )


def _check_sums(table: pd.DataFrame, path: Path, component_level: str) -> None:
    """Indicator weights add up to their aspect, aspects to their domain (where present), components to 100."""
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
    for domain_no, rows in aspects.groupby("domain_no") if component_level == "domain" else ():
        declared = rows["domain_weight"].iloc[0]
        total = rows["aspect_weight"].sum()
        if total != declared:
            last = table.index[table["domain_no"] == domain_no][-1]
            raise FrameworkError(
                f"{path.name} baris {last + 2}: bobot aspek domain {domain_no} "
                f"berjumlah {_weight_text(total)}, padahal bobot domain {_weight_text(declared)}"
            )
    total = sum(table.drop_duplicates(f"{component_level}_no")[f"{component_level}_weight"])
    if total != 100:
        raise FrameworkError(
            f"{path.name} baris {len(table) + 1}: bobot {COMPONENT_LABELS[component_level]} "
            f"berjumlah {_weight_text(total)}, bukan 100"
        )


def _weight_text(value: Fraction) -> str:
    """A weight as people write it: 20, 16,5 or 10/3."""
    if (value * 10**6).denominator == 1:
        return f"{float(value):g}".replace(".", ",")
    return f"{value.numerator}/{value.denominator}"
