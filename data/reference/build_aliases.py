"""Generate instansi_alias.csv: every known spelling of every instansi, mapped to its id.

Run once after a reference file changes, review the diff, commit the CSV:

    .venv/bin/python data/reference/build_aliases.py

The output is deterministic (same inputs, same bytes). At run time spbe.data.registry only does
exact look-ups in the committed CSV (after whitespace/case normalisation); nothing here is
used at run time.

How names are matched (all explicit, nothing fuzzy):

* Instansi pusat: every name printed in the official 2023 and 2024 tables is listed by hand
  in PUSAT_PRINTED below (printed name -> id). The script fails if a printed central name
  is missing from that table or if an entry is no longer printed (stale). The ``nama`` and
  ``nama_2018`` of instansi_pusat.csv are aliases too; Polda also get "Polda X".
* Provinces: forms "Provinsi X", "Pemerintah Provinsi X" and the bare "X" for the name in
  provinsi_38.csv and for each spelling variant listed in PROVINCE_VARIANTS.
* Kabupaten/kota: forms "Kabupaten X", "Kab. X", "Pemerintah Kabupaten X",
  "Pemerintah Kab. X" (kabupaten) and "Kota X", "Pemerintah Kota X" (kota), for the base
  name in kabkota_514.csv and for each variant listed in KABKOTA_VARIANTS. The Jakarta
  administrative units also get the form without "Administrasi".
* Printed pemda names of the 2023/2024 tables ("Pemerintah Kab. X", "Pemerintah Kota X",
  "Pemerintah Provinsi X", "Pemerintah Aceh") must each equal one of the generated forms of
  exactly one pemda lying in the province printed beside it (province by its 2025 code).
  Names that differ from Kemendagri's spelling are resolved only through a hand-reviewed
  entry in PROVINCE_VARIANTS or KABKOTA_VARIANTS; the script fails on any printed name
  that matches nothing, matches twice, or lies in another province.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from spbe.data.registry import normalise_name  # noqa: E402

RESULTS = HERE / "results_2023_2024.csv"
OUTPUT = HERE / "instansi_alias.csv"

SRC_PRINTED = "results_2023_2024.csv, name printed in the {years}"
SRC_PROVINCE_COLUMN = "results_2023_2024.csv, province column"
SRC_PUSAT_NAMA = "instansi_pusat.csv nama"
SRC_PUSAT_2018 = "instansi_pusat.csv nama_2018 (2018 name used in roster_2018.csv)"
SRC_POLDA = "short form 'Polda <2018 province name>' ('Polda Metro Jaya' for 31)"
SRC_KK = "kabkota_514.csv nama (Kemendagri)"
SRC_KK_FORM = "kabkota_514.csv name, form '{form}'"
SRC_PROV = "provinsi_38.csv nama"
SRC_PROV_FORM = "provinsi_38.csv name, form '{form}'"
SRC_VARIANT = "spelling variant '{base}' (hand-reviewed: {why}), form '{form}'"

# Printed central names of the 2023 and 2024 tables -> instansi_id (reviewed by hand).
PUSAT_PRINTED = {
    "Kementerian Koordinator Bidang Politik, Hukum dan Keamanan": "KEMENKOPOLHUKAM",
    "Kementerian Koordinator Bidang Perekonomian": "KEMENKOPEREKONOMIAN",
    "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan": "KEMENKOPMK",
    "Kementerian Koordinator Bidang Kemaritiman": "KEMENKOMARVES",
    "Kementerian Koordinator Bidang Kemaritiman dan Investasi": "KEMENKOMARVES",
    "Kementerian Koperasi dan Usaha Kecil dan Menengah": "KEMENKOPUKM",
    "Kementerian Badan Usaha Milik Negara": "KEMENBUMN",
    "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak": "KEMENPPPA",
    "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi": "KEMENPANRB",
    "Kementerian Pemuda dan Olahraga": "KEMENPORA",
    "Kementerian Desa, Pembangunan Daerah Tertinggal dan Transmigrasi": "KEMENDESA",
    "Kementerian Dalam Negeri": "KEMENDAGRI",
    "Kementerian Luar Negeri": "KEMENLU",
    "Kementerian Pertahanan": "KEMENHAN",
    "Kementerian Hukum dan Hak Asasi Manusia": "KEMENKUMHAM",
    "Kementerian Keuangan": "KEMENKEU",
    "Kementerian Pertanian": "KEMENTAN",
    "Kementerian Energi dan Sumber Daya Mineral": "KEMENESDM",
    "Kementerian Perhubungan": "KEMENHUB",
    "Kementerian Pendidikan dan Kebudayaan": "KEMENDIKBUD",
    "Kementerian Kesehatan": "KEMENKES",
    "Kementerian Agama": "KEMENAG",
    "Kementerian Ketenagakerjaan": "KEMNAKER",
    "Kementerian Sosial": "KEMENSOS",
    "Kementerian Lingkungan Hidup dan Kehutanan": "KLHK",
    "Kementerian Kelautan dan Perikanan": "KKP",
    "Kementerian Komunikasi dan Informatika": "KOMINFO",
    "Kementerian Perdagangan": "KEMENDAG",
    "Kementerian Perindustrian": "KEMENPERIN",
    "Kementerian Pekerjaan Umum & Perumahan Rakyat": "KEMENPUPR",
    "Kementerian Pariwisata dan Ekonomi Kreatif/Badan Pariwisata dan Ekonomi Kreatif": "KEMENPAREKRAF",
    "Kementerian Sekretariat Negara": "KEMENSETNEG",
    "Kementerian Perencanaan Pembangunan Nasional/Badan Perencanaan Pembangunan Nasional": "BAPPENAS",
    "Kementerian Investasi/Badan Koordinasi Penanaman Modal": "BKPM",
    "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional": "KEMENATRBPN",
    "Badan Siber dan Sandi Negara": "BSSN",
    "Badan Kepegawaian Negara": "BKN",
    "Lembaga Administrasi Negara": "LAN",
    "Badan Pusat Statistik": "BPS",
    "Arsip Nasional Republik Indonesia": "ANRI",
    "Badan Informasi Geospasial": "BIG",
    "Badan Kependudukan dan Keluarga Berencana Nasional": "BKKBN",
    "Badan Pengawasan Keuangan dan Pembangunan": "BPKP",
    "Perpustakaan Nasional RI": "PERPUSNAS",
    "Badan Standardisasi Nasional": "BSN",
    "Badan Pengawas Tenaga Nuklir": "BAPETEN",
    "Badan Pengawas Obat dan Makanan": "BPOM",
    "Lembaga Ketahanan Nasional RI": "LEMHANNAS",
    "Badan Meteorologi, Klimatologi dan Geofisika": "BMKG",
    "Badan Narkotika Nasional": "BNN",
    "Badan Nasional Penanggulangan Bencana": "BNPB",
    "Badan Keamanan Laut": "BAKAMLA",
    "Badan Nasional Pencarian Dan Pertolongan": "BASARNAS",
    "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah": "LKPP",
    "Badan Nasional Penanggulangan Terorisme": "BNPT",
    "Badan Perlindungan Pekerja Migran Indonesia": "BP2MI",
    "Badan Pangan Nasional": "BAPANAS",
    "Kejaksaan Agung": "KEJAGUNG",
    "Badan Intelijen Negara": "BIN",
    "Markas Besar Kepolisian Republik Indonesia": "POLRI",
    "Sekretariat Kabinet": "SETKAB",
    "Majelis Permusyawaratan Rakyat": "MPR",
    "Sekretariat Jenderal Majelis Permusyawaratan Rakyat": "MPR",
    "Dewan Perwakilan Rakyat": "DPR",
    "Sekretariat Jenderal Dewan Perwakilan Rakyat": "DPR",
    "Mahkamah Agung RI": "MA",
    "Sekretariat Jenderal Mahkamah Agung RI": "MA",
    "Badan Pemeriksa Keuangan": "BPK",
    "Sekretariat Jenderal Badan Pemeriksa Keuangan": "BPK",
    "Mahkamah Konstitusi": "MK",
    "Sekretariat Jenderal Mahkamah Konstitusi": "MK",
    "Komisi Yudisial": "KY",
    "Sekretariat Jenderal Komisi Yudisial": "KY",
    "Dewan Perwakilan Daerah": "DPD",
    "Sekretariat Jenderal Dewan Perwakilan Daerah": "DPD",
    "Badan Riset dan Inovasi Nasional": "BRIN",
    "Badan Pembinaan Ideologi Pancasila": "BPIP",
    "Televisi Republik Indonesia": "TVRI",
    "Radio Republik Indonesia": "RRI",
    "Dewan Ketahanan Nasional": "WANTANNAS",
    "Sekretariat Jenderal Dewan Ketahanan Nasional": "WANTANNAS",
    "Komisi Pemilihan Umum": "KPU",
    "Sekretariat Jenderal Komisi Pemilihan Umum": "KPU",
    "Komisi Nasional Hak Asasi Manusia": "KOMNASHAM",
    "Sekretariat Komisi Nasional Hak Asasi Manusia": "KOMNASHAM",
    "Komisi Pemberantasan Korupsi": "KPK",
    "Pusat Pelaporan dan Analisis Transaksi Keuangan": "PPATK",
    "Ombudsman Republik Indonesia": "OMBUDSMAN",
    "Sekretariat Jenderal Ombudsman": "OMBUDSMAN",
    "Badan Nasional Pengelola Perbatasan": "BNPP",
    "Komisi Pengawas Persaingan Usaha": "KPPU",
    "Sekretariat Komisi Pengawas Persaingan Usaha": "KPPU",
    "Badan Pengawas Pemilihan Umum": "BAWASLU",
    "Komisi Penyiaran Indonesia": "KPI",
    "Sekretariat Komisi Penyiaran Indonesia": "KPI",
    "Komisi Kejaksaan": "KOMJAK",
    "Sekretariat Komisi Kejaksaan": "KOMJAK",
    "Komisi Aparatur Sipil Negara": "KASN",
    "Sekretariat Komisi Kepolisian Nasional": "KOMPOLNAS",
    "Dewan Pertimbangan Presiden": "WANTIMPRES",
    "Dewan Pers": "DEWANPERS",
    "Sekretariat Dewan Pers": "DEWANPERS",
    "Dewan Jaminan Sosial Nasional": "DJSN",
    "Sekretariat Dewan Jaminan Sosial Nasional": "DJSN",
    "Badan Pengatur Hilir Minyak Dan Gas Bumi": "BPHMIGAS",
    "Badan Pengusahaan Kawasan Perdagangan Bebas dan Pelabuhan Bebas Sabang": "BPKS",
    "Badan Pengusahaan Sabang": "BPKS",
    # The 2023 table repeats "Badan Pengusahaan"; kept as printed so that the row resolves.
    "Badan Pengusahaan Badan Pengusahaan Kawasan Perdagangan Bebas dan Pelabuhan Bebas Batam": "BPBATAM",
    "Badan Pengusahaan Batam": "BPBATAM",
    "Lembaga Perlindungan Saksi Dan Korban": "LPSK",
    "Lembaga Sensor Film": "LSF",
    "Konsil Kedokteran Indonesia": "KKI",
    "Sekretariat Konsil Kedokteran Indonesia": "KKI",
    "Kantor Staf Presiden": "KSP",
}

# Province spelling variants -> Kemendagri code (reviewed by hand).
PROVINCE_VARIANTS = {
    "31": [
        ("DKI Jakarta", "common abbreviation; printed in the 2023/2024 tables"),
        ("Daerah Khusus Jakarta", "name since UU 2/2024"),
    ],
    "34": [
        ("DI Yogyakarta", "common abbreviation"),
        ("D.I. Yogyakarta", "printed in the 2023/2024 tables"),
        ("D.I Yogyakarta", "printed in the province column of the 2023/2024 tables"),
    ],
    "19": [("Kep. Bangka Belitung", "printed in the 2023/2024 tables")],
    "52": [("NTB", "abbreviation printed in the 2023 table")],
    "53": [("NTT", "abbreviation printed in the 2023 table")],
}

# Kabupaten/kota spelling variants -> Kemendagri code (reviewed by hand; base name without
# the "Kabupaten"/"Kota" prefix).
KABKOTA_VARIANTS = {
    "12.19": [("Batubara", "printed in the 2023/2024 tables; Kemendagri: Batu Bara")],
    "12.72": [("Pematang Siantar", "printed in the 2023/2024 tables and used by BPS")],
    "12.74": [("Tanjung Balai", "printed in the 2023/2024 tables and used by BPS")],
    "12.77": [("Padang Sidempuan", "common older spelling of Padangsidimpuan")],
    "12.78": [("Gunung Sitoli", "printed in the 2023/2024 tables")],
    "13.07": [("Limapuluh Kota", "printed in the 2023/2024 tables")],
    "13.09": [("Kep. Mentawai", "printed in the 2023/2024 tables")],
    "15.04": [("Batang Hari", "printed in the 2023/2024 tables and used by BPS")],
    "16.09": [("Ogan Komering Ulu Sel.", "abbreviation printed in the 2023/2024 tables")],
    "21.72": [("Tanjungpinang", "printed in the 2023/2024 tables")],
    "62.71": [("Palangka Raya", "printed in the 2023/2024 tables and used by BPS")],
    "71.09": [("Siau Tagulandang Biaro", "printed in the 2023/2024 tables and used by BPS")],
    "72.04": [("Tolitoli", "printed in the 2023/2024 tables")],
    "74.72": [("Baubau", "printed in the 2023/2024 tables and used by BPS"), ("Bau-Bau", "common hyphenated spelling")],
    "92.03": [("Fak-Fak", "printed in the 2023/2024 tables"), ("Fakfak", "used by BPS")],
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def kabkota_forms(base: str, jenis: str) -> list[str]:
    if jenis == "kabupaten":
        return [f"Kabupaten {base}", f"Kab. {base}", f"Pemerintah Kabupaten {base}", f"Pemerintah Kab. {base}"]
    return [f"Kota {base}", f"Pemerintah Kota {base}"]


def province_forms(base: str) -> list[str]:
    return [f"Provinsi {base}", base, f"Pemerintah Provinsi {base}"]


def main() -> int:
    results = read_csv(RESULTS)
    p38 = read_csv(HERE / "provinsi_38.csv")
    kk = read_csv(HERE / "kabkota_514.csv")
    pusat = read_csv(HERE / "instansi_pusat.csv")
    p34 = {p["kode"]: p["nama"] for p in read_csv(HERE / "provinsi_34_2018.csv")}

    # normalised alias -> [alias as first seen, id, sources in order of appearance]
    rows: dict[str, list] = {}
    errors: list[str] = []

    def add(alias: str, instansi_id: str, source: str) -> None:
        entry = rows.setdefault(normalise_name(alias), [alias, instansi_id, []])
        if entry[1] != instansi_id:
            errors.append(f"alias {alias!r} names both {entry[1]!r} and {instansi_id!r}")
        elif source not in entry[2]:
            entry[2].append(source)

    pusat_ids = {r["instansi_id"] for r in pusat}

    # --- printed names of the official tables ------------------------------------------
    years_by_name: dict[str, list[str]] = defaultdict(list)
    for r in results:
        if r["year"] not in years_by_name[r["instansi"]]:
            years_by_name[r["instansi"]].append(r["year"])

    province_code_of: dict[str, str] = {}  # normalised province spelling -> code
    for p in p38:
        province_code_of[normalise_name(p["nama"])] = p["kode"]
        for base, _ in PROVINCE_VARIANTS.get(p["kode"], []):
            province_code_of[normalise_name(base)] = p["kode"]

    # generated pemda forms: normalised form -> list of (code, province code)
    pemda_forms: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in p38:
        for base in [p["nama"]] + [b for b, _ in PROVINCE_VARIANTS.get(p["kode"], [])]:
            for form in province_forms(base) + [f"Pemerintah {base}"]:
                pemda_forms[normalise_name(form)].append((p["kode"], p["kode"]))
    for k in kk:
        base = k["nama"].split(" ", 1)[1].removeprefix("Administrasi ")
        for b in [base] + [v for v, _ in KABKOTA_VARIANTS.get(k["kode_kemendagri_2025"], [])]:
            for form in kabkota_forms(b, k["jenis"]):
                pemda_forms[normalise_name(form)].append((k["kode_kemendagri_2025"], k["kode_prov_2025"]))

    seen_pusat_printed = set()
    for r in results:
        name = r["instansi"]
        years = years_by_name[name]
        source = SRC_PRINTED.format(
            years=(f"{years[0]} official table" if len(years) == 1 else f"{' and '.join(years)} official tables")
        )
        if r["lokus"] == "Instansi Pusat":
            instansi_id = PUSAT_PRINTED.get(name)
            if instansi_id is None:
                errors.append(f"central name printed in {r['year']} not in PUSAT_PRINTED: {name!r}")
                continue
            seen_pusat_printed.add(name)
            add(name, instansi_id, source)
            continue
        province = province_code_of.get(normalise_name(r["province"]))
        if province is None:
            errors.append(f"unknown province {r['province']!r} of {name!r} ({r['year']})")
            continue
        add(r["province"], province, SRC_PROVINCE_COLUMN)
        candidates = pemda_forms.get(normalise_name(name), [])
        if r["category"] == "Provinsi":
            candidates = [c for c in candidates if "." not in c[0]]
        else:
            candidates = [c for c in candidates if "." in c[0]]
        in_province = sorted({c for c in candidates if c[1] == province})
        if len(in_province) != 1:
            errors.append(
                f"{r['year']} {name!r} ({r['province']}): "
                f"{len(in_province)} matches in the province, candidates {candidates}"
            )
            continue
        add(name, in_province[0][0], source)

    for name, instansi_id in PUSAT_PRINTED.items():
        if instansi_id not in pusat_ids:
            errors.append(f"PUSAT_PRINTED id {instansi_id!r} not in instansi_pusat.csv")
        if name not in seen_pusat_printed:
            errors.append(f"PUSAT_PRINTED entry no longer printed in results: {name!r}")

    # --- instansi pusat: names of instansi_pusat.csv -----------------------------------
    for p in pusat:
        add(p["nama"], p["instansi_id"], SRC_PUSAT_NAMA)
        if p["nama_2018"]:
            add(p["nama_2018"], p["instansi_id"], SRC_PUSAT_2018)
        if p["kategori"] == "Polda":
            short = "Metro Jaya" if p["kode_provinsi_2018"] == "31" else p34[p["kode_provinsi_2018"]]
            add(f"Polda {short}", p["instansi_id"], SRC_POLDA)

    # --- provinces ---------------------------------------------------------------------
    for p in p38:
        add(f"Provinsi {p['nama']}", p["kode"], SRC_PROV)
        for form in province_forms(p["nama"]):
            add(form, p["kode"], SRC_PROV_FORM.format(form=form.replace(p["nama"], "X")))
        for base, why in PROVINCE_VARIANTS.get(p["kode"], []):
            for form in province_forms(base):
                add(form, p["kode"], SRC_VARIANT.format(base=base, why=why, form=form.replace(base, "X")))

    # --- kabupaten/kota ----------------------------------------------------------------
    known_kk = {k["kode_kemendagri_2025"] for k in kk}
    for code in KABKOTA_VARIANTS:
        if code not in known_kk:
            errors.append(f"KABKOTA_VARIANTS code {code!r} not in kabkota_514.csv")
    for k in kk:
        code = k["kode_kemendagri_2025"]
        add(k["nama"], code, SRC_KK)
        base = k["nama"].split(" ", 1)[1].removeprefix("Administrasi ")
        for form in kabkota_forms(base, k["jenis"]):
            add(form, code, SRC_KK_FORM.format(form=form.replace(base, "X")))
        for variant, why in KABKOTA_VARIANTS.get(code, []):
            for form in kabkota_forms(variant, k["jenis"]):
                add(form, code, SRC_VARIANT.format(base=variant, why=why, form=form.replace(variant, "X")))

    if errors:
        print(f"{len(errors)} problem(s); instansi_alias.csv not written:", file=sys.stderr)
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
        return 1

    # One row per normalised alias (case/whitespace variants of one spelling are merged).
    output = [(alias, instansi_id, "; ".join(sources)) for alias, instansi_id, sources in rows.values()]

    tmp = OUTPUT.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias", "instansi_id", "source"])
        writer.writerows(output)
    tmp.replace(OUTPUT)
    print(f"wrote {OUTPUT.name}: {len(output)} aliases for {len({r[1] for r in output})} instansi")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
