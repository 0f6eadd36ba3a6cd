"""The evaluation data store: DuckDB over the Parquet and reference files in data/.

All SQL of the project outside the scoring engine lives here, parameterised. A Store loads a
snapshot of the files into an in-memory DuckDB database when it is created (the data is small,
so every query then takes milliseconds) and never writes to data/. Every query runs on its own
cursor, so Streamlit's session threads can share one Store (a DuckDB connection itself is not
thread-safe). Queries return pandas frames or plain values. A data file that cannot be read
(corrupt, or not readable by this user) stops the load with a DataUnreadable that names the
file and what to do (roll back to a version without it, fix permissions, rebuild the base).

Grain of a year: `indicator` (levels per instansi and indicator: the 2018 simulation, imports),
`component` (component indices and index per instansi: the official 2023 and 2024 tables, whose
components are the domains of PermenPANRB 59/2020; an import of aspect indices of a framework without
domains) or `national` (only the published national figures: 2019-2022).

Components. A year's results have one column per component of the year's framework, komponen_1 to
komponen_n (spbe.data.datafiles); komponen_2 is a domain in 2024 and an aspect in 2026, so a view
across years reads the components long, by name (`instansi_components`), never by column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from spbe.core.db import connect
from spbe.data.datafiles import component_column, component_columns
from spbe.data.registry import registry_path
from spbe.data.source_texts import with_source_texts
from spbe.data.versions import NATIONAL_SERIES_FILE, DataUnreadable, VersionStore
from spbe.model.framework import Framework, Frameworks, load_frameworks
from spbe.model.provenance import Provenance, provenance_of

# The 38 provinces (Papua split of 2022) first appear in the official tables of 2023; earlier
# years are shown on the 34 provinces of 2018.
FIRST_YEAR_OF_38_PROVINCES = 2023

# The 2019 asistensi roster (623 instansi) was drawn up from the 2018 evaluation.
ROSTER_YEAR = 2018

_MAX_MEMO_ENTRIES = 1024  # distinct queries of a snapshot; a bound keeps name searches from growing it

# 2018-2020 were reported by the 2018 groups (Kementerian, LPNK, Lembaga lainnya, Polda, ...).
LAST_YEAR_OF_2018_GROUPS = 2020

# Query parameters: by name ($year) or by position (?)
Params = dict[str, Any] | list[Any]

# Group-by columns a caller may ask for; identifiers cannot be query parameters, so only these
# fixed names are ever placed into SQL text.
GROUP_COLUMNS = ("kelompok", "kategori", "lokus", "nama_provinsi", "kota_penyelenggara", "kelompok_target")


@dataclass(frozen=True)
class Filters:
    """Filters of the per-instansi views; None means "no filter" for each field."""

    predikat: list[str] | None = None
    kelompok: list[str] | None = None
    lokus: list[str] | None = None
    provinsi: list[str] | None = None
    kota: list[str] | None = None
    cari: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "predikat": self.predikat,
            "kelompok": self.kelompok,
            "lokus": self.lokus,
            "provinsi": self.provinsi,
            "kota": self.kota,
            "cari": (self.cari or "").strip() or None,
        }


@dataclass(frozen=True)
class YearSummary:
    """The national picture of one year; its fields, in this order, are the `summary` command's JSON."""

    year: int
    framework: str  # the title of the framework the year was scored with
    grain: str  # indicator | component | national (see the module docstring)
    provenance: Provenance  # of the per-instansi rows; resmi for a year of national figures only
    national_index_official: float | None  # the published index
    national_index_mean: float | None  # the mean of the year's instansi, recomputed
    target: float | None
    gap: float | None  # target minus the published index, else minus the mean
    instansi_evaluated: int | None  # the published count, else the rows'
    predikat_counts: dict[str, int]  # per band of the year's framework, best last; empty without rows
    below_baik_pct: float | None
    baik_or_better_count: int | None
    source: str


class Store:
    def __init__(self, data_dir: Path, version: str | None = None):
        self.data_dir = Path(data_dir)
        self._requested_version = version
        self._answers: dict[tuple[str, object], pd.DataFrame] = {}
        self._con = connect()
        self._load()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        versions = VersionStore(self.data_dir)
        reference = self.data_dir / "reference"
        self.frameworks: Frameworks = load_frameworks(reference)  # the frameworks and predikat bands of this data
        for table, (file, renamed) in _REFERENCE_TABLES.items():
            columns = f"* RENAME ({renamed})" if renamed else "*"
            sql = f"CREATE TABLE {table} AS SELECT {columns} FROM read_csv(?, header = true)"  # noqa: S608 - fixed names
            self._load_file(versions, sql, reference / file)
        registry = registry_path(self.data_dir)
        self._load_file(versions, "CREATE TABLE instansi AS SELECT * FROM read_parquet(?)", registry)
        self.version = self._requested_version or versions.current()  # one complete version, read once
        self._load_national_entries(versions.national_entries(self.version))
        files = versions.files(self.version)
        try:
            self._load_partitioned("results", files["results"])
            self._load_partitioned("levels", files["levels"])
        except (duckdb.Error, OSError) as error:
            fault = self._first_unreadable(versions, [*files["results"], *files["levels"]])
            if fault is None:  # no single file fails: not a fault of the data, let it surface as it is
                raise
            raise fault from error
        # Only official years carry the category published that year (spbe.data.datafiles); None elsewhere.
        self._execute("ALTER TABLE results ADD COLUMN IF NOT EXISTS kategori VARCHAR")
        self._load_components()
        self._load_framework_tables()
        # Views cannot hold parameters; the two years are module constants, not input.
        self._execute(
            _RESULTS_VIEW_SQL.replace("$split", str(FIRST_YEAR_OF_38_PROVINCES))
            .replace("$last_2018_framework_year", str(LAST_YEAR_OF_2018_GROUPS))
            .replace("$components", ", ".join(f"r.{column}" for column in self._all_components))
        )

    def _load_national_entries(self, entries: pd.DataFrame) -> None:
        """The national indices an admin entered (spbe.data.versions) over the published series: an entered
        year's index is its official one, cited by the entry's source (which a view of the year then names),
        and a year the series lacks (2025, imported before its index was published) joins the series."""
        self._con.register("entries_in", entries)
        self._execute(
            "UPDATE national_series SET indeks_nasional = e.indeks_nasional, sumber_indeks = e.sumber, "
            "sumber = e.sumber FROM entries_in e WHERE national_series.tahun = e.tahun"
        )
        self._execute(
            "INSERT INTO national_series BY NAME SELECT tahun, kerangka, indeks_nasional, sumber, "
            "sumber AS sumber_indeks FROM entries_in WHERE tahun NOT IN (SELECT tahun FROM national_series)"
        )
        self._con.unregister("entries_in")

    def _load_components(self) -> None:
        """Give the results table one column per component of any framework (komponen_1 .. the most
        components a framework has), NULL where a year's file has none, so that a query of a year can
        name its framework's columns. Files of the layout before (domain_1..domain_4) fill the
        komponen_ column of the same number; their columns are then dropped."""
        present = self._con.execute("SELECT * FROM results LIMIT 0").df().columns
        most = max(int(no) for framework in self.frameworks for no in framework.components["no"])
        legacy = component_columns(present, legacy=True)
        self._all_components = [component_column(no) for no in range(1, max([most, *legacy.values()]) + 1)]
        # Column names below come from the frameworks' component numbers and a fixed pattern, never from input.
        for column in self._all_components:
            self._execute(f"ALTER TABLE results ADD COLUMN IF NOT EXISTS {column} DOUBLE")
        for old, number in legacy.items():
            new = component_column(number)
            self._execute(f"UPDATE results SET {new} = coalesce({new}, {old})")  # noqa: S608
            self._execute(f"ALTER TABLE results DROP COLUMN {old}")

    def _load_framework_tables(self) -> None:
        """The frameworks as tables: `framework` (one row per indicator with its component, komponen_no
        and komponen, whatever the framework's component level), `framework_years` (the years, index
        scale of each framework) and `components` (one row per component of each framework)."""
        indicators, years, components = [], [], []
        for f in self.frameworks:
            last = f.last_year or 9999
            level = f.component_level
            indicators.append(
                f.indicators.assign(
                    title=f.title,
                    first_year=f.first_year,
                    last_year=last,
                    komponen_no=f.indicators[f"{level}_no"].astype(int),
                    komponen=f.indicators[level].astype(str),
                )
            )
            years.append(
                {"kerangka": f.key, "first_year": f.first_year, "last_year": last, "skala_indeks": f.index_scale}
            )
            components.append(
                pd.DataFrame(
                    {
                        "kerangka": f.key,
                        "first_year": f.first_year,
                        "last_year": last,
                        "komponen_no": f.components["no"].astype(int),
                        "komponen": f.components["name"].astype(str),
                        "kolom": [component_column(int(no)) for no in f.components["no"]],
                    }
                )
            )
        for table, frame in (
            ("framework", pd.concat(indicators, ignore_index=True)),
            ("framework_years", pd.DataFrame(years)),
            ("components", pd.concat(components, ignore_index=True)),
        ):
            self._con.register("frame_in", frame)
            self._execute(f"CREATE TABLE {table} AS SELECT * FROM frame_in")  # noqa: S608 - fixed names
            self._con.unregister("frame_in")

    def _load_partitioned(self, table: str, files: list[str]) -> None:
        """Load tahun=YYYY/part-0.parquet files (hive partitioning); none gives an empty table.

        Columns are matched by name: files of one kind may differ by optional columns."""
        if files:
            options = "hive_partitioning = true, union_by_name = true"
            self._execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?, {options})", [files])  # noqa: S608
        else:
            schema = _EMPTY_SCHEMAS[table]
            self._execute(f"CREATE TABLE {table} ({schema})")

    def _load_file(self, versions: VersionStore, sql: str, path: Path) -> None:
        """Run a statement that reads one file; a file that cannot be read is a fault naming it."""
        try:
            self._execute(sql, [str(path)])
        except (duckdb.Error, OSError) as error:
            raise versions.unreadable(path, error) from error

    def _first_unreadable(self, versions: VersionStore, files: list[str]) -> DataUnreadable | None:
        """DuckDB read the files together: read each alone to name the one that fails."""
        for file in files:
            cursor = self._con.cursor()
            try:
                cursor.execute("SELECT * FROM read_parquet(?)", [file]).fetchall()
            except (duckdb.Error, OSError) as error:
                return versions.unreadable(file, error)
            finally:
                cursor.close()
        return None

    def _execute(self, sql: str, params: Params | None = None) -> None:
        self._con.execute(sql, params or [])

    def _query(self, sql: str, params: Params | None = None) -> pd.DataFrame:
        """Run a query on its own cursor. The snapshot never changes, so each distinct query is
        answered once and then served from memory (pages ask the same on every rerun); callers
        get a copy, so nothing they do to it reaches the next caller. Sources and notes come in their
        Indonesian display text (spbe.data.source_texts)."""
        key = (sql, _frozen(params))
        answer = self._answers.get(key)  # one read: another thread may clear the memo at any moment
        if answer is None:
            if len(self._answers) >= _MAX_MEMO_ENTRIES:
                self._answers.clear()
            cursor = self._con.cursor()
            try:
                answer = with_source_texts(cursor.execute(sql, params or {}).df())  # Indonesian sources
            finally:
                cursor.close()
            self._answers[key] = answer
        return answer.copy()

    # ------------------------------------------------------------------ years and national figures

    def national_series(self) -> pd.DataFrame:
        """The official national index per year with domains, counts, target and source; an index an admin
        entered (spbe.data.versions) is the official one of its year, its source in sumber and sumber_indeks."""
        return self._query("SELECT * FROM national_series ORDER BY tahun")

    def instansi_years(self) -> list[int]:
        """Years with per-instansi results (the per-instansi views offer only these)."""
        return [int(year) for year in self._query("SELECT DISTINCT tahun FROM results ORDER BY tahun")["tahun"]]

    def years(self) -> pd.DataFrame:
        """Every year with data: grain, provenance and source of the per-instansi part, instansi count."""
        years = self._query(_YEARS_SQL)
        # A year without per-instansi rows has only its published national figures: official.
        provenance = [
            provenance_of(rows.split(",")) if isinstance(rows, str) else Provenance.RESMI
            for rows in years.pop("provenances")
        ]
        years.insert(2, "provenance", provenance)
        return years

    def summary(self, year: int) -> YearSummary:
        """The national picture of one year."""
        national = self._query("SELECT * FROM national_series WHERE tahun = $year", {"year": year})
        years = self.years().set_index("tahun")
        if year not in years.index:
            raise ValueError(f"Tidak ada data untuk tahun {year}.")
        info = years.loc[year]
        counts = self._query(
            "SELECT predikat, count(*) AS n FROM results WHERE tahun = $year GROUP BY predikat", {"year": year}
        )
        official = float(national["indeks_nasional"].iloc[0]) if not national.empty else None
        target = self.target(year)
        mean = self._scalar("SELECT avg(indeks) FROM results WHERE tahun = $year", {"year": year})
        # The published count stands where there is one: an import may cover only part of a year.
        evaluated = _int_or_none(national, "instansi_dievaluasi") or (int(counts["n"].sum()) if len(counts) else None)
        per_predikat = counts.set_index("predikat")["n"]
        bands = self.framework(year).bands
        predikat_counts = {p: int(per_predikat.get(p, 0)) for p in bands.names} if len(counts) else {}
        baik_or_better: int | None
        if predikat_counts:
            baik_or_better = sum(predikat_counts[p] for p in bands.baik_or_better)
        else:
            baik_or_better = _int_or_none(national, "baik_ke_atas")
        headline = official if official is not None else mean
        return YearSummary(
            year=year,
            framework=self.framework(year).title,
            grain=str(info["grain"]),
            provenance=Provenance(info["provenance"]),
            national_index_official=official,
            national_index_mean=mean,
            target=target,
            gap=None if target is None or headline is None else target - headline,
            instansi_evaluated=evaluated,
            predikat_counts=predikat_counts,
            below_baik_pct=None
            if not evaluated or baik_or_better is None
            else 100 * (evaluated - baik_or_better) / evaluated,
            baik_or_better_count=baik_or_better,
            source=str(national["sumber"].iloc[0] if not national.empty else info["sumber"]),  # else the rows' own
        )

    def targets(self) -> pd.DataFrame:
        """Every published target of the national index, each on the index scale it is set on: tahun, target,
        skala_indeks, sumber_target. A year of the national series has the target its report quotes (2,6 for
        2018-2023, 2,85 for 2024); a later year the RPJMN's (rpjmn_targets.csv: 3,00 for 2025 on the Indeks SPBE,
        2,00 for 2029 on the Indeks Pemerintah Digital). A year without a row has no target (none is published
        for 2026-2028)."""
        return self._query(_TARGETS_SQL)

    def target(self, year: int) -> float | None:
        """The target of `year` on the index scale of the year's framework (None where none is published)."""
        targets = self.targets()
        row = targets[(targets["tahun"] == year) & (targets["skala_indeks"] == self.framework(year).index_scale)]
        return None if row.empty else float(row["target"].iloc[0])

    def published_2018(self) -> pd.DataFrame:
        return self._query("SELECT * FROM published_2018")

    def targets_share_baik(self, year: int) -> pd.DataFrame:
        return self._query("SELECT * FROM targets_share_baik WHERE tahun = $year", {"year": year})

    # ------------------------------------------------------------------ per-instansi views

    def results(self, year: int, filters: Filters | None = None) -> pd.DataFrame:
        """One row per instansi of the year with registry attributes, after the filters; its component
        indices in komponen_1..komponen_n, the components of the year's framework (NaN where unknown)."""
        params = {"year": year, **(filters or Filters()).params()}
        return self._own_components(self._query(_FILTERED_SQL + " ORDER BY indeks DESC, nama", params), year)

    def _own_components(self, frame: pd.DataFrame, year: int) -> pd.DataFrame:
        """The frame without the component columns of other frameworks than the year's."""
        own = set(self.component_columns(year))
        return frame.drop(columns=[column for column in component_columns(frame.columns) if column not in own])

    def component_columns(self, year: int) -> list[str]:
        """The results columns of the year's components, in component order: komponen_1..komponen_n."""
        return [component_column(int(no)) for no in self.framework(year).components["no"]]

    def filter_options(self, year: int, filters: Filters | None = None) -> dict[str, list[str]]:
        """Values present in the year under the given filters, for cascading filter widgets."""
        frame = self._query(
            f"SELECT DISTINCT kelompok, lokus, nama_provinsi, kota_penyelenggara FROM ({_FILTERED_SQL})",  # noqa: S608
            {"year": year, **(filters or Filters()).params()},
        )
        return {column: sorted(frame[column].dropna().unique().tolist()) for column in frame.columns}

    def predikat_distribution(self, year: int, by: str | None = None, filters: Filters | None = None) -> pd.DataFrame:
        """Counts and shares per predikat, overall or per group (`by` one of GROUP_COLUMNS)."""
        group = _group_column(by)
        params = {"year": year, **(filters or Filters()).params()}
        sql = f"""
            WITH counts AS (
                SELECT {group} AS kelompok_tampil, predikat, count(*) AS jumlah
                FROM ({_FILTERED_SQL}) GROUP BY ALL
            )
            SELECT *, 100.0 * jumlah / sum(jumlah) OVER (PARTITION BY kelompok_tampil) AS persen FROM counts
        """  # noqa: S608 - group is an allow-listed column name
        frame = self._query(sql, params)
        frame["urutan"] = frame["predikat"].map(self.framework(year).bands.names.index)
        return frame.sort_values(["kelompok_tampil", "urutan"]).drop(columns="urutan").reset_index(drop=True)

    def baik_share_by_group(self, year: int, by: str = "kelompok") -> pd.DataFrame:
        """Share at Baik or better per group, with n."""
        group = _group_column(by)
        sql = f"""
            SELECT {group} AS kelompok_tampil, count(*) AS n,
                   count(*) FILTER (WHERE list_contains($baik_or_better, predikat)) AS baik_ke_atas,
                   100.0 * baik_ke_atas / n AS persen
            FROM results_full WHERE tahun = $year GROUP BY ALL ORDER BY persen DESC
        """  # noqa: S608 - group is an allow-listed column name
        return self._query(sql, {"year": year, "baik_or_better": list(self.framework(year).bands.baik_or_better)})

    def component_means(self, year: int, by: str | None = "kelompok", filters: Filters | None = None) -> pd.DataFrame:
        """Mean of each component index (a domain, or an aspect of a framework without domains) per group,
        long: kelompok_tampil, komponen_no, komponen (its name in the year's framework), rata_rata, n.
        A missing component index counts in neither."""
        group = _group_column(by)
        params = {"year": year, **(filters or Filters()).params()}
        sql = f"""
            WITH f AS ({_FILTERED_SQL}),
            long AS (UNPIVOT f ON {", ".join(self.component_columns(year))} INTO NAME kolom VALUE nilai)
            SELECT {group} AS kelompok_tampil, c.komponen_no, c.komponen, avg(nilai) AS rata_rata, count(nilai) AS n
            FROM long JOIN components c ON c.kolom = long.kolom AND $year BETWEEN c.first_year AND c.last_year
            GROUP BY ALL ORDER BY kelompok_tampil, komponen_no
        """  # noqa: S608 - group is an allow-listed column name, the components the framework's numbered columns
        return self._query(sql, params)

    def aspect_means(self, year: int, by: str | None = "kelompok", filters: Filters | None = None) -> pd.DataFrame:
        """Mean aspect index per group, from indicator levels (empty for component-grain years)."""
        group = _group_column(by)
        params = {"year": year, **(filters or Filters()).params()}
        sql = f"""
            WITH f AS ({_FILTERED_SQL}),
            per_instansi AS (
                SELECT l.instansi_id, fw.aspect_no, fw.aspect,
                       sum(l.tingkat * fw.indicator_weight) / sum(fw.indicator_weight) AS nilai
                FROM levels l
                JOIN framework fw ON fw.indicator_no = l.indikator AND l.tahun BETWEEN fw.first_year AND fw.last_year
                WHERE l.tahun = $year
                GROUP BY ALL
            )
            SELECT {group} AS kelompok_tampil, p.aspect_no, p.aspect, avg(p.nilai) AS rata_rata, count(*) AS n
            FROM per_instansi p JOIN f USING (instansi_id)
            GROUP BY ALL ORDER BY kelompok_tampil, aspect_no
        """  # noqa: S608 - group is an allow-listed column name
        return self._query(sql, params)

    def indicator_means(self, year: int, by: str | None = "kelompok", filters: Filters | None = None) -> pd.DataFrame:
        """Mean level of each indicator per group, with its aspect, its component (komponen_no) and module
        (missing for a framework without modules); empty for component-grain years."""
        group = _group_column(by)
        params = {"year": year, **(filters or Filters()).params()}
        sql = f"""
            WITH f AS ({_FILTERED_SQL})
            SELECT {group} AS kelompok_tampil, fw.indicator_no AS indikator, fw.indicator AS nama_indikator,
                   fw.aspect_no, fw.aspect, fw.komponen_no, fw.modul, avg(l.tingkat) AS rata_rata, count(*) AS n
            FROM levels l
            JOIN f USING (instansi_id)
            JOIN framework fw ON fw.indicator_no = l.indikator AND l.tahun BETWEEN fw.first_year AND fw.last_year
            WHERE l.tahun = $year
            GROUP BY ALL ORDER BY kelompok_tampil, indikator
        """  # noqa: S608 - group is an allow-listed column name
        return self._query(sql, params)

    def instansi_history(self, instansi_id: str) -> pd.DataFrame:
        """Every year an instansi was evaluated: index, predikat, provenance, registry attributes, and the
        framework of the year (`kerangka`, its key) with its index scale (`skala_indeks`): indices of two
        years compare only on one scale, so a view splits where it changes. No component columns: they
        mean other things in other frameworks (`instansi_components` gives them by name)."""
        sql = f"""
            SELECT r.* EXCLUDE ({", ".join(self._all_components)}), k.kerangka, k.skala_indeks
            FROM results_full r JOIN framework_years k ON r.tahun BETWEEN k.first_year AND k.last_year
            WHERE r.instansi_id = $id ORDER BY r.tahun
        """  # noqa: S608 - the component columns are the frameworks' numbered columns
        return self._query(sql, {"id": instansi_id})

    def instansi_components(self, instansi_id: str) -> pd.DataFrame:
        """The component indices of an instansi in every year it was evaluated, long: tahun, komponen_no,
        komponen (its name in the year's framework: a domain, or an aspect), nilai (NaN where unknown)."""
        columns = ", ".join(self._all_components)
        sql = f"""
            WITH mine AS (SELECT tahun, {columns} FROM results WHERE instansi_id = $id),
            long AS (SELECT * FROM mine UNPIVOT INCLUDE NULLS (nilai FOR kolom IN ({columns})))
            SELECT long.tahun, c.komponen_no, c.komponen, long.nilai
            FROM long JOIN components c ON c.kolom = long.kolom AND long.tahun BETWEEN c.first_year AND c.last_year
            ORDER BY long.tahun, c.komponen_no
        """  # noqa: S608 - the component columns are the frameworks' numbered columns
        return self._query(sql, {"id": instansi_id})

    def instansi_levels(self, year: int, instansi_id: str) -> pd.DataFrame:
        """Indicator levels of one instansi in one year, weakest first (empty if none), each with its
        aspect and component (komponen: a domain, or the aspect itself in a framework without domains)."""
        return self._query(
            """
            SELECT l.indikator, fw.indicator AS nama_indikator, fw.aspect, fw.komponen, l.tingkat, l.provenance
            FROM levels l
            JOIN framework fw ON fw.indicator_no = l.indikator AND l.tahun BETWEEN fw.first_year AND fw.last_year
            WHERE l.tahun = $year AND l.instansi_id = $id
            ORDER BY l.tingkat, l.indikator
            """,
            {"year": year, "id": instansi_id},
        )

    def levels(self, year: int) -> pd.DataFrame:
        """Every indicator level of the year with its module (missing for a framework without modules),
        aspect and component; empty for component-grain years."""
        return self._query(
            """
            SELECT l.instansi_id, l.indikator, l.tingkat, fw.modul, fw.aspect_no, fw.komponen_no, l.provenance
            FROM levels l
            JOIN framework fw ON fw.indicator_no = l.indikator AND l.tahun BETWEEN fw.first_year AND fw.last_year
            WHERE l.tahun = $year
            ORDER BY l.instansi_id, l.indikator
            """,
            {"year": year},
        )

    def instansi_list(self) -> pd.DataFrame:
        """Every instansi with results in some year, for pickers: id, nama, kategori."""
        return self._query(
            """
            SELECT DISTINCT i.instansi_id, i.nama, i.kategori
            FROM instansi i SEMI JOIN results r USING (instansi_id) ORDER BY i.nama
            """
        )

    def participants(self, year: int) -> pd.DataFrame:
        """Who an asistensi planned on `year` covers, each with its cohort (predikat).

        For the roster year (2018, the basis of the 2019 programme) the 623 instansi of the
        roster, those without a result in cohort "Belum dievaluasi"; for other years every
        instansi evaluated that year.
        """
        sql = _ROSTER_PARTICIPANTS_SQL if year == ROSTER_YEAR else _PARTICIPANTS_SQL
        columns = ", ".join(f"r.{column}" for column in self.component_columns(year))
        return self._query(sql.replace("$components", columns), {"year": year})

    def roster_2018(self) -> pd.DataFrame:
        """The 623 instansi of the 2019 asistensi roster with registry attributes and host city."""
        return self._query(_ROSTER_SQL)

    def host_cities(self) -> pd.DataFrame:
        """The proposed host city of each province (the default asistensi assignment): kode_provinsi,
        nama_provinsi, kota_penyelenggara."""
        return self._query(
            "SELECT CAST(kode_provinsi AS VARCHAR) AS kode_provinsi, nama_provinsi, kota_penyelenggara "
            "FROM host_city ORDER BY CAST(kode_provinsi AS INTEGER)"
        )

    def framework(self, year: int) -> Framework:
        """The framework (weights, predikat bands, Baik threshold) an evaluation year was scored with."""
        return self.frameworks.for_year(year)

    def _scalar(self, sql: str, params: Params) -> float | None:
        frame = self._query(sql, params)
        value = frame.iloc[0, 0]
        return None if pd.isna(value) else float(value)


def _frozen(params: Params | None) -> tuple[tuple[object, object], ...] | None:
    """A hashable form of query parameters (lists become tuples)."""
    if params is None:
        return None
    items = params.items() if isinstance(params, dict) else enumerate(params)
    return tuple((key, tuple(value) if isinstance(value, list) else value) for key, value in items)


def _group_column(by: str | None) -> str:
    if by is None:
        return "'Semua instansi'"
    if by not in GROUP_COLUMNS:
        raise ValueError(f"Pengelompokan tidak dikenal: {by!r}")
    return by


def _int_or_none(frame: pd.DataFrame, column: str) -> int | None:
    if frame.empty or pd.isna(frame[column].iloc[0]):
        return None
    return int(frame[column].iloc[0])


# The reference files the store reads, each with the renaming of its columns. The files keep the English
# headers they were published with; the store names their columns once, here, as the data is named
# everywhere downstream (tahun, sumber, kelompok, ...), so no query or frame mixes the two languages.
_REFERENCE_TABLES = {
    "national_series": (
        NATIONAL_SERIES_FILE,
        "year AS tahun, framework AS kerangka, national_index AS indeks_nasional, "
        "instansi_evaluated AS instansi_dievaluasi, baik_or_better AS baik_ke_atas, target_index AS target, "
        "source AS sumber",
    ),
    "rpjmn_targets": (
        "rpjmn_targets.csv",
        "plan AS rencana, indicator AS indikator, scale AS kerangka, baseline_year AS tahun_dasar, "
        "baseline AS nilai_dasar, target_year AS tahun, note AS catatan, source AS sumber",
    ),
    "published_2018": (
        "published_figures_2018.csv",
        'year AS tahun, "group" AS kelompok, evaluated AS dievaluasi, share_baik_or_better_pct AS persen_baik_ke_atas, '
        "note AS catatan, source AS sumber",
    ),
    "targets_share_baik": (
        "targets_share_baik.csv",
        'year AS tahun, "group" AS kelompok, target_share_baik_or_better_pct AS target_persen_baik_ke_atas, '
        "reported_realisation AS realisasi_dilaporkan, source AS sumber",
    ),
    "host_city": ("asistensi_kota.csv", ""),  # Indonesian already
    "roster_2018": ("roster_2018.csv", "evaluated_2018 AS dievaluasi_2018, selection AS dasar_pilihan"),
}

_EMPTY_SCHEMAS = {
    # no component columns: the store adds those of its frameworks
    "results": "instansi_id VARCHAR, nama_sumber VARCHAR, indeks DOUBLE, predikat VARCHAR, provenance VARCHAR, "
    "sumber VARCHAR, catatan VARCHAR, tahun BIGINT",
    "levels": "instansi_id VARCHAR, indikator SMALLINT, tingkat TINYINT, provenance VARCHAR, sumber VARCHAR, "
    "tahun BIGINT",
}

# Results with the registry's attributes for the year: the 2018 reporting groups and the
# 34 provinces before 2023, 38 provinces from 2023; from 2023 the category the year's official
# table gave the instansi (the registry's, i.e. today's, for imports without one); the proposed
# host city (by province; instansi without a province go to Jakarta); and the groups the
# 2023-2024 targets for the share at Baik or better are set for.
_RESULTS_VIEW_SQL = """
CREATE VIEW results_full AS
SELECT r.tahun, r.instansi_id, i.nama, r.nama_sumber, coalesce(r.kategori, i.kategori) AS kategori, i.lokus,
       CASE WHEN r.tahun <= $last_2018_framework_year AND i.kelompok_2018 IS NOT NULL THEN i.kelompok_2018
            ELSE coalesce(r.kategori, i.kategori) END AS kelompok,
       CASE WHEN r.tahun < $split THEN i.kode_provinsi_2018 ELSE i.kode_provinsi END AS kode_provinsi,
       CASE WHEN r.tahun < $split THEN i.nama_provinsi_2018 ELSE i.nama_provinsi END AS nama_provinsi,
       i.kode_provinsi AS kode_provinsi_kini,
       coalesce(h.kota_penyelenggara, 'Jakarta') AS kota_penyelenggara,
       CASE WHEN i.lokus = 'Instansi Pusat' THEN 'Instansi Pusat' WHEN i.kategori = 'Provinsi' THEN 'Provinsi'
            ELSE 'Kabupaten/Kota' END AS kelompok_target,
       r.indeks, r.predikat, $components,
       r.provenance, r.sumber, r.catatan
FROM results r
JOIN instansi i USING (instansi_id)
LEFT JOIN host_city h ON CAST(h.kode_provinsi AS VARCHAR) = i.kode_provinsi
"""

_FILTERED_SQL = """
SELECT * FROM results_full
WHERE tahun = $year
  AND ($predikat::VARCHAR[] IS NULL OR list_contains($predikat::VARCHAR[], predikat))
  AND ($kelompok::VARCHAR[] IS NULL OR list_contains($kelompok::VARCHAR[], kelompok))
  AND ($lokus::VARCHAR[] IS NULL OR list_contains($lokus::VARCHAR[], lokus))
  AND ($provinsi::VARCHAR[] IS NULL OR list_contains($provinsi::VARCHAR[], nama_provinsi))
  AND ($kota::VARCHAR[] IS NULL OR list_contains($kota::VARCHAR[], kota_penyelenggara))
  AND ($cari::VARCHAR IS NULL OR contains(lower(nama), lower($cari::VARCHAR))
       OR contains(lower(nama_sumber), lower($cari::VARCHAR)))
"""

# The target of each year: the one its national series row quotes, else the RPJMN's for that year; its scale is
# the one of the framework the target is set on (the series row's year, the RPJMN row's `scale`).
_TARGETS_SQL = """
WITH quoted AS (
    SELECT n.tahun, n.target, k.skala_indeks, n.sumber_target
    FROM national_series n JOIN framework_years k ON n.tahun BETWEEN k.first_year AND k.last_year
    WHERE n.target IS NOT NULL
)
SELECT * FROM quoted
UNION ALL
SELECT t.tahun, t.target, k.skala_indeks, t.sumber_target
FROM rpjmn_targets t JOIN framework_years k USING (kerangka)
WHERE t.tahun NOT IN (SELECT tahun FROM quoted)
ORDER BY tahun
"""

_YEARS_SQL = """
WITH per_instansi AS (
    SELECT tahun, count(*) AS instansi, string_agg(DISTINCT provenance, ',') AS provenances,
           string_agg(DISTINCT sumber, '; ') AS sumber
    FROM results GROUP BY tahun
),
with_levels AS (SELECT DISTINCT tahun FROM levels),
-- A year is there once it has published national figures or any per-instansi results (an import
-- of a year not yet published, such as 2025, is seen at once).
all_years AS (SELECT tahun FROM national_series UNION SELECT tahun FROM per_instansi)
SELECT y.tahun,
       CASE WHEN l.tahun IS NOT NULL THEN 'indicator' WHEN p.tahun IS NOT NULL THEN 'component'
            ELSE 'national' END AS grain,
       p.provenances,
       coalesce(p.instansi, n.instansi_dievaluasi) AS instansi,
       coalesce(p.sumber, n.sumber) AS sumber
FROM all_years y
LEFT JOIN national_series n ON n.tahun = y.tahun
LEFT JOIN per_instansi p ON p.tahun = y.tahun
LEFT JOIN with_levels l ON l.tahun = y.tahun
ORDER BY y.tahun
"""

_ROSTER_SQL = """
SELECT ro.instansi_id, ro.nama_2018, ro.kelompok_2018, ro.dievaluasi_2018,
       i.lokus, i.kode_provinsi_2018 AS kode_provinsi, i.nama_provinsi_2018 AS nama_provinsi,
       coalesce(h.kota_penyelenggara, 'Jakarta') AS kota_penyelenggara
FROM roster_2018 ro
JOIN instansi i USING (instansi_id)
LEFT JOIN host_city h ON CAST(h.kode_provinsi AS VARCHAR) = i.kode_provinsi
ORDER BY ro.instansi_id
"""

_PARTICIPANTS_SQL = """
SELECT r.instansi_id, r.kelompok, r.nama, r.kode_provinsi_kini, r.nama_provinsi, r.indeks, r.predikat,
       $components, r.provenance, r.predikat AS kohort
FROM results_full r WHERE r.tahun = $year ORDER BY r.instansi_id
"""

_ROSTER_PARTICIPANTS_SQL = """
SELECT ro.instansi_id, ro.kelompok_2018 AS kelompok, coalesce(r.nama, i.nama) AS nama,
       i.kode_provinsi AS kode_provinsi_kini, i.nama_provinsi_2018 AS nama_provinsi, r.indeks, r.predikat,
       $components, r.provenance,
       coalesce(r.predikat, 'Belum dievaluasi') AS kohort
FROM roster_2018 ro
JOIN instansi i USING (instansi_id)
LEFT JOIN results_full r ON r.instansi_id = ro.instansi_id AND r.tahun = $year
ORDER BY ro.instansi_id
"""
