"""Command line: python -m spbe <command>. Errors go to stderr in Indonesian with exit code 2.

Invalid input lists every problem; a fault (a data file that cannot be read, a folder that
cannot be written) is one line naming the file and what to do, never a traceback."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

from spbe import auth, settings
from spbe.build import prepare, roster, simulation
from spbe.core.formatting import format_count, format_number, format_percent
from spbe.data.atomic import os_error_reason
from spbe.data.importer import ImportRejected, parse_files
from spbe.data.ingest import UnreadableFileError, framework_shapes, read_levels
from spbe.data.registry import read_registry, registry_path
from spbe.data.store import Store
from spbe.data.versions import NATIONAL_KIND, VersionStore
from spbe.model.framework import load_frameworks
from spbe.model.provenance import Provenance
from spbe.model.scoring import InvalidLevelsError, score_levels, split_by_framework
from spbe.present.export import FORMATS, PRESETS, ExportUnavailable, ensure_available
from spbe.present.figures import gap_words
from spbe.present.presskit import KIT_FORMATS, build_kit, write_kit
from spbe.present.tables import at_json_precision

EXIT_INVALID_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args, settings.resolve().data_dir)
        return code
    except (UnreadableFileError, InvalidLevelsError, ExportUnavailable, ImportRejected, ValueError) as error:
        print(f"Galat: {error}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except OSError as error:  # a file or folder the system refuses (permissions, disk): say which, in Indonesian
        print(f"Galat: {os_error_reason(error)}", file=sys.stderr)
        return EXIT_INVALID_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m spbe", description="Dasbor SPBE: perintah baris.")
    commands = parser.add_subparsers(required=True, metavar="PERINTAH")

    score = commands.add_parser("score", help="hitung Indeks SPBE dari tingkat indikator (CSV/XLSX)")
    score.add_argument("file", type=Path, metavar="FILE")
    score.add_argument(
        "--year",
        type=int,
        help="tahun evaluasi bila berkas tidak menyebutnya (kolom tahun, nama "
        "lembar, judul); harus sama bila berkas menyebutnya",
    )
    score.add_argument("--json", action="store_true", help="keluaran JSON")
    score.add_argument(
        "--decimals", type=int, choices=range(0, 16), metavar="N", help="desimal angka JSON (bawaan: indeks 4)"
    )
    score.set_defaults(run=_score)

    summary = commands.add_parser("summary", help="ringkasan nasional satu tahun")
    summary.add_argument("--year", type=int, required=True, help="tahun evaluasi")
    summary.add_argument("--json", action="store_true", help="keluaran JSON")
    summary.add_argument(
        "--decimals",
        type=int,
        choices=range(0, 16),
        metavar="N",
        help="desimal angka JSON (bawaan: indeks 4, persen 1)",
    )
    summary.set_defaults(run=_summary)

    export = commands.add_parser("export", help="tulis paket siaran pers satu tahun (folder atau .zip)")
    export.add_argument("--year", type=int, required=True, help="tahun evaluasi")
    export.add_argument("--out", type=Path, required=True, help="folder tujuan, atau berkas .zip")
    export.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=f"daftar format (bawaan: {','.join(FORMATS)}; pptx: bahan paparan, satu slide per grafik)",
    )
    export.add_argument("--preset", choices=list(PRESETS), default="slide", help="ukuran gambar (bawaan: slide)")
    export.set_defaults(run=_export)

    importing = commands.add_parser("import", help="impor hasil evaluasi (CSV/XLSX; tiap lembar, tiap tahun)")
    importing.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="berkas hasil; beberapa berkas diimpor bersama (mis. hasil utama dan nilai indikator yang dinilai "
        "instansi lain)",
    )
    importing.add_argument("--dry-run", action="store_true", help="periksa dan pratinjau saja, tanpa menyimpan")
    importing.add_argument(
        "--year",
        type=int,
        help="tahun evaluasi bila berkas tidak menyebutnya (kolom tahun, "
        "nama lembar, judul); harus sama bila berkas menyebutnya",
    )
    importing.add_argument("--who", default=getpass.getuser(), help="nama pengimpor untuk catatan versi")
    importing.set_defaults(run=_import)

    national = commands.add_parser(
        "national-index", help="catat indeks nasional resmi satu tahun dan sumbernya (versi baru, dapat dikembalikan)"
    )
    national.add_argument("--year", type=int, required=True, help="tahun evaluasi")
    national.add_argument("--index", required=True, help="indeks nasional resmi, mis. 3,12")
    national.add_argument("--source", required=True, help="sumber resminya: judul, nomor, tanggal")
    national.add_argument("--who", default=getpass.getuser(), help="nama pencatat untuk catatan versi")
    national.set_defaults(run=_national_index)

    versions = commands.add_parser("versions", help="daftar versi data impor")
    versions.set_defaults(run=_versions)

    rollback = commands.add_parser("rollback", help="kembalikan data ke versi tertentu (v0000 = data bawaan)")
    rollback.add_argument("version", metavar="VERSION")
    rollback.set_defaults(run=_rollback)

    password = commands.add_parser("hash-password", help="buat hash sandi admin (dibaca dari masukan standar)")
    password.set_defaults(run=_hash_password)

    prepare = commands.add_parser("prepare", help="bangun berkas data/ yang belum ada")
    prepare.add_argument("--force", action="store_true", help="bangun ulang semuanya")
    prepare.set_defaults(run=_prepare)

    simulate = commands.add_parser("simulate-2018", help="tulis simulasi 2018 (berbenih, terkalibrasi)")
    simulate.add_argument("--seed", type=int, help="benih acak (bawaan: benih proyek)")
    simulate.set_defaults(
        run=lambda args, data_dir: simulation.main(
            ["--data-dir", str(data_dir), *([] if args.seed is None else ["--seed", str(args.seed)])]
        )
    )

    registry = commands.add_parser("build-registry", help="bangun data/instansi.parquet dari CSV rujukan")
    registry.set_defaults(run=lambda args, data_dir: roster.main(["--data-dir", str(data_dir)]))
    return parser


def _score(args: argparse.Namespace, data_dir: Path) -> int:
    levels = read_levels(args.file, args.year)
    frameworks = load_frameworks(data_dir / "reference")
    results, problems = [], []
    # Sheet by sheet, so that every problem's line is a line of its own sheet
    for sheet, rows in levels.groupby("_lembar", sort=False):
        try:
            for framework, part in split_by_framework(rows, frameworks):
                scores = score_levels(part, framework)
                # The components are the framework's top level: its domains, or its aspects where it has none.
                for (_, row), (_, components) in zip(
                    scores.index.iterrows(), scores.components.iterrows(), strict=True
                ):
                    results.append(
                        {
                            "tahun": int(row["tahun"]),
                            "instansi": row["instansi"],
                            "indeks": float(row["indeks"]),
                            "predikat": row["predikat"],
                            "jenis_komponen": framework.component_label,
                            "komponen": {name: float(value) for name, value in components.items()},
                        }
                    )
        except InvalidLevelsError as invalid:
            problems.append(f"lembar {sheet}: {invalid}" if sheet else str(invalid))
    if problems:
        raise ValueError("\n".join(problems))
    if args.json:
        print(json.dumps(at_json_precision(results, args.decimals), ensure_ascii=False, indent=2))
    else:
        for item in results:
            components = "; ".join(f"{name} {format_number(value)}" for name, value in item["komponen"].items())
            index = format_number(item["indeks"])
            print(
                f"{item['tahun']}  {item['instansi']}: indeks {index} ({item['predikat']}) · "
                f"{item['jenis_komponen']}: {components}"
            )
    return 0


# {komponen}: the year's component label (domain, aspek)
GRAIN_LABELS = {
    "indicator": "tingkat indikator per instansi",
    "component": "indeks {komponen} per instansi",
    "national": "angka nasional saja",
}
# The CLI's shorter words for the provenance of a year (the screen's are spbe.present.figures.PROVENANCE_LABELS).
PROVENANCE_WORDS = {
    Provenance.RESMI: "resmi",
    Provenance.SIMULASI: "SIMULASI (bukan data resmi)",
    Provenance.IMPOR: "impor",
    Provenance.GABUNGAN: "campuran",
    Provenance.MEMUAT_SIMULASI: "memuat SIMULASI (bukan data resmi)",
}


def _summary(args: argparse.Namespace, data_dir: Path) -> int:
    store = Store(data_dir)
    summary = store.summary(args.year)
    if args.json:
        print(json.dumps(at_json_precision(asdict(summary), args.decimals), ensure_ascii=False, indent=2))
        return 0
    grain = GRAIN_LABELS[summary.grain].format(komponen=store.framework(args.year).component_label)
    headline = summary.national_index_official
    if headline is None:  # no published index (an import): the gap is that of the recomputed mean
        headline = summary.national_index_mean
    lines = [
        f"Ringkasan SPBE {summary.year} ({summary.framework})",
        f"  Data per instansi       : {grain}, {PROVENANCE_WORDS[summary.provenance]}",
        f"  Indeks nasional (resmi) : {format_number(summary.national_index_official)}",
        f"  Rata-rata instansi      : {format_number(summary.national_index_mean)} (dihitung ulang)",
        f"  Target                  : {format_number(summary.target, trim_zeros=True)}",
        f"  Selisih terhadap target : {gap_words(headline, summary.target)}",
        f"  Instansi dievaluasi     : {format_count(summary.instansi_evaluated)}",
        f"  Baik ke atas            : {format_count(summary.baik_or_better_count)}",
        f"  Di bawah Baik           : {format_percent(summary.below_baik_pct)}",
    ]
    lines += [f"    {name:<12}: {format_count(count)}" for name, count in summary.predikat_counts.items()]
    lines.append(f"  Sumber                  : {summary.source}")
    print("\n".join(lines))
    return 0


def _prepare(args: argparse.Namespace, data_dir: Path) -> int:
    for line in prepare.prepare(data_dir, force=args.force):
        print(line)
    return 0


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in KIT_FORMATS]
    if unknown or not formats:
        raise ValueError(f"format tidak dikenal: {', '.join(unknown) or '(kosong)'}; pilihan: {', '.join(KIT_FORMATS)}")
    ensure_available()
    store = Store(data_dir)
    store.summary(args.year)  # a year without data stops here, before any image is made
    files = build_kit(
        store,
        args.year,
        formats=formats,
        preset=PRESETS[args.preset],
        progress=lambda share, name: print(f"[{share:4.0%}] {name}", file=sys.stderr),
    )
    out = write_kit(files, args.out)
    print(f"{len(files)} berkas ditulis ke {out}")
    return 0


def _import(args: argparse.Namespace, data_dir: Path) -> int:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        raise ValueError(f"{', '.join(missing)}: berkas tidak ditemukan")
    registry = read_registry(registry_path(data_dir))
    frameworks = load_frameworks(data_dir / "reference")
    files = [(path.read_bytes(), path.name) for path in args.files]
    parsed = parse_files(files, registry, frameworks, args.year, who=args.who)
    versions = VersionStore(data_dir)
    for part in parsed.years:
        preview = versions.preview(part)
        sheets = f" (lembar {', '.join(part.sheets)})" if part.sheets else ""
        print(f"Tahun {part.year}, bentuk {framework_shapes(part.framework)[part.shape]}{sheets}")
        levels = "" if part.levels is None else f", {format_count(len(part.levels))} tingkat indikator"
        print(f"  Dibaca: {format_count(part.rows_read)} baris, {format_count(len(part.results))} instansi{levels}")
        print(
            f"  Ditambah {format_count(len(preview.added))}, diganti {format_count(len(preview.replaced))}, "
            f"tetap {format_count(len(preview.kept))} instansi"
        )
        print(
            f"  Rata-rata indeks instansi {part.year}: {format_number(preview.mean_before)} -> "
            f"{format_number(preview.mean_after)}; di bawah Baik: {format_percent(preview.below_baik_before, 1)} "
            f"-> {format_percent(preview.below_baik_after, 1)}"
        )
        framework = part.framework
        print(
            f"  Kerangka {framework.title}: {format_count(len(framework.indicators))} indikator, "
            f"{format_count(len(framework.components))} {framework.component_label}"
            + (f"; {framework.caveat}" if framework.caveat else "")
        )
        if len(args.files) > 1:
            print(f"  Berkas: {part.file_name}")
        if part.edge_cases:
            print(f"  Di batas predikat: {format_count(len(part.edge_cases))} instansi")
            for case in part.edge_cases:
                print(f"    {case}")
    for note in parsed.skipped:
        print(note)
    if args.dry_run:
        print("Uji coba: tidak ada yang disimpan.")
        return 0
    version = versions.commit(parsed, who=args.who)
    print(f"Disimpan sebagai versi {version}.")
    return 0


def _versions(args: argparse.Namespace, data_dir: Path) -> int:
    versions = VersionStore(data_dir)
    current = versions.current()
    print(f"{'*' if current == 'v0000' else ' '} v0000  data bawaan (resmi dan simulasi dalam repositori)")
    if current not in versions.listed():  # put in force by hand or by an older rollback
        print(f"* {current}  tidak tercatat dalam manifest (folder sisa); kembalikan ke versi yang tercatat")
    for entry in versions.manifest():
        mark = "*" if entry["versi"] == current else " "
        if entry.get("jenis") == NATIONAL_KIND:
            print(
                f"{mark} {entry['versi']}  {entry['waktu']}  indeks nasional {entry['tahun']}: "
                f"{format_number(entry['indeks_nasional'])} (sebelumnya {format_number(entry['indeks_sebelumnya'])}; "
                f"sumber: {entry['sumber']}; oleh {entry['oleh']})"
            )
            continue
        years = entry["tahun"] if isinstance(entry["tahun"], list) else [entry["tahun"]]  # a file of several years
        print(
            f"{mark} {entry['versi']}  {entry['waktu']}  {entry['berkas']} (tahun {', '.join(map(str, years))}, "
            f"{format_count(entry['instansi'])} instansi, oleh {entry['oleh']}, "
            f"sha256 {entry['sha256'][:12]}…)"
        )
    return 0


def _national_index(args: argparse.Namespace, data_dir: Path) -> int:
    versions = VersionStore(data_dir)
    version = versions.enter_national_index(args.year, args.index, args.source, who=args.who)
    record = versions.manifest()[-1]
    before = record["indeks_sebelumnya"]
    print(
        f"Indeks nasional {args.year} dicatat: {format_number(record['indeks_nasional'])} (resmi; sumber: "
        f"{record['sumber']}); sebelumnya "
        + (format_number(before) if before is not None else "belum ada (ringkasan memakai rata-rata instansi)")
    )
    print(f"Disimpan sebagai versi {version}; batalkan dengan `python -m spbe rollback {record['sebelumnya']}`.")
    return 0


def _rollback(args: argparse.Namespace, data_dir: Path) -> int:
    VersionStore(data_dir).rollback(args.version)
    print(f"Versi yang berlaku sekarang: {args.version}")
    return 0


def _hash_password(args: argparse.Namespace, data_dir: Path) -> int:
    password = getpass.getpass("Sandi admin: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(password) < auth.MIN_PASSWORD_LENGTH:
        raise ValueError(f"sandi terlalu pendek (minimal {auth.MIN_PASSWORD_LENGTH} karakter)")
    print(auth.hash_password(password))
    return 0
