"""The frameworks of the committed reference data, for tests that need one when they are collected
(module constants, parametrize); the `frameworks` fixture serves the same."""

from spbe.model.framework import load_frameworks
from spbe.settings import ROOT

FRAMEWORKS = load_frameworks(ROOT / "data" / "reference")
F2018 = FRAMEWORKS.by_key("permenpanrb-5-2018")
F2020 = FRAMEWORKS.by_key("permenpanrb-59-2020")
