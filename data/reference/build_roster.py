"""Generate roster_2018.csv: the 623 instansi of the 2019 asistensi roster.

Run after build_aliases.py, review the diff, commit the CSV:

    .venv/bin/python data/reference/build_roster.py

What is published (Okezone and Tempo, 28 Mar 2019; KemenPANRB press release 11 Jul 2019):
616 instansi were evaluated in 2018 (34 Kementerian, 27 LPNK, 29 other lembaga, the Polda,
34 Provinsi, 88 Kota, the rest Kabupaten) and 623 instansi were in the 2019 asistensi.
Taking 34 Polda (one per 2018 province) leaves 616 - 34 - 27 - 29 - 34 - 34 - 88 = 370
Kabupaten. Which instansi these were is NOT published. This script reconstructs a roster
with a fixed, documented rule so that the 2018 simulation has real instansi names:

* Kementerian (34), LPNK (27), Polda (34): every instansi of instansi_pusat.csv with that
  kelompok_2018 (the counts are asserted). Memberships are reconstructed from the 2018
  government structure; uncertain cases are described in instansi_pusat.csv ``note``.
* Lembaga lainnya (29 of the 37 candidates that existed in 2018): ordered by first
  appearance in the 2023 official table, then in the 2024 table; the first 29 are taken.
* Provinsi (34): the 34 provinces of 2018 (provinsi_34_2018.csv codes).
* Kota (88) and Kabupaten (370): autonomous kota/kabupaten only (the five administrative
  kota and the administrative kabupaten of DKI Jakarta are not pemda of their own; all 514
  kabupaten/kota existed in 2018), stratified by 2018 province so that the selection spreads
  over the whole country:
    1. each 2018 province gets a share of the 88 kota (and, separately, of the 370 kabupaten)
       in proportion to how many autonomous kota (kabupaten) it has, by the largest-remainder
       (Hamilton) method in exact fractions, ties to the lower province code;
    2. a share is capped at the number of that province's kota (kabupaten) that appear in
       the 2023 official table (only Papua and Papua Barat hit the cap: many of their
       kabupaten are missing from the 2023 table); the seats a cap frees are apportioned
       again over the uncapped provinces in the same way, until no share exceeds its cap;
    3. within a province: those in the 2023 official table first, then by Kemendagri code.
* 7 more (evaluated_2018 = false), the programme's 623 - 616: one leftover kabupaten/kota
  from each of the seven (province, kota/kabupaten) strata with the largest unmet quota
  (exact quota minus seats given; ties to kabupaten, then the lower province code), at most
  one per province, the first leftover of the stratum in the order of step 3.
"""

from __future__ import annotations

import csv
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from spbe.build.roster import build_registry  # noqa: E402
from spbe.data.registry import resolve_names  # noqa: E402

OUTPUT = HERE / "roster_2018.csv"

COUNTS = {
    "Kementerian": 34,
    "LPNK": 27,
    "Lembaga lainnya": 29,
    "Polda": 34,
    "Provinsi": 34,
    "Kota": 88,
    "Kabupaten": 370,
}
NOT_EVALUATED = 7

RECON = (
    "2018 membership reconstructed from the 2018 government structure; only the count "
    "{n} is published (Okezone/Tempo 28 Mar 2019)"
)
STRATIFIED = (
    "which {kind} were evaluated in 2018 is not published; rule: the {n} {kind} apportioned to "
    "2018 provinces by largest remainder, capped at those in the 2023 official table; within "
    "the province, in the 2023 table first, then Kemendagri code"
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def apportion(total: int, sizes: dict[str, int], caps: dict[str, int]) -> tuple[dict[str, int], dict[str, Fraction]]:
    """Largest-remainder apportionment of ``total`` seats by ``sizes``, each share capped by ``caps``.

    Returns (seats, quotas), both keyed by province. A province whose share would exceed its
    cap gets exactly the cap and leaves the round; the rest share the remaining seats anew.
    Quotas are exact fractions (the last round's, or the capped province's own), so the
    result is the same on every machine. Ties in the remainder go to the lower code.
    """
    seats: dict[str, int] = {}
    quotas: dict[str, Fraction] = {}
    open_ = sorted(sizes)
    left = total
    while True:
        pool = sum(sizes[p] for p in open_)
        round_quotas = {p: Fraction(left * sizes[p], pool) for p in open_}
        over = [p for p in open_ if round_quotas[p] > caps.get(p, 0)]
        if not over:
            break
        for province in over:
            seats[province] = caps.get(province, 0)
            quotas[province] = round_quotas[province]
            left -= seats[province]
        open_ = [p for p in open_ if p not in over]
    given = {p: int(round_quotas[p]) for p in open_}  # floor: quotas are non-negative
    by_remainder = sorted(open_, key=lambda p: (-(round_quotas[p] - given[p]), p))
    for province in by_remainder[: left - sum(given.values())]:
        given[province] += 1
    seats.update(given)
    quotas.update(round_quotas)
    assert sum(seats.values()) == total and all(seats[p] <= caps.get(p, 0) for p in seats), seats
    return seats, quotas


def main() -> int:
    registry = build_registry(HERE)
    results = read_csv(HERE / "results_2023_2024.csv")
    ids = resolve_names([r["instansi"] for r in results], registry).tolist()
    first_seen: dict[str, tuple[int, int]] = {}
    for position, (row, instansi_id) in enumerate(zip(results, ids, strict=True)):
        first_seen.setdefault(instansi_id, (int(row["year"]), position))
    in_2023 = {i for i, r in zip(ids, results, strict=True) if r["year"] == "2023"}

    reg = registry.set_index("instansi_id")
    pusat = read_csv(HERE / "instansi_pusat.csv")
    nama_2018 = {p["instansi_id"]: p["nama_2018"] for p in pusat}
    roster: list[dict[str, str]] = []

    def add(instansi_id: str, kelompok: str, evaluated: bool, selection: str) -> None:
        row = reg.loc[instansi_id]
        roster.append(
            {
                "instansi_id": instansi_id,
                "nama_2018": nama_2018.get(instansi_id) or row["nama"],
                "kelompok_2018": kelompok,
                "kode_provinsi_2018": "" if row.isna()["kode_provinsi_2018"] else row["kode_provinsi_2018"],
                "evaluated_2018": "true" if evaluated else "false",
                "selection": selection,
            }
        )

    for kelompok in ("Kementerian", "LPNK", "Polda"):
        members = [p["instansi_id"] for p in pusat if p["kelompok_2018"] == kelompok]
        assert len(members) == COUNTS[kelompok], (kelompok, len(members))
        for instansi_id in members:
            note = RECON.format(n=COUNTS[kelompok])
            if kelompok == "Polda":
                note = "one Polda per 2018 province; " + note
            add(instansi_id, kelompok, True, note)

    candidates = [p["instansi_id"] for p in pusat if p["kelompok_2018"] == "Lembaga lainnya"]
    candidates.sort(key=lambda i: first_seen.get(i, (9999, 0)))
    for rank, instansi_id in enumerate(candidates[: COUNTS["Lembaga lainnya"]], start=1):
        add(
            instansi_id,
            "Lembaga lainnya",
            True,
            f"rank {rank} of {len(candidates)} central instansi that existed in 2018 outside "
            "Kementerian/LPNK/Polda, ordered by first appearance in the 2023 then 2024 official "
            "table; the first 29 taken; " + RECON.format(n=29),
        )

    for code in read_csv(HERE / "provinsi_34_2018.csv"):
        add(code["kode"], "Provinsi", True, "the 34 provinces of 2018 (published count 34)")

    pemda = registry[
        registry["kategori"].isin(["Kabupaten", "Kota"])
        & ~registry["sumber"].str.contains("administrative", regex=False)
    ]
    pemda = pemda.assign(absent_2023=~pemda["instansi_id"].isin(in_2023)).sort_values(
        ["kode_provinsi_2018", "absent_2023", "instansi_id"]
    )
    province_names = {p["kode"]: p["nama"] for p in read_csv(HERE / "provinsi_34_2018.csv")}
    unmet: list[tuple[Fraction, str, str, list[str]]] = []  # (unmet quota, kategori, province, leftovers)
    for kategori in ("Kota", "Kabupaten"):
        group = pemda[pemda["kategori"] == kategori]
        sizes = group.groupby("kode_provinsi_2018").size().to_dict()
        caps = group[~group["absent_2023"]].groupby("kode_provinsi_2018").size().to_dict()
        seats, quotas = apportion(COUNTS[kategori], sizes, caps)
        kind = kategori.lower()
        for province, members in group.groupby("kode_provinsi_2018", sort=True):
            ids = members["instansi_id"].tolist()  # already in the within-province order
            taken = seats.get(province, 0)
            for rank, instansi_id in enumerate(ids[:taken], start=1):
                add(
                    instansi_id,
                    kategori,
                    True,
                    f"{province_names[province]}: rank {rank} of {len(ids)} {kind}, {taken} allocated "
                    f"(quota {float(quotas[province]):.2f}); " + STRATIFIED.format(kind=kind, n=COUNTS[kategori]),
                )
            if taken < len(ids):
                unmet.append((quotas[province] - taken, kategori, province, ids[taken:]))

    # Largest unmet quota first; ties to kabupaten (sorted after kota), then the lower code.
    unmet.sort(key=lambda u: (-u[0], u[1] != "Kabupaten", u[2]))
    used: set[str] = set()
    for shortfall, kategori, province, leftovers in unmet:
        if len(used) == NOT_EVALUATED:
            break
        if province in used:
            continue
        used.add(province)
        add(
            leftovers[0],
            kategori,
            False,
            f"not evaluated in 2018: one of the {NOT_EVALUATED} instansi that make the 623 of the "
            f"2019 asistensi (press release 11 Jul 2019; which they were is not published); "
            f"{province_names[province]} {kategori.lower()}, whose quota exceeded its seats by "
            f"{float(shortfall):.2f}, one of the seven largest shortfalls (one per province)",
        )

    evaluated = [r for r in roster if r["evaluated_2018"] == "true"]
    for kelompok, n in COUNTS.items():
        got = sum(r["kelompok_2018"] == kelompok for r in evaluated)
        assert got == n, (kelompok, got, n)
    assert len(evaluated) == 616 and len(roster) == 623, (len(evaluated), len(roster))
    assert len({r["instansi_id"] for r in roster}) == len(roster)

    tmp = OUTPUT.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(roster[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(roster)
    tmp.replace(OUTPUT)
    print(f"wrote {OUTPUT.name}: {len(roster)} instansi, {len(evaluated)} evaluated in 2018")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
