"""Indonesian display text of the source records and notes that data/reference keeps in English.

The reference files stay as they were researched and reviewed (English notes beside the official titles);
the store shows every `sumber…` and `catatan` value through source_text, so a reader meets Indonesian on
screen, in every file and in every image. A record is translated whole where its own parentheses hold
"; " (a note on one figure), else part by part, as the store joins the sources of a year with "; ".
A part not listed (an official title, an import's own source) is shown as it is.
"""

from __future__ import annotations

import pandas as pd

SOURCE_TEXTS: dict[str, str] = {
    # whole records
    "KemenPANRB Laporan Pelaksanaan Evaluasi SPBE 2024 Tabel 4 (index and domains); count 616 from news of the "
    "28 Mar 2019 announcement (Tempo, Okezone); target 2.6 from the KemenPANRB press release of 11 Jul 2019 "
    "(the seed)": "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024, Tabel 4 (indeks dan domain); jumlah 616 "
    "dari berita pengumuman 28 Mar 2019 (Tempo, Okezone); target 2,6 dari siaran pers KemenPANRB 11 Jul 2019",
    "Laporan Pelaksanaan Evaluasi SPBE 2023 (domains; the 2024 report revises them to 2.94/2.29/1.66/3.47); "
    "KepmenPANRB 13/2024; Pedoman 3/2024 Tabel 1": "Laporan Pelaksanaan Evaluasi SPBE 2023 (indeks domain; "
    "laporan 2024 merevisinya menjadi 2,94/2,29/1,66/3,47); KepmenPANRB 13/2024; Pedoman 3/2024 Tabel 1",
    "Laporan Pelaksanaan Evaluasi SPBE 2024 Tabel 4 (target 2.85 quoted there; RPJMN target 2.60); "
    "KepmenPANRB 663/2024; Baik+ count recomputed from the per-instansi table": "Laporan Pelaksanaan Evaluasi "
    "SPBE 2024, Tabel 4 (target 2,85 dikutip di sana; target RPJMN 2,60); KepmenPANRB 663/2024; jumlah Baik ke "
    "atas dihitung ulang dari tabel per instansi",
    "82 of 616 at Baik or better, 86.69% below; conflicts with the 81% of the press release": "82 dari 616 "
    "berpredikat Baik ke atas, 86,69% di bawahnya; berbeda dengan 81% dalam siaran pers",
    "regional police also evaluated in 2018; figure internally inconsistent in the article": "Polda juga "
    "dievaluasi pada 2018; angka dalam artikel tidak konsisten",
    "D1 missing/garbled in source text; value back-computed from index and D2-D4 = 3,99 (derived; not printed)": (
        "D1 hilang atau rusak dalam teks sumber; nilainya dihitung balik dari indeks dan D2–D4 = 3,99 "
        "(turunan; tidak tercetak)"
    ),
    "D1 missing/garbled in source text; value back-computed from index and D2-D4 = 4,27 (derived; not printed)": (
        "D1 hilang atau rusak dalam teks sumber; nilainya dihitung balik dari indeks dan D2–D4 = 4,27 "
        "(turunan; tidak tercetak)"
    ),
    'D1 missing/garbled in source text; value back-computed from index and D2-D4 = 4,65 (derived; printed as ",60"'
    " - likely 4,60)": "D1 hilang atau rusak dalam teks sumber; nilainya dihitung balik dari indeks dan D2–D4 = "
    '4,65 (turunan; tercetak ",60", kemungkinan 4,60)',
    # parts
    "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024 (per-instansi tables)": (
        "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024 (tabel per instansi)"
    ),
    "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE Tahun 2023 (per-instansi tables)": (
        "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE Tahun 2023 (tabel per instansi)"
    ),
    "KemenPANRB press release of 11 Jul 2019 (the seed): 81% of K/L/D below predikat Baik": (
        "Siaran pers KemenPANRB 11 Jul 2019: 81% K/L/D di bawah predikat Baik"
    ),
    "Pedoman MenPANRB 3/2024 Tabel 1 (counts)": "Pedoman MenPANRB 3/2024 Tabel 1 (jumlah instansi)",
    "RPJMN 2020-2024 target 2.60": "target RPJMN 2020–2024: 2,60",
    "framework inferred from weights": "kerangka evaluasi disimpulkan dari bobotnya",
    "instansi count not published in sources found": "jumlah instansi tidak dipublikasikan dalam sumber yang ditemukan",
    "Simulasi Dasbor SPBE (seed 20190328), dikalibrasi ke angka terbitan 2018": (
        "Simulasi Dasbor SPBE (benih acak 20190328), dikalibrasi ke angka terbitan 2018"
    ),
    "announcement of the 2018 results": "pengumuman hasil evaluasi 2018",
    "best: Jawa Tengah, then Jawa Barat": "terbaik: Jawa Tengah, lalu Jawa Barat",
    "count not stated": "jumlah tidak disebutkan",
    "boundary case: predikat follows unrounded index (recomputed from domains) not the rounded printed index": (
        "kasus batas: predikat mengikuti indeks sebelum pembulatan (dihitung ulang dari indeks domain), bukan "
        "indeks tercetak yang dibulatkan"
    ),
}
_SEPARATOR = "; "


def source_text(record: object) -> object:
    """The Indonesian display text of a source record or note; anything else (a missing value) as it is."""
    if not isinstance(record, str):
        return record
    if record in SOURCE_TEXTS:
        return SOURCE_TEXTS[record]
    parts = record.split(_SEPARATOR)
    return _SEPARATOR.join(SOURCE_TEXTS.get(part, part) for part in parts)


def with_source_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every source and note column (sumber, sumber_…, catatan) in its display text."""
    columns = [c for c in frame.columns if str(c) in ("sumber", "catatan") or str(c).startswith("sumber_")]
    if not columns:
        return frame
    return frame.assign(**{str(c): frame[c].map(source_text) for c in columns})
