"""The cells of an uploaded CSV or XLSX as rows of text, read with bounded work (the child process).

Small files can hold enormous work. An XLSX is a ZIP of XML: 50 KB unpack to one row of 11,5
million cells, to a styles.xml of a million styles, or to 300 cells that each point at one 1 MB
string; one 20 MB CSV row can hold seven million cells. So reading is bounded twice:

- spbe.data.ingest runs this module in a child process (`main`), with a memory limit (RLIMIT_AS) and
  a timeout, and gets plain rows back as JSON: whatever a file does, the server's memory stays
  as it was, and a parse that never ends is killed.
- The reading streams and counts as it goes (rows, cells, characters, XML elements) and stops at
  the first limit passed. Of an XLSX it reads only what a table needs, with expat: the workbook,
  its relationships, the shared strings and the worksheets; styles, drawings and the rest are
  never parsed. A DTD is refused (an XLSX never holds one), so no entity is expanded or fetched.

Every cell comes back as text ("" when empty), as Excel stores it (numbers "3", "3.12"); formulas
give their saved value and are never evaluated. A cell longer than MAX_CELL_CHARS is a problem
naming its rows and column. The child imports only the standard library, so it starts in
milliseconds; its messages are Indonesian templates whose integers the caller formats as counts
(spbe.core.formatting, `Refused.lines`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import resource
import sys
import zipfile
from collections.abc import Callable
from posixpath import basename, dirname, join, normpath
from xml.parsers import expat

from spbe.core.messages import line_ranges

MAX_FILE_BYTES = 20 * 1024 * 1024  # the biggest real export (600 instansi x 47 levels) is ~2 MB
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX is a ZIP: refuse bombs before parsing
MAX_SHEETS = 30
MAX_ROWS = 100_000  # 47 indicators x 2,000 instansi
MAX_COLUMNS = 200  # CSV: refused beyond; XLSX: not kept beyond (but counted as read)
MAX_CELLS = 1_000_000  # every cell read, kept or not; 100.000 rows of a long table hold 400.000
MAX_CELL_CHARS = 1_000  # the longest instansi name has under 100 characters
MAX_TEXT_CHARS = MAX_FILE_BYTES  # text kept in all cells together: no more than a CSV at the size limit
MAX_XML_ELEMENTS = 3 * MAX_CELLS  # a cell is two elements (c, v), a shared string two more (si, t)
EXCEL_COLUMNS = 16_384  # a row of more cells than Excel has columns is no worksheet


class Refused(Exception):
    """Why a file cannot be read: lines of (Indonesian template, values); integer values are counts,
    formatted by the caller."""

    def __init__(self, lines: list[tuple[str, dict[str, object]]]):
        super().__init__(lines)
        self.lines = lines


def refuse(template: str, **values: object) -> Refused:
    return Refused([(template, values)])


def column_letter(number: int) -> str:
    """1 -> "A", 28 -> "AB": columns as a spreadsheet names them."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Budget:
    """What has been read so far, against the limits; cells too long to keep are noted, not kept."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.cells = self.chars = self.elements = 0
        self.long: dict[tuple[str | None, int], list[int]] = {}  # (sheet, column) -> [longest, line, line, ...]

    def row(self, sheet: str | None, line: int) -> None:
        if line > MAX_ROWS:
            where = f"{self.file_name}, lembar {sheet}" if sheet else self.file_name
            raise refuse(
                "{tempat}: lebih dari {batas} baris; bagi berkas per tahun atau per wilayah",
                tempat=where,
                batas=MAX_ROWS,
            )

    def cell(self, sheet: str | None, line: int, column: int, text: str, length: int) -> str:
        """The text to keep of a cell of `length` characters (`text` may hold only its start)."""
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise refuse(
                "{berkas}: lebih dari {batas} sel; bagi berkas per tahun atau per wilayah",
                berkas=self.file_name,
                batas=MAX_CELLS,
            )
        if length > MAX_CELL_CHARS:
            noted = self.long.setdefault((sheet, column), [0])
            noted[0] = max(noted[0], length)
            noted.append(line)
            return ""
        self.text(length)
        return text

    def text(self, length: int) -> None:
        self.chars += length
        if self.chars > MAX_TEXT_CHARS:
            raise refuse(
                "{berkas}: lebih dari {batas} karakter teks; bagi berkas per tahun atau per wilayah",
                berkas=self.file_name,
                batas=MAX_TEXT_CHARS,
            )

    def too_complex(self) -> Refused:
        return refuse(
            "{berkas}: XLSX terlalu rumit (lebih dari {batas} unsur XML); simpan ulang hanya tabelnya",
            berkas=self.file_name,
            batas=MAX_XML_ELEMENTS,
        )

    def check_long_cells(self) -> None:
        """Every column holding cells too long to be a result, with its rows: one problem each."""
        lines: list[tuple[str, dict[str, object]]] = []
        for (sheet, column), (longest, *rows) in self.long.items():
            where = ", ".join(
                [
                    self.file_name,
                    *([f"lembar {sheet}"] if sheet else []),
                    f"baris {line_ranges(rows)}",
                    f"kolom {column_letter(column)}",
                ]
            )
            lines.append(
                (
                    "{tempat}: sel lebih panjang dari {batas} karakter (terpanjang {panjang} karakter); "
                    "isi sel sepanjang itu bukan hasil evaluasi",
                    {"tempat": where, "batas": MAX_CELL_CHARS, "panjang": longest},
                )
            )
        if lines:
            raise Refused(lines)


# ---------------------------------------------------------------- CSV


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)


def decode(data: bytes, file_name: str) -> str:
    """CSV bytes as text, by what the bytes show; refused naming the encoding found otherwise."""
    encoding, label = next(
        ((codec, name) for bom, codec, name in _BOMS if data.startswith(bom)),
        _bomless_utf16(data) or ("utf-8", "UTF-8"),
    )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise refuse(
                "{berkas}: berkas ber-encoding {encoding}, tetapi rusak di bita {posisi}; "
                "simpan ulang sebagai CSV UTF-8",
                berkas=file_name,
                encoding=label,
                posisi=error.start,
            ) from error
        try:  # not UTF-8: Excel on Windows writes its ANSI code page, Windows-1252
            text, label = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise refuse(
                "{berkas}: bukan teks UTF-8, UTF-16 maupun Windows-1252 (bita {bita} di posisi {posisi}); "
                "simpan ulang sebagai CSV UTF-8",
                berkas=file_name,
                bita=f"0x{data[error.start]:02X}",
                posisi=error.start,
            ) from error
    if "\x00" in text:
        raise refuse(
            "{berkas}: berisi karakter NUL setelah dibaca sebagai {encoding}: berkas biner, bukan tabel CSV; "
            "simpan ulang sebagai CSV UTF-8",
            berkas=file_name,
            encoding=label,
        )
    return text


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte, odd (LE) or even (BE)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if pairs and odd >= pairs / 4 and even <= pairs / 20:
        return "utf-16-le", "UTF-16 LE"
    if pairs and even >= pairs / 4 and odd <= pairs / 20:
        return "utf-16-be", "UTF-16 BE"
    return None


def csv_rows(data: bytes, file_name: str) -> list[list[str]]:
    text = decode(data, file_name)
    sample = text[:4096]
    counts = {delimiter: sample.count(delimiter) for delimiter in (",", ";", "\t")}
    # Indonesian Excel writes ';', its "Unicode text" (UTF-16) writes tabs; ',' wins a tie.
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    # Process-wide, and this runs in the child: a field as long as the file is read whole, so that
    # a long cell is reported with its length rather than as the csv module's English error.
    csv.field_size_limit(MAX_FILE_BYTES)
    budget = _Budget(file_name)
    rows = []
    try:  # newline="": the csv module handles \r\n, \n and a lone \r (old Mac files) itself
        for line, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            budget.row(None, line)
            if len(row) > MAX_COLUMNS:
                raise refuse(
                    "{berkas}: baris {baris} memiliki lebih dari {batas} kolom",
                    berkas=file_name,
                    baris=str(line),
                    batas=MAX_COLUMNS,
                )
            rows.append([budget.cell(None, line, column, cell, len(cell)) for column, cell in enumerate(row, 1)])
    except csv.Error as error:  # its messages are English; say what it means instead
        raise refuse(
            "{berkas}: CSV rusak di baris {baris} (tanda kutip atau pemisah tidak beraturan); "
            "simpan ulang sebagai CSV UTF-8",
            berkas=file_name,
            baris=str(len(rows) + 1),
        ) from error
    budget.check_long_cells()
    return rows


# ---------------------------------------------------------------- XLSX


def xlsx_sheets(data: bytes, file_name: str) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows) of every worksheet, in workbook order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise refuse("{berkas}: bukan berkas XLSX yang sah", berkas=file_name) from error
    with archive:
        unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise refuse(
                "{berkas}: isi XLSX terlalu besar setelah diekstrak ({ukuran} bita)", berkas=file_name, ukuran=unzipped
            )
        return _Workbook(archive, file_name).sheets()


class _LocalNames(dict[str, str]):
    """Element and attribute names without their namespace prefix ("x:row" -> "row"), remembered:
    a lookup per element is cheaper than a call."""

    def __missing__(self, name: str) -> str:
        self[name] = local = name.rpartition(":")[2]
        return local


_LOCAL = _LocalNames()


class _Workbook:
    """Streams the parts of an XLSX that hold its tables (ECMA-376 part 1, SpreadsheetML)."""

    def __init__(self, archive: zipfile.ZipFile, file_name: str):
        self.archive, self.file_name = archive, file_name
        self.budget = _Budget(file_name)
        self.part = ""

    def sheets(self) -> list[tuple[str, list[list[str]]]]:
        try:
            book = next(
                (target for kind, target in self._relations("").values() if kind == "officeDocument"), "xl/workbook.xml"
            )
            listed = self._sheet_list(book)
            if len(listed) > MAX_SHEETS:
                raise refuse(
                    "{berkas}: {jumlah} lembar melebihi batas {batas}",
                    berkas=self.file_name,
                    jumlah=len(listed),
                    batas=MAX_SHEETS,
                )
            relations = self._relations(book)
            strings_part = next((target for kind, target in relations.values() if kind == "sharedStrings"), None)
            strings = self._shared_strings(strings_part) if strings_part else []
            sheets = [
                (name, self._rows(relations[rid][1], name, strings))
                for name, rid in listed
                if relations.get(rid, ("", ""))[0] == "worksheet"
            ]
        except (Refused, MemoryError):
            raise
        except expat.ExpatError as error:
            if error.code == expat.errors.codes[expat.errors.XML_ERROR_NO_MEMORY]:
                raise MemoryError from error  # the memory limit, not a damaged file
            raise self._damaged() from error
        except Exception as error:  # a damaged part: bad CRC or compression, a missing part, a reference to nothing
            raise self._damaged() from error
        self.budget.check_long_cells()
        return sheets

    def _damaged(self) -> Refused:
        return refuse(
            "{berkas}: XLSX rusak (bagian {bagian} tidak dapat dibaca); simpan ulang dari Excel",
            berkas=self.file_name,
            bagian=self.part or "ZIP",
        )

    def _parse(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        """Stream one part through expat; every element counts toward the budget."""
        self.part = part
        parser = expat.ParserCreate()
        parser.buffer_text = True

        def refuse_dtd(*_: object) -> None:  # entities (billion laughs, XXE) need a DTD, and an XLSX has none
            raise refuse(
                "{berkas}: XLSX berisi deklarasi DTD di bagian {bagian}; berkas Excel tidak pernah memilikinya",
                berkas=self.file_name,
                bagian=part,
            )

        budget = self.budget

        def counted_start(name: str, attributes: dict[str, str]) -> None:
            budget.elements += 1
            if budget.elements > MAX_XML_ELEMENTS:
                raise budget.too_complex()
            start(_LOCAL[name], attributes)

        parser.StartDoctypeDeclHandler = refuse_dtd
        parser.StartElementHandler = counted_start
        if end:
            finish = end  # bound here: the handler outlives the check above
            parser.EndElementHandler = lambda name: finish(_LOCAL[name])
        if text:
            parser.CharacterDataHandler = text
        with self.archive.open(part) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (kind, part) of a part's relationships ("worksheet", "xl/worksheets/sheet1.xml")."""
        found: dict[str, tuple[str, str]] = {}
        rels = join(dirname(part), "_rels", basename(part) + ".rels")
        if rels not in self.archive.namelist():
            return found

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "Relationship" and attributes.get("TargetMode") != "External":
                target = attributes.get("Target", "")
                path = target[1:] if target.startswith("/") else normpath(join(dirname(part), target))
                found[attributes.get("Id", "")] = (attributes.get("Type", "").rpartition("/")[2], path)

        self._parse(rels, start)
        return found

    def _sheet_list(self, book: str) -> list[tuple[str, str]]:
        """(name, relationship id) of every sheet the workbook lists, in its order."""
        listed: list[tuple[str, str]] = []

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "sheet":
                rid = next((v for k, v in attributes.items() if ":" in k and _LOCAL[k] == "id"), "")
                listed.append((attributes.get("name", ""), rid))

        self._parse(book, start)
        return listed

    def _shared_strings(self, part: str) -> list[str | int]:
        """The shared string table; a string too long to keep is stored as its length."""
        strings: list[str | int] = []
        kept = _Budget(self.file_name)  # text the table keeps; cells count theirs again as they use it
        state = _Text()

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "si":
                state.restart()
            state.start(name)

        def end(name: str) -> None:
            state.end(name)
            if name == "si":
                strings.append(state.length if state.length > MAX_CELL_CHARS else state.value())
                kept.text(state.length if state.length <= MAX_CELL_CHARS else 0)

        self._parse(part, start, end, state.add)
        return strings

    def _rows(self, part: str, sheet: str, strings: list[str | int]) -> list[list[str]]:
        """Every row of a worksheet, from row 1, as text cells (missing rows and cells are empty)."""
        budget = self.budget
        rows: list[list[str]] = []
        row: dict[int, str] = {}
        cell = _Cell()
        value = _Text()

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "row":
                line = int(attributes["r"]) if "r" in attributes else len(rows) + 1
                budget.row(sheet, line)
                rows.extend([] for _ in range(len(rows) + 1, line))  # rows the file leaves out are empty
                row.clear()
                cell.column = cell.cells = 0
            elif name == "c":
                reference = attributes.get("r", "").rstrip("0123456789")
                column = _column_number(reference) if reference else cell.column + 1
                cell.column, cell.type, cell.cells = column, attributes.get("t", "n"), cell.cells + 1
                value.restart()
                if cell.cells > EXCEL_COLUMNS or column > EXCEL_COLUMNS:
                    raise refuse(
                        "{berkas}, lembar {lembar}, baris {baris}: lebih dari {batas} sel dalam satu baris; "
                        "Excel tidak pernah menulisnya",
                        berkas=self.file_name,
                        lembar=sheet,
                        baris=str(len(rows) + 1),
                        batas=EXCEL_COLUMNS,
                    )
            value.start(name)

        def end(name: str) -> None:
            value.end(name)
            if name == "c":
                line, column = len(rows) + 1, cell.column
                text, length = _value(cell.type, value, strings)
                kept = budget.cell(sheet, line, column, text, length)
                if column <= MAX_COLUMNS and kept:
                    row[column] = kept
            elif name == "row":
                width = max(row, default=0)
                rows.append([row.get(column, "") for column in range(1, width + 1)])

        self._parse(part, start, end, value.add)
        return rows


class _Cell:
    """The cell being read: its column, its type ("s" shared string, "n" number, ...), the cells so far in its row."""

    __slots__ = ("column", "type", "cells")

    def __init__(self) -> None:
        self.column, self.type, self.cells = 0, "n", 0


class _Text:
    """The text of a cell or shared string: its `v` or `t` elements, not its phonetic guide (rPh).
    Only what a cell may hold is kept; the rest is counted, so a long text costs no memory."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.capture = self.phonetic = False

    def start(self, name: str) -> None:
        if name == "rPh":
            self.phonetic = True
        elif name in ("v", "t"):
            self.capture = not self.phonetic

    def end(self, name: str) -> None:
        if name == "rPh":
            self.phonetic = False
        elif name in ("v", "t"):
            self.capture = False

    def add(self, data: str) -> None:
        if self.capture:
            if self.length <= MAX_CELL_CHARS:
                self.parts.append(data)
            self.length += len(data)

    def value(self) -> str:
        return "".join(self.parts)


def _column_number(letters: str) -> int:
    if len(letters) > 3:  # XFD is the last column
        raise ValueError(f"column {letters!r}")
    number = 0
    for letter in letters.upper():
        if not "A" <= letter <= "Z":
            raise ValueError(f"column {letters!r}")  # reported as a damaged part
        number = number * 26 + ord(letter) - 64
    return number


def _value(kind: str, value: _Text, strings: list[str | int]) -> tuple[str, int]:
    """(text, length) of a finished cell, as openpyxl reads values: shared strings looked up,
    numbers as Python prints them (whole numbers without ".0"), booleans True/False."""
    text = value.value()
    if value.length > MAX_CELL_CHARS:
        return text, value.length
    if kind == "s" and text:
        index = int(text)
        if index < 0:
            raise IndexError(index)
        shared = strings[index]
        return ("", shared) if isinstance(shared, int) else (shared, len(shared))
    if kind == "b" and text:
        text = str(text.strip() not in ("0", "false"))
    elif kind == "n" and text:
        text = _number_text(text)
    return text, len(text)


def _number_text(text: str) -> str:
    try:
        number = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:  # not a number after all: keep what the file says, validation names it
        return text
    return str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)


# ---------------------------------------------------------------- the child process


def main(memory_bytes: int) -> None:
    """Read one file from stdin; write its rows, or why not, to stdout as JSON.

    stdin: one JSON line {"name": file name, "suffix": ".csv" | ".xlsx"}, then the file's bytes.
    stdout: {"sheets": [[name or null, rows], ...]}, {"refused": [[template, values], ...]} or
    {"memory": true} when the memory limit was reached.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    try:
        answer = _answer(data, header["name"], header["suffix"])
    except MemoryError:  # the frames holding the big objects are gone: this little text fits
        answer = '{"memory": true}'
    sys.stdout.write(answer)


def _answer(data: bytes, file_name: str, suffix: str) -> str:
    try:
        sheets = xlsx_sheets(data, file_name) if suffix == ".xlsx" else [(None, csv_rows(data, file_name))]
    except Refused as refused:
        return json.dumps({"refused": refused.lines})
    return json.dumps({"sheets": sheets}, separators=(",", ":"))
