"""The frameworks of the committed reference data, for tests that need one when they are collected
(module constants, parametrize); the `frameworks` fixture serves the same."""

from spbe.model.framework import load_frameworks
from spbe.settings import ROOT

FRAMEWORKS = load_frameworks(ROOT / "data" / "reference")
F2018 = FRAMEWORKS.by_key("permenpanrb-5-2018")
F2020 = FRAMEWORKS.by_key("permenpanrb-59-2020")
F2026 = FRAMEWORKS.by_key("permenpanrb-8-2026")
# The seven aspects of PermenPANRB 8/2026 in their order (data/reference/framework_2026.csv, secondary sources):
# the expected value wherever a 2026 year shows its components.
ASPECTS_2026 = [
    "Tata Kelola dan Manajemen",
    "Penyelenggara",
    "Data",
    "Keamanan Pemerintah Digital",
    "Teknologi Pemerintah Digital",
    "Keterpaduan Layanan Digital",
    "Kepuasan Pengguna",
]
