"""Importing evaluation results: validate everything, preview, then commit a version.

A file is read (spbe.data.ingest: every sheet holding a results table), every problem is collected
at once (naming file, sheet, row, column, value and what was expected) and the file is refused
as a whole if there is any; nothing is half-imported. What is shown stays small: the first
MAX_PROBLEMS_SHOWN problems, each cut at MAX_PROBLEM_CHARS with quoted values cut at 60
characters, and "… dan N masalah lain" for the rest. Each row belongs to the year the file
states for it (tahun column, sheet name, title); a year the user gives only fills in where the
file states none, and any disagreement is refused, so one year's results never land in another.
A clean file becomes one ParsedImport per year: result rows (and indicator levels for the
indicator shapes) with provenance `impor`, previewed against what the store holds, and
committed together as one new version (spbe.data.versions).

Every shape is read against the year's framework (spbe.model.framework): its indicators, its
components (the domains of the Indeks SPBE, the aspects of a framework without domains) and its
predikat bands with their edge rule. Result rows hold one column per component, komponen_1..n
(spbe.data.datafiles). A file of the other instrument (47 indicators or four domains for 2026,
20 indicators or seven aspects for 2025) is refused in one message naming the year's framework
and what it expects, not in a flood of per-row problems. Instansi whose index lies on a band edge
are listed (`ParsedImport.edge_cases`) and noted in `catatan`, with the side the edge rule puts them.

Indicators another agency scores (framework `scored_by`: for 2026 SDI, SJIG, EPSS and data
interoperability) may come in their own table: another file of the same import or another sheet,
as instansi + indikator + tingkat or instansi + one column per such indicator. Such a table is
joined to the year's main indicator table by instansi. An instansi still without one of them
refuses the import, naming the instansi, the indicator and its agency: its index cannot be
computed, a missing level is never filled in, and a year imported with index-less instansi would
change every count and share of that year on every page. The admin imports again once the
agency's scores are in (the refusal says how).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pandas as pd

from spbe.core.formatting import format_count, format_number
from spbe.core.messages import line_ranges, quoted
from spbe.core.rounding import NOISE_DECIMALS
from spbe.data.datafiles import component_column
from spbe.data.ingest import (
    COMPONENT_ALIASES,
    COMPONENT_SHAPE,
    POSITIONAL_COMPONENT,
    RawTable,
    UnreadableFileError,
    is_component_column,
    levels_long,
    parse_number,
    read_tables,
    row_years,
)
from spbe.data.registry import alias_index, normalise_name
from spbe.model.framework import Framework, Frameworks
from spbe.model.predikat import LOWER, UPPER
from spbe.model.provenance import Provenance
from spbe.model.scoring import RECOMPUTE_TOLERANCE, InvalidLevelsError, Problem, check_results, score_levels

MAX_PROBLEMS_SHOWN = 200  # a page or terminal shows these; the total is always said
MAX_PROBLEM_CHARS = 500  # a problem longer than this is cut: no message may flood the page
SUGGESTIONS = 3  # closest registry names offered for an unknown instansi; never applied automatically
SUGGESTED_NAMES = 20  # unknown names that get suggestions (~50 ms each); later ones are rarely read

# How scoring names an instansi in its messages; greedy, as a name may itself hold " tahun ".
_SCORED_INSTANSI = re.compile(r"instansi (.+) tahun ")
# What the edge rule does with an index exactly on an edge, as a note says it.
_EDGE_RULE_TEXT = {
    UPPER: "nilai tepat di batas masuk predikat atas",
    LOWER: "nilai tepat di batas masuk predikat bawah",
}


class ImportRejected(ValueError):
    """The file cannot be imported; `problems` lists every reason (Indonesian, with location)."""

    def __init__(self, problems: list[str], total: int | None = None):
        self.problems = [
            p if len(p) <= MAX_PROBLEM_CHARS else p[:MAX_PROBLEM_CHARS] + "…" for p in problems[:MAX_PROBLEMS_SHOWN]
        ]
        self.total = total if total is not None else len(problems)
        rest = self.total - len(self.problems)
        more = f"\n… dan {format_count(rest)} masalah lain" if rest > 0 else ""
        super().__init__(f"{format_count(self.total)} masalah:\n" + "\n".join(self.problems) + more)


@dataclass
class ParsedImport:
    """One evaluation year of an import file, validated: what a version stores for that year."""

    file_name: str  # the files the year comes from, comma-separated
    sha256: str
    year: int
    shape: str  # a key of spbe.data.ingest.framework_shapes: panjang, lebar, or the component level (domain, aspek)
    framework: Framework
    # instansi_id, nama_sumber, indeks, predikat, komponen_1..n (the framework's components), provenance,
    # sumber, catatan
    results: pd.DataFrame
    levels: pd.DataFrame | None  # instansi_id, indikator, tingkat, provenance, sumber (indicator shapes)
    rows_read: int
    sheets: list[str] = field(default_factory=list)  # the sheets the year comes from (none for a CSV)
    # Instansi whose index lies on a predikat band edge, each with the side its predikat is on and why
    edge_cases: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    """A whole import file: one ParsedImport per year it holds, committed together as one version."""

    file_name: str  # the file, or the files of one import comma-separated
    sha256: str  # of the file; of several, the SHA-256 of their SHA-256s (hex, one a line, in order)
    years: list[ParsedImport]  # ascending by year
    skipped: list[str]  # "lembar Catatan dilewati: tidak ada tabel hasil", "baris 9 dilewati: baris kosong"


def parse_import(
    data: bytes,
    file_name: str,
    registry: pd.DataFrame,
    frameworks: Frameworks,
    year: int | None = None,
    who: str = "admin",
    now: datetime | None = None,
) -> ParsedFile:
    """Read and validate an uploaded file, every sheet and year of it, against the `registry` of
    instansi and the evaluation `frameworks`; raise ImportRejected with every problem found.
    `year` applies where the file states no year and must agree where it does."""
    return parse_files([(data, file_name)], registry, frameworks, year, who, now)


def parse_files(
    files: Sequence[tuple[bytes, str]],
    registry: pd.DataFrame,
    frameworks: Frameworks,
    year: int | None = None,
    who: str = "admin",
    now: datetime | None = None,
) -> ParsedFile:
    """`parse_import` of several files (data, name) imported together as one: each year's tables from
    all of them, so that a file of indicators another agency scores joins the main file of its year."""
    component_names = {name for framework in frameworks for name in framework.components["name"]}
    tables, skipped_sheets, unreadable = [], [], []
    for data, file_name in files:
        try:
            found, skipped = read_tables(data, file_name, component_names)
        except UnreadableFileError as error:
            unreadable += str(error).splitlines()
            continue
        tables += found
        skipped_sheets += [(file_name, sheet) for sheet in skipped]
    if unreadable:
        raise ImportRejected(unreadable)
    problems: list[str] = []
    by_year: dict[int, list[RawTable]] = {}
    for table in tables:
        years, more = row_years(table, year)  # rows keep the file's own year even in a conflict, to check them
        problems += more
        for value in sorted(years.dropna().unique()):
            rows = table.frame[years.eq(value).fillna(False).to_numpy()].reset_index(drop=True)
            by_year.setdefault(int(value), []).append(replace(table, frame=rows))
    aliases = alias_index(registry)
    hashes = [hashlib.sha256(data).hexdigest() for data, _ in files]
    sha = hashes[0] if len(hashes) == 1 else hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    file_name = ", ".join(name for _, name in files)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    source = f"Impor {file_name} oleh {who}, {stamp}"
    parts, notes = [], []
    for value, year_tables in sorted(by_year.items()):
        part, more, unused = _parse_year(value, year_tables, aliases, registry, sha, frameworks)
        problems += more
        notes += unused
        parts += [part] if part is not None else []
    if problems:
        raise ImportRejected(problems)
    for part in parts:
        part.results = part.results.assign(provenance=Provenance.IMPOR.value, sumber=source)
        if part.levels is not None:
            part.levels = part.levels.assign(provenance=Provenance.IMPOR.value, sumber=source)
    several = len(files) > 1  # then every note names its file
    skipped = [
        f"{f'{name}, ' if several else ''}lembar {sheet} dilewati: tidak ada tabel hasil"
        for name, sheet in skipped_sheets
    ]
    skipped += [f"{_place(table, line, several)} dilewati: {why}" for table in tables for line, why in table.skipped]
    return ParsedFile(file_name, sha, parts, skipped + notes)


def _place(table: RawTable, line: int, with_file: bool) -> str:
    if with_file:
        return table.where(line)
    return f"lembar {table.sheet}, baris {line}" if table.sheet else f"baris {line}"


def _parse_year(
    year: int,
    tables: list[RawTable],
    aliases: dict[str, str],
    registry: pd.DataFrame,
    sha: str,
    frameworks: Frameworks,
) -> tuple[ParsedImport | None, list[str], list[str]]:
    """One year's ParsedImport from its tables (one per sheet and file), or its problems; and notes
    on what was read but not used (agency scores of an instansi the main table does not hold)."""
    where = "; ".join(dict.fromkeys(t.where(None) for t in tables))
    try:
        framework = frameworks.for_year(year)
    except ValueError as error:
        return None, [f"{where}: {error}"], []
    main, agency = _split_agency(tables, framework)
    if not main:
        numbers = ", ".join(map(str, _agency_numbers(framework)))
        return (
            None,
            [
                f"{where}: tahun {year} hanya berisi indikator yang dinilai instansi lain ({numbers}); "
                "impor bersama berkas atau lembar hasil utamanya"
            ],
            [],
        )
    shapes = {t.shape for t in main}
    if len(shapes) > 1:
        said = "; ".join(f"lembar {t.sheet}: {_shape_name(t.shape, framework)}" for t in main)
        return None, [f"{main[0].file_name}: lembar tahun {year} berbeda bentuk ({said}); satu bentuk per tahun"], []
    raw_shape = shapes.pop()
    wrong = _wrong_instrument(year, main, framework, frameworks)
    if wrong:
        return None, wrong, []
    if agency and raw_shape == COMPONENT_SHAPE:
        return (
            None,
            [
                f"{'; '.join(t.where(None) for t in agency)}: nilai indikator yang dinilai instansi lain hanya "
                f"digabung dengan tingkat indikator; hasil tahun {year} berbentuk {framework.component_label} "
                "sudah memuatnya"
            ],
            [],
        )
    agency_levels, problems = _agency_levels(agency, framework, aliases, registry)
    results, levels, ids_of, used = [], [], [], set()
    for table in main:
        ids, more = _resolve(table, aliases, registry)
        problems += more
        if table.shape == COMPONENT_SHAPE:
            table_results, more = _component_results(table, framework, ids)
        else:
            table_results, table_levels, more, joined = _level_results(table, framework, ids, year, agency_levels)
            levels.append(table_levels)
            used |= joined
        problems += more + _duplicates(table, ids)
        results.append(table_results)
        ids_of.append(ids)
    problems += _repeated_across_sheets(main, ids_of, year)
    if problems:
        return None, problems, []
    shape = framework.component_label if raw_shape == COMPONENT_SHAPE else raw_shape
    combined, edge_cases = _edge_cases(pd.concat(results, ignore_index=True), framework, raw_shape)
    unused = agency_levels[~agency_levels["instansi_id"].isin(used)]
    notes = [
        f"{place} tidak dipakai: nilai instansi {quoted(name)} yang tidak ada di hasil utama tahun {year}"
        for (name, place) in unused[["nama", "tempat"]].drop_duplicates().itertuples(index=False)
    ]
    return (
        ParsedImport(
            ", ".join(dict.fromkeys(t.file_name for t in tables)),
            sha,
            year,
            shape,
            framework,
            combined,
            None if raw_shape == COMPONENT_SHAPE else pd.concat(levels, ignore_index=True),
            rows_read=sum(len(t.frame) for t in tables),
            sheets=[t.sheet for t in tables if t.sheet],
            edge_cases=edge_cases,
        ),
        [],
        notes,
    )


def _shape_name(shape: str, framework: Framework) -> str:
    return framework.component_label if shape == COMPONENT_SHAPE else shape


def _agency_numbers(framework: Framework) -> list[int]:
    """The indicators another agency scores (framework `scored_by`)."""
    table = framework.indicators
    return [int(number) for number in table.loc[table["scored_by"].notna(), "indicator_no"]]


def _indicator_numbers(table: RawTable) -> set[int]:
    """The whole indicator numbers an indicator table holds (other cells are for scoring to judge)."""
    numbers = levels_long(table)["indikator"].map(parse_number).dropna()
    return {int(n) for n in numbers.unique() if n == round(n) and 1 <= n < 1000}


def _split_agency(tables: list[RawTable], framework: Framework) -> tuple[list[RawTable], list[RawTable]]:
    """(main tables, agency tables): an agency table holds indicator levels of agency-scored indicators only."""
    agency_numbers = set(_agency_numbers(framework))
    agency = [
        t
        for t in tables
        if agency_numbers
        and t.shape != COMPONENT_SHAPE
        and (found := _indicator_numbers(t))
        and found <= agency_numbers
    ]
    return [t for t in tables if not any(t is a for a in agency)], agency


def _years_of(framework: Framework) -> str:
    if framework.last_year is None:
        return f"mulai tahun {framework.first_year}"
    return f"tahun {framework.first_year}-{framework.last_year}"


def _expects(year: int, framework: Framework) -> str:
    """What the year's framework asks of a file, for a refusal."""
    n, components = len(framework.indicators), framework.components
    return (
        f"Tahun {year} dinilai dengan {framework.title}: {n} indikator (1-{n}) dalam {len(components)} "
        f"{framework.component_label} ({', '.join(components['name'])})"
    )


def _wrong_instrument(year: int, tables: list[RawTable], framework: Framework, frameworks: Frameworks) -> list[str]:
    """One refusal per table that holds exactly another framework's indicators or components."""
    problems = []
    others = [f for f in reversed(frameworks.all) if f is not framework]  # the most recent named first
    for table in tables:
        if table.shape == COMPONENT_SHAPE:
            found, _ = _component_columns(table, framework)
            if len(found) == len(framework.components):
                continue
            names = {name for other in frameworks for name in other.components["name"]}
            columns = {c for c in table.frame.columns if is_component_column(c, names)}
            match = next((f for f in others if _holds_exactly(table, f, columns)), None)
            if match is None:
                continue
            said = f"indeks {len(match.components)} {match.component_label} ({', '.join(match.components['name'])})"
        else:
            numbers = _indicator_numbers(table)
            count = len(numbers)  # 1..count each present: another framework's whole set, or no claim
            complete = count != len(framework.indicators) and numbers == set(range(1, count + 1))
            match = next((f for f in others if complete and len(f.indicators) == count), None)
            if match is None:
                continue
            said = f"{count} indikator (1-{count})"
        problems.append(
            f"{table.where(None)}: instrumen lain. {_expects(year, framework)}; berkas ini berisi {said}, "
            f"seperti {match.title} ({_years_of(match)}). Periksa tahunnya atau berkasnya."
        )
    return problems


def _holds_exactly(table: RawTable, framework: Framework, columns: set[str]) -> bool:
    """Whether the table's component columns are exactly the framework's components, each once."""
    found, _ = _component_columns(table, framework)
    return len(found) == len(framework.components) and set(found.values()) == columns


def _resolve(table: RawTable, aliases: dict[str, str], registry: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Registry id of every row's instansi; unknown names get the closest names as suggestions."""
    names = table.frame["instansi"]
    ids = names.map(lambda n: aliases.get(normalise_name(n)))
    problems = []
    known_names = None
    # One problem per name, with all its lines (a long file repeats a name on every indicator row)
    for name, lines in table.frame.loc[ids.isna(), "_baris"].groupby(names[ids.isna()], sort=False):
        if not name:
            problems.append(f"{table.where_lines(lines, 'instansi')}: nama instansi kosong")
            continue
        known_names = known_names or list(index_names(registry))
        close = (
            difflib.get_close_matches(name, known_names, n=SUGGESTIONS, cutoff=0.6)
            if len(problems) < SUGGESTED_NAMES
            else []
        )
        hint = f"; mungkin maksudnya: {'; '.join(close)}" if close else ""
        problems.append(
            f"{table.where_lines(lines, 'instansi')}, nilai {quoted(name)}: instansi tidak dikenal dalam registri{hint}"
        )
    return ids, problems


def _repeated_across_sheets(tables: list[RawTable], ids_of: list[pd.Series], year: int) -> list[str]:
    """An instansi of one year in two sheets: which row counts is not for the importer to guess."""
    found: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for table, ids in zip(tables, ids_of, strict=True):
        frame = table.frame.assign(_id=ids)
        for instansi_id, group in frame[frame["_id"].notna()].groupby("_id", sort=False):
            found.setdefault(instansi_id, []).append(f"lembar {table.sheet}, baris {line_ranges(group['_baris'])}")
            names.setdefault(instansi_id, group["instansi"].iloc[0])
    return [
        f"{tables[0].file_name}, kolom instansi, nilai {quoted(names[i])}: instansi tahun {year} tercantum "
        f"di lebih dari satu lembar ({'; '.join(places)})"
        for i, places in found.items()
        if len(places) > 1
    ]


def index_names(registry: pd.DataFrame) -> set[str]:
    return {alias for aliases in registry["aliases"] for alias in aliases}


def _duplicates(table: RawTable, ids: pd.Series) -> list[str]:
    """An instansi listed twice (component shape), or an indicator twice (handled by scoring)."""
    if table.shape != COMPONENT_SHAPE:
        return []
    frame = table.frame.assign(_id=ids)
    repeated = frame[frame["_id"].notna() & frame["_id"].duplicated(keep=False)]
    return [
        f"{table.where(int(group['_baris'].iloc[-1]), 'instansi')}, nilai {quoted(group['instansi'].iloc[0])}: "
        f"instansi tercantum lebih dari sekali (baris {line_ranges(group['_baris'])})"
        for _, group in repeated.groupby("_id")
    ]


def _component_columns(table: RawTable, framework: Framework) -> tuple[dict[int, str], list[str]]:
    """(component no -> column of the file, positional columns beyond the framework's components).

    A component is found by name (a domain spelling such as Kebijakan, or the framework's own name of
    it) or by position: d1..dN for domains, a1..aN for aspects, k1..kN for the components of any."""
    components = framework.components
    by_name = {str(name): int(no) for name, no in zip(components["name"], components["no"], strict=True)}
    letters = {framework.component_label[0], "k"}
    found: dict[int, str] = {}
    beyond = []
    for column in table.frame.columns:
        name = COMPONENT_ALIASES.get(column, column)
        position = POSITIONAL_COMPONENT.fullmatch(column)
        if name in by_name:
            found[by_name[name]] = column
        elif position and position[1] in letters and int(position[2]) in by_name.values():
            found.setdefault(int(position[2]), column)
        elif position and position[1] in letters:
            beyond.append(column)
    return found, beyond


def _component_results(table: RawTable, framework: Framework, ids: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """The result rows of a component-shape table and their problems; each row's index and predikat are
    checked as the official tables are (spbe.model.scoring.check_results)."""
    problems = []
    label = framework.component_label
    columns, beyond = _component_columns(table, framework)
    for number, name in zip(framework.components["no"], framework.components["name"], strict=True):
        if number not in columns:
            problems.append(
                f"{table.where(None)}: kolom {label} {name} tidak ada (judul kolom: namanya, "
                f"{label[0]}{number} atau k{number})"
            )
    for column in beyond:
        if table.frame[column].str.strip().ne("").any():  # an empty spare column is no claim
            problems.append(
                f"{table.where(None, column)}: {framework.title} hanya memiliki {len(framework.components)} {label}"
            )
    if "predikat" not in table.frame.columns:
        problems.append(f"{table.where(None)}: kolom predikat tidak ada")
    if problems:
        return pd.DataFrame(), problems
    records = table.frame.to_dict("records")
    bands = framework.bands
    values: dict[str | int, pd.Series] = {
        "indeks": pd.Series([parse_number(r["indeks"]) for r in records], dtype="float64"),
        "predikat": pd.Series([r["predikat"].strip() for r in records], dtype=object),
    }
    for number, column in columns.items():  # check_results reads the components by their number
        values[number] = pd.Series([parse_number(r[column]) for r in records], dtype="float64")
    parsed = pd.DataFrame(values)
    scorable = parsed["indeks"].between(bands.index_min, bands.index_max)
    checked = check_results(parsed[scorable], framework)
    rows = []
    for position, record in enumerate(records):
        line = record["_baris"]
        indices = {no: parse_number(record[column]) for no, column in columns.items()}
        for no, column in columns.items():
            value = indices[no]
            if value is None and record[column]:
                problems.append(f"{table.where(line, column)}, nilai {quoted(record[column])}: bukan angka")
            elif value is not None and not 0 <= value <= 5:
                # Below 1 is real: indicators can score 0 (2023, Kab. Banyuasin, Layanan 0,30)
                problems.append(
                    f"{table.where(line, column)}, nilai {quoted(record[column])}: indeks {label} harus 0-5"
                )
        if not scorable.iloc[position]:
            problems.append(
                f"{table.where(line, 'indeks')}, nilai {quoted(record['indeks'])}: "
                f"indeks harus angka {bands.index_min:g}-{bands.index_max:g}"
            )
            continue
        check = checked.loc[position]
        if check["selisih"] > RECOMPUTE_TOLERANCE:
            problems.append(
                f"{table.where(line, 'indeks')}, nilai {quoted(record['indeks'])}: tidak sesuai indeks {label}nya "
                f"(dihitung {format_number(check['indeks_hitung'], 3)}; "
                f"selisih lebih dari {format_number(RECOMPUTE_TOLERANCE, 3)})"
            )
        predikat = check["predikat"]
        if predikat not in bands.names:
            problems.append(
                f"{table.where(line, 'predikat')}, nilai {quoted(predikat)}: bukan predikat ({', '.join(bands.names)})"
            )
        elif not check["predikat_sesuai"]:
            problems.append(
                f"{table.where(line, 'predikat')}, nilai {quoted(predikat)}: indeks {record['indeks']} "
                f"berpredikat {check['predikat_indeks']}"
            )
        rows.append(
            {
                "instansi_id": ids.iloc[position],
                "nama_sumber": record["instansi"],
                "indeks": check["indeks"],
                "predikat": predikat,
                **{component_column(no): indices.get(no) for no in framework.components["no"]},
                "indeks_hitung": check["indeks_hitung"],  # for the edge cases (`_edge_cases`), not stored
                "catatan": None,
            }
        )
    frame = pd.DataFrame(rows)
    if problems:
        return frame, problems
    return frame.astype({component_column(no): "float64" for no in framework.components["no"]}), problems


def _level_results(
    table: RawTable, framework: Framework, ids: pd.Series, year: int, agency: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], set[str]]:
    """Score the levels with the engine, with the `agency` levels (`_agency_levels`) of its instansi
    joined; its problems are reported with the file's lines. Also: the instansi agency levels joined.

    An unknown instansi is scored under its name (marked "?"), so that its other problems,
    such as missing indicators, are reported beside "tidak dikenal"; a row without a name
    has its own problem already and stays out.
    """
    long = levels_long(table)
    long["tahun"] = str(year)
    keys = [f"?{name}" if pd.isna(i) else i for i, name in zip(ids, table.frame["instansi"], strict=True)]
    long["instansi_id"] = long["_baris"].map(dict(zip(table.frame["_baris"], keys, strict=True)))
    # An empty cell of an agency-scored indicator waits for the agency's table: it is joined or reported
    blank = long["indikator"].map(parse_number).isin(_agency_numbers(framework)) & long["tingkat"].str.strip().eq("")
    named = long[long["instansi"].str.strip().ne("") & ~blank]
    names = dict(zip(named["instansi_id"], named["instansi"], strict=False))
    joined, problems, missing = _join_agency(table, named, agency, framework, year, names)
    scoring_input = pd.concat([named, joined], ignore_index=True)
    scoring_input = scoring_input.assign(instansi=scoring_input["instansi_id"])
    try:
        scores = score_levels(scoring_input, framework)
    except InvalidLevelsError as invalid:
        # An instansi missing only agency indicators is reported above, by name and agency
        reported = {f"indikator belum diisi untuk instansi {key} tahun {year}: {numbers}" for key, numbers in missing}
        problems += [
            f"{table.where(p.row, p.column)}, nilai {quoted(names.get(p.value, p.value))}: "
            f"{_name_ids(p.message, names)}"
            for p in invalid.problems
            if not _is_reported(p, reported)
        ]
    if problems:
        return pd.DataFrame(), None, problems, set()
    results = scores.index.rename(columns={"instansi": "instansi_id"}).drop(columns="tahun")
    results["nama_sumber"] = results["instansi_id"].map(names)
    for number, name in zip(framework.components["no"], scores.components.columns, strict=True):
        results[component_column(int(number))] = scores.components[name].to_numpy()
    results["indeks_hitung"] = results["indeks"]  # exact from the levels (`_edge_cases`), not stored
    results["catatan"] = None
    levels = pd.DataFrame(
        {
            "instansi_id": scoring_input["instansi_id"].to_numpy(),
            "indikator": pd.to_numeric(scoring_input["indikator"]).astype("int16").to_numpy(),
            "tingkat": pd.to_numeric(scoring_input["tingkat"]).astype("int8").to_numpy(),
        }
    )
    return results, levels, [], set(joined["instansi_id"])


def _is_reported(problem: Problem, reported: set[str]) -> bool:
    return problem.column == "indikator" and problem.message in reported


def _join_agency(
    table: RawTable, named: pd.DataFrame, agency: pd.DataFrame, framework: Framework, year: int, names: dict[str, str]
) -> tuple[pd.DataFrame, list[str], list[tuple[str, str]]]:
    """The agency levels to add to a main table's rows (`named`, long, with instansi_id), the problems
    (an indicator valued differently in both; an instansi still without an agency indicator) and the
    instansi reported missing agency indicators, with the numbers scoring would name (key, "5, 18")."""
    numbers = _agency_numbers(framework)
    first_line = named.groupby("instansi_id", sort=False)["_baris"].min()
    indicator = named["indikator"].map(parse_number)
    own = named[indicator.isin(numbers)]
    present = {
        (key, int(n)): (level, line)
        for key, n, level, line in zip(
            own["instansi_id"], indicator[own.index], own["tingkat"], own["_baris"], strict=True
        )
    }
    offered = agency[agency["instansi_id"].isin(first_line.index)]
    rows, problems = [], []
    for record in offered.to_dict("records"):
        key, number = record["instansi_id"], record["indikator"]
        if (key, number) in present:
            level, line = present[(key, number)]
            if parse_number(level) != record["tingkat"]:
                problems.append(
                    f"{table.where(line, 'tingkat')}, nilai {quoted(level)}: indikator {number} instansi "
                    f"{names[key]} bernilai {record['tingkat']} di {record['tempat']}; satu nilai per indikator"
                )
            continue
        line = int(first_line[key])  # a problem scoring finds with the instansi is placed on its first row
        rows.append((str(year), names[key], str(number), str(record["tingkat"]), line, key))
    joined = pd.DataFrame(rows, columns=["tahun", "instansi", "indikator", "tingkat", "_baris", "instansi_id"])
    have = {(key, int(n)) for key, n in zip(joined["instansi_id"], joined["indikator"], strict=True)} | set(present)
    indicators = framework.indicators.set_index("indicator_no")
    missing, lines = [], []
    for key, line in first_line.items():
        absent = [n for n in numbers if (key, n) not in have]
        if absent and not str(key).startswith("?"):  # an unknown name has its own problem already
            missing.append((str(key), ", ".join(map(str, absent))))
            said = "; ".join(
                f"{n} {indicators.at[n, 'indicator']} (dinilai {indicators.at[n, 'scored_by']})" for n in absent
            )
            lines.append(
                f"{table.where(line, 'instansi')}, nilai {quoted(names[key])}: belum ada nilai indikator {said}"
            )
    if lines:
        columns = ", ".join(f"I{n}" for n in numbers)
        problems.append(
            f"{table.where(None)}: {format_count(len(lines))} instansi tahun {year} tanpa nilai indikator yang dinilai "
            "instansi lain; indeksnya tidak dapat dihitung dan tidak ada nilai yang diisikan. Impor bersama berkas "
            f"atau lembar nilai instansi penilai (instansi, indikator, tingkat; atau instansi dan kolom {columns})"
        )
    return joined, problems + lines, missing


def _agency_levels(
    tables: list[RawTable], framework: Framework, aliases: dict[str, str], registry: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """The levels of the agency tables (instansi_id, nama, indikator, tingkat, tempat) and their problems.

    An empty level is a score not (yet) given: left out here, so that it is reported as missing."""
    numbers = set(_agency_numbers(framework))
    rows, problems = [], []
    for table in tables:
        ids, more = _resolve(table, aliases, registry)
        problems += more
        id_of = dict(zip(table.frame["_baris"], ids, strict=True))
        for record in levels_long(table).to_dict("records"):
            line, text = record["_baris"], record["tingkat"].strip()
            if pd.isna(id_of[line]) or not text:
                continue
            number, level = parse_number(record["indikator"]), parse_number(text)
            if number not in numbers:  # an indicator number that is no number: the rest are agency numbers
                problems.append(
                    f"{table.where(line, 'indikator')}, nilai {quoted(record['indikator'])}: bukan indikator yang "
                    f"dinilai instansi lain ({', '.join(map(str, sorted(numbers)))})"
                )
            elif level is None or level != round(level) or not 1 <= level <= 5:
                why = "tingkat bukan angka" if level is None else "bukan tingkat bulat 1-5"
                problems.append(f"{table.where(line, 'tingkat')}, nilai {quoted(text)}: {why}")
            else:
                rows.append((id_of[line], record["instansi"], int(number), int(level), table.where(line)))
    levels = pd.DataFrame(rows, columns=["instansi_id", "nama", "indikator", "tingkat", "tempat"])
    for (_, number), group in levels[levels.duplicated(["instansi_id", "indikator"], keep=False)].groupby(
        ["instansi_id", "indikator"], sort=False
    ):
        problems.append(
            f"indikator {number} instansi {group['nama'].iloc[0]} tercantum lebih dari sekali "
            f"({'; '.join(group['tempat'])})"
        )
    return levels, problems


def _edge_cases(results: pd.DataFrame, framework: Framework, shape: str) -> tuple[pd.DataFrame, list[str]]:
    """The results with a note (`catatan`) on each instansi whose index lies on a predikat band edge, and
    those notes with the instansi's name: the edge cases an import lists.

    From indicator levels the index is exact: it is on an edge when equal to it, and the framework's
    edge rule put it on one side. From component indices printed to two decimals it is only known
    within RECOMPUTE_TOLERANCE (check_results' `di_batas`), and the file's predikat stands."""
    bands, label = framework.bands, framework.component_label
    exact = shape != COMPONENT_SHAPE
    tolerance = 0.0 if exact else RECOMPUTE_TOLERANCE
    caveat = f"; {framework.title} {framework.caveat}" if framework.caveat else ""
    notes, catatan = [], results["catatan"].copy()
    for position, row in enumerate(results.itertuples(index=False)):
        value = round(float(row.indeks_hitung), NOISE_DECIMALS)
        edge = next((e for e in bands.lower_edges if abs(value - e) <= tolerance), None)
        if edge is None:
            continue
        rank = bands.lower_edges.index(edge)
        between = f"{bands.names[rank]} dan {bands.names[rank + 1]} ({format_number(edge)})"
        if exact:
            note = (
                f"indeks {format_number(value, 4)} tepat di batas {between}: {row.predikat} menurut aturan batas "
                f"{framework.title} ({_EDGE_RULE_TEXT[bands.edge_rule]}){caveat}"
            )
        else:
            note = (
                f"indeks {format_number(row.indeks)} dihitung ulang dari indeks {label}nya "
                f"{format_number(value, 4)}, di batas {between}: predikat {row.predikat} dari berkas berlaku"
            )
        catatan.iloc[position] = note
        notes.append(f"{row.nama_sumber}: {note}")
    return results.assign(catatan=catatan).drop(columns="indeks_hitung"), notes


def _name_ids(message: str, names: dict[str, str]) -> str:
    """Scoring speaks of instansi ids ("instansi 35.78 tahun 2021"); say the names the file used instead.
    One look-up per message: a file may hold thousands of names."""
    return _SCORED_INSTANSI.sub(lambda found: f"instansi {names.get(found[1], found[1])} tahun ", message, count=1)
