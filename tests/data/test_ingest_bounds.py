"""Bounded reading: small crafted files cannot exhaust the server, and every message is Indonesian and short.

The bombs are built here, each a few KB to a few hundred KB, inside every size limit. The page and
the command line both read through spbe.data.ingest.read_tables; each bomb is parsed in a fresh
interpreter that reports how long the refusal took and its own peak RSS (VmHWM), so the numbers
belong to the parsing process alone, not to whatever this test session loaded before.
"""

import io
import json
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
from openpyxl import Workbook

from spbe.data import ingest
from spbe.data.importer import MAX_PROBLEM_CHARS, MAX_PROBLEMS_SHOWN, ImportRejected, parse_import
from spbe.data.ingest import UnreadableFileError, read_tables
from spbe.data.sheets import MAX_CELLS, MAX_FILE_BYTES, MAX_UNZIPPED_BYTES
from spbe.settings import ROOT
from tests.frameworks import FRAMEWORKS

PEAK_RSS_LIMIT_KB = 600 * 1024  # the bound for the server; here, for the parsing process
REFUSED_WITHIN_S = 10  # generous for 2 loaded cores; each bomb is refused in well under a second here
# English words of the messages that used to reach users (csv module, openpyxl, Streamlit)
ENGLISH = re.compile(
    r"\b(the|of|is|not|than|field|larger|limit|line|expected|exceeds|size|memory|file|cannot)\b"
    r"|[a-z]Error\b",
    re.IGNORECASE,
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_with(parts: dict[str, bytes]) -> bytes:
    """A valid one-sheet workbook (a long table, one row) with some of its parts replaced or added."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hasil 2021"
    sheet.append(["tahun", "instansi", "indikator", "tingkat"])
    sheet.append([2021, "Kota Surabaya", 1, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            target.writestr(name, parts.get(name, source.read(name)))
        for name in parts.keys() - set(source.namelist()):
            target.writestr(name, parts[name])
    return out.getvalue()


def worksheet(rows: bytes, prologue: bytes = b"") -> bytes:
    return prologue + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows + b"</sheetData></worksheet>"


def wide_row_bomb() -> bytes:
    """One row of 11,5 million (empty) cells: ~50 KB zipped, 46 MB of XML."""
    return workbook_with({"xl/worksheets/sheet1.xml": worksheet(b'<row r="1">' + b"<c/>" * 11_500_000 + b"</row>")})


def styles_bomb() -> bytes:
    """A styles.xml of 400.000 fonts and 400.000 cell formats: ~130 KB zipped, 40 MB of XML."""
    count = 400_000
    styles = (
        f'<styleSheet xmlns="{MAIN}"><fonts count="{count}">'.encode()
        + b'<font><sz val="11"/><name val="Calibri"/></font>' * count
        + b'</fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        b'<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        + f'<cellXfs count="{count}">'.encode()
        + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
        + b"</cellXfs></styleSheet>"
    )
    return workbook_with({"xl/styles.xml": styles})


def shared_string_bomb() -> bytes:
    """300 rows whose instansi cell points at one shared string of 1 MB."""
    base = zipfile.ZipFile(io.BytesIO(workbook_with({})))
    rels, types = base.read("xl/_rels/workbook.xml.rels").decode(), base.read("[Content_Types].xml").decode()
    relation = f'<Relationship Id="rId9" Target="sharedStrings.xml" Type="{RELATIONSHIPS}/sharedStrings"/>'
    content_type = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>'
    strings = f'<sst xmlns="{MAIN}" count="300" uniqueCount="1"><si><t>{"x" * 1_000_000}</t></si></sst>'
    names = zip("ABCD", ["tahun", "instansi", "indikator", "tingkat"], strict=True)
    header = "".join(f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>' for column, name in names)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>2021</v></c><c r="B{n}" t="s"><v>0</v></c>'
        f'<c r="C{n}"><v>1</v></c><c r="D{n}"><v>3</v></c></row>'
        for n in range(2, 302)
    )
    return workbook_with(
        {
            "xl/sharedStrings.xml": strings.encode(),
            "xl/worksheets/sheet1.xml": worksheet(f'<row r="1">{header}</row>{rows}'.encode()),
            "xl/_rels/workbook.xml.rels": rels.replace("</Relationships>", f"{relation}</Relationships>").encode(),
            "[Content_Types].xml": types.replace("</Types>", f"{content_type}</Types>").encode(),
        }
    )


BOMBS = {
    "baris_lebar.xlsx": (wide_row_bomb, "lembar Hasil 2021, baris 1: lebih dari 16.384 sel dalam satu baris"),
    # styles are never parsed: the file's own table is read and judged (it lacks 46 indicators)
    "gaya.xlsx": (styles_bomb, "indikator belum diisi untuk instansi Kota Surabaya tahun 2021"),
    "teks_bersama.xlsx": (
        shared_string_bomb,
        "lembar Hasil 2021, baris 2-301, kolom B: sel lebih panjang dari "
        "1.000 karakter (terpanjang 1.000.000 karakter)",
    ),
}

# Runs in a fresh interpreter: parse a file as the page does (parse_import) or run the command
# line, then report the problems, the time taken and this process's peak RSS.
MEASURE = """
import json, sys, time
from pathlib import Path
path, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "page":
    from spbe.data.importer import ImportRejected, parse_import
    from spbe.data.registry import read_registry, registry_path
    from spbe.model.framework import load_frameworks
    from spbe.settings import ROOT
    registry, data = read_registry(registry_path(ROOT / "data")), path.read_bytes()
    frameworks = load_frameworks(ROOT / "data" / "reference")
    start = time.perf_counter()
    try:
        parse_import(data, path.name, registry, frameworks)
        outcome = None
    except ImportRejected as rejected:
        outcome = {"problems": rejected.problems, "text": str(rejected)}
else:
    from spbe import cli
    start = time.perf_counter()
    outcome = cli.main([mode, str(path)] + (["--dry-run"] if mode == "import" else []))
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_kb": peak}))
"""


def measured(path, mode: str) -> tuple[dict, str]:
    """(report, stderr) of parsing `path` in a fresh interpreter; mode "page", "import" or "score"."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


@pytest.mark.parametrize("name", BOMBS)
def test_each_bomb_is_refused_within_seconds_in_indonesian_and_the_parsing_process_stays_small(tmp_path, name):
    build, expected = BOMBS[name]
    path = tmp_path / name
    path.write_bytes(build())
    assert path.stat().st_size < 400_000  # small files, inside every size limit
    report, _ = measured(path, "page")
    assert report["seconds"] < REFUSED_WITHIN_S
    assert report["peak_kb"] < PEAK_RSS_LIMIT_KB
    problems = report["outcome"]["problems"]
    assert any(expected in problem for problem in problems), problems
    assert not ENGLISH.search(report["outcome"]["text"]), report["outcome"]["text"]
    assert len(report["outcome"]["text"]) < 2_000  # nothing large is quoted


@pytest.mark.parametrize("command", ["import", "score"])
def test_the_command_line_refuses_a_bomb_with_exit_2_one_indonesian_message_and_no_traceback(tmp_path, command):
    path = tmp_path / "baris_lebar.xlsx"
    path.write_bytes(wide_row_bomb())
    report, stderr = measured(path, command)
    assert report["seconds"] < REFUSED_WITHIN_S
    assert report["peak_kb"] < PEAK_RSS_LIMIT_KB
    assert report["outcome"] == 2
    assert stderr.startswith("Galat: ")
    assert "baris_lebar.xlsx, lembar Hasil 2021, baris 1: lebih dari 16.384 sel dalam satu baris" in stderr
    assert "Traceback" not in stderr and not ENGLISH.search(stderr)


def problems_of(data: bytes, name: str, registry) -> ImportRejected:
    with pytest.raises(ImportRejected) as rejected:
        parse_import(data, name, registry, FRAMEWORKS)
    return rejected.value


def test_a_csv_field_of_200_000_characters_is_named_in_indonesian_with_indonesian_numbers(registry):
    data = b"tahun,instansi,indikator,tingkat\n2021," + b"x" * 200_000 + b",1,3\n"
    rejected = problems_of(data, "panjang.csv", registry)
    assert rejected.problems == [
        "panjang.csv, baris 2, kolom B: sel lebih panjang dari 1.000 karakter (terpanjang "
        "200.000 karakter); isi sel sepanjang itu bukan hasil evaluasi"
    ]
    assert not ENGLISH.search(str(rejected))


def test_a_zip_bomb_is_refused_by_its_unpacked_size(registry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/nol.bin", "w") as member:
        zeros = bytes(1 << 20)
        for _ in range(MAX_UNZIPPED_BYTES // len(zeros) + 1):
            member.write(zeros)
    assert len(buffer.getvalue()) < 400_000
    rejected = problems_of(buffer.getvalue(), "zip.xlsx", registry)
    assert rejected.problems == ["zip.xlsx: isi XLSX terlalu besar setelah diekstrak (210.763.776 bita)"]


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(1, 10))
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    ("part", "prologue", "entity"),
    [
        ("xl/worksheets/sheet1.xml", XXE, b"&xxe;"),
        ("xl/worksheets/sheet1.xml", LAUGHS, b"&lol9;"),
    ],
)
def test_entities_are_never_expanded_a_dtd_is_refused(registry, part, prologue, entity):
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + entity + b"</t></is></c></row>"
    rejected = problems_of(workbook_with({part: worksheet(cell, prologue)}), "dtd.xlsx", registry)
    assert rejected.problems == [
        "dtd.xlsx: XLSX berisi deklarasi DTD di bagian xl/worksheets/sheet1.xml; berkas Excel tidak pernah memilikinya"
    ]


def test_a_long_problem_list_is_cut_and_says_how_many_more_in_indonesian_numbers(registry):
    rows = "".join(f"2021,Kota Tak Dikenal {n},1,3\n" for n in range(1_500))
    rejected = problems_of(("tahun,instansi,indikator,tingkat\n" + rows).encode(), "banyak.csv", registry)
    assert len(rejected.problems) == MAX_PROBLEMS_SHOWN
    rest = rejected.total - MAX_PROBLEMS_SHOWN
    assert rest >= 1_300
    text = str(rejected)
    assert text.startswith(f"{rejected.total // 1000}.{rejected.total % 1000:03d} masalah:\n")
    assert text.endswith(f"\n… dan {rest // 1000}.{rest % 1000:03d} masalah lain")


def test_values_quoted_in_problems_are_cut_to_60_characters_and_no_problem_is_long(registry):
    name = "Dinas " + "sangat panjang " * 30
    rejected = problems_of(f"tahun,instansi,indikator,tingkat\n2021,{name},1,3\n".encode(), "nama.csv", registry)
    unknown = next(p for p in rejected.problems if "tidak dikenal" in p)
    assert f"nilai {name[:60]!r}"[:-1] + "…'" in unknown
    assert all(len(problem) <= MAX_PROBLEM_CHARS + 1 for problem in rejected.problems)
    assert len(ImportRejected(["x" * 100_000]).problems[0]) == MAX_PROBLEM_CHARS + 1


def slow_sheet() -> bytes:
    """Just under the cell limit: legal, but a couple of seconds of parsing."""
    row = b"<row>" + b"<c/>" * 100 + b"</row>"
    return workbook_with({"xl/worksheets/sheet1.xml": worksheet(row * (MAX_CELLS // 100 - 1))})


def test_a_parse_past_its_time_is_stopped_with_an_indonesian_message(monkeypatch):
    monkeypatch.setattr(ingest, "PARSE_TIMEOUT_S", 0.2)
    with pytest.raises(UnreadableFileError, match=r"^lambat\.xlsx: pembacaan dihentikan setelah 0 detik"):
        read_tables(slow_sheet(), "lambat.xlsx")


def test_a_parse_past_its_memory_is_refused_with_an_indonesian_message_not_a_crash(monkeypatch):
    monkeypatch.setattr(ingest, "PARSE_MEMORY_BYTES", 200 * 1024 * 1024)
    row_of_cells = b"ab," * (MAX_FILE_BYTES // 3)  # seven million cells in one 20 MB line
    with pytest.raises(UnreadableFileError) as refused:
        read_tables(row_of_cells, "sel.csv")
    assert str(refused.value) == (
        "sel.csv: membaca berkas ini memerlukan lebih dari 200 MB memori; berkas terlalu rumit untuk sebuah tabel hasil"
    )


def test_every_upload_the_server_accepts_is_at_most_the_import_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_the_score_command_counts_its_problems_in_indonesian_numbers(tmp_path, capsys):
    from spbe import cli

    path = tmp_path / "tingkat.csv"
    path.write_text(
        "tahun,instansi,indikator,tingkat\n" + "".join(f"2021,Kota Surabaya,{n % 47 + 1},9\n" for n in range(1_500))
    )
    assert cli.main(["score", str(path)]) == 2
    message = capsys.readouterr().err
    assert message.startswith("Galat: 1.547 masalah pada tabel tingkat indikator:\n")
    assert message.endswith("\n… dan 1.347 masalah lain\n")
