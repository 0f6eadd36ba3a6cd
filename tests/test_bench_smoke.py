"""Smoke test of the benchmark harness (bench/harness.py): every benchmark at a tiny size, and its report.

Checks the structure of the results (a `budgets` list with name, goal, measured, unit, met;
finite numbers), never a timing. The browser-based ones (and the press kit, whose Kaleido
needs Chromium) skip without Chromium locally and fail under CI=true, as tests/browser does.
"""

from __future__ import annotations

import json
import math

import pytest

from bench import harness, report

BUDGET_KEYS = {"name", "goal", "measured", "unit", "met"}


def check(result: dict, count: int) -> None:
    budgets = result["budgets"]
    assert isinstance(budgets, list) and len(budgets) == count
    for budget in budgets:
        assert budget.keys() >= BUDGET_KEYS
        assert isinstance(budget["name"], str) and budget["name"]
        assert isinstance(budget["goal"], str) and budget["goal"]
        assert isinstance(budget["unit"], str) and budget["unit"]
        assert isinstance(budget["met"], bool)
        assert isinstance(budget["measured"], float) and math.isfinite(budget["measured"])
    assert math.isfinite(result["wall_s"]) and result["loadavg_1m"]["max"] >= 0
    json.dumps(result, default=str)  # what results.json will hold


def test_score_at_a_thousand_rows():
    result = harness.run_one("score", {"sizes": [1_000], "repeat": 1})
    check(result, 2)
    assert "| 987 |" in report.section("score", result)
    row = result["results"][0]
    assert row["rows"] == 987 and math.isfinite(row["duckdb_df_s"]) and math.isfinite(row["ratio_df"])


def test_store_at_real_size_once():
    result = harness.run_one("store", {"scales": [1], "repeat": 1})
    check(result, 1)
    assert "`summary(2024)`" in report.section("store", result)
    assert all(math.isfinite(r["p95_ms"]) and math.isfinite(r["first_ms"]) for r in result["results"])


def test_sensitivity_at_real_size_with_few_draws():
    result = harness.run_one("sensitivity", {"scales": [1], "draws": 100, "repeat": 1})
    check(result, 1)
    row = result["results"][0]
    assert row["instansi"] == 615 and row["equal"] is True and math.isfinite(row["ratio"])
    assert "| 1x | 615 | 4 | 100 |" in report.section("sensitivity", result)


@pytest.mark.browser
def test_presskit_one_chart_one_format(chromium):
    result = harness.run_one("presskit", {"repeat": 1, "charts": 1, "formats": ["png"]})
    check(result, 2)
    assert "ratio one-shot / persistent" in report.section("presskit", result)
    assert math.isfinite(result["ratio"]) and result["formats"] == "png"


@pytest.mark.browser
def test_browser_overview_and_two_changes_per_page(chromium):
    result = harness.run_one("browser", {"runs": 1, "changes": 2})
    check(result, 4)
    assert result["budgets"][0]["name"].startswith("overview: headline KPIs readable")
    assert all(math.isfinite(t) for t in result["overview"]["kpi_ms"])
    for key in ("filter", "asistensi"):
        assert len(result[key]["latencies_ms"]) == 2
        assert all(math.isfinite(v) for v in result[key]["phases_median_ms"].values())
    assert "Asistensi (metric)" in report.section("browser", result)


@pytest.mark.browser
def test_load_two_sessions_and_memory(chromium):
    params = {"sessions": 2, "duration_s": 3.0, "think_s": [0.2, 0.4], "stress_s": 2.0, "pages": ["", "sebaran"]}
    result = harness.run_one("load", params)
    check(result, 3)
    assert result["changes"] >= 1 and result["errors"] == 0, result["error_samples"]
    assert result["stress"]["changes"] >= 1  # the back-to-back phase ran and is reported
    assert "back to back" in result["budgets"][0]["detail"]
    assert result["rss"]["after_pages"]["server_mb"] > 50  # a streamlit process really was measured
    assert "back to back" in report.section("load", result)


def test_ramp_two_protocol_sessions_one_step():
    params = {"steps": [2], "duration_s": 4.0, "think_s": [0.2, 0.4], "max_sessions": 2, "idle_sessions": 2}
    result = harness.run_one("ramp", {**params, "compare_sessions": 0, "compare_s": 0.0, "pages": ["", "sebaran"]})
    check(result, 1)
    (only,) = result["steps"]
    assert only["sessions"] == 2 and only["changes"] >= 1 and only["errors"] == 0, only["error_samples"]
    assert only["visits"]["count"] == 4  # both sessions visited both pages over the protocol
    assert result["knee"] in (0, 2) and result["idle"]["opened"] == 2
    assert "Knee:" in report.section("ramp", result)


def test_ramp_behind_nginx_two_replicas(nginx):
    params = {"steps": [2], "duration_s": 4.0, "think_s": [0.2, 0.4], "max_sessions": 2, "idle_sessions": 0}
    result = harness.run_one(
        "ramp_replicas", {**params, "compare_sessions": 0, "compare_s": 0.0, "pages": ["sebaran"], "replicas": 2}
    )
    check(result, 1)
    (only,) = result["steps"]
    assert only["sessions"] == 2 and only["changes"] >= 1 and only["errors"] == 0, only["error_samples"]
    assert "2 replicas behind nginx" in result["budgets"][0]["name"]
    assert "two replicas, one per core" in report.section("ramp_replicas", result)


def test_markdown_renders_a_report():
    budget = {"name": "x", "goal": "< 1 s", "measured": 0.5, "unit": "s", "met": True, "detail": ""}
    versions = ("duckdb", "pandas", "pyarrow", "numpy", "streamlit", "plotly", "kaleido", "playwright")
    machine = {"nproc": 2, "cpu": "cpu", "memory_gb": 1.0, "kernel": "k", "python": "3", "chromium": "c", "date": "d"}
    machine.update(dict.fromkeys(versions, "1"), loadavg_at_start=[0, 0, 0], loadavg_at_end=[0, 0, 0])
    text = report.markdown({"mode": "quick", "machine": machine, "budgets": [budget], "benchmarks": {}})
    assert "| x | < 1 s | 0.50 s | yes |" in text
