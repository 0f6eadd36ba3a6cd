"""A figure built once and shared by every session (spbe.ui.shared) is read by many script threads at once: one
session lays it out for an export while another serialises it for its digest (spbe.ui.arranged). Copying it must
only read it. The protocol-level ramp found the opposite at 35 sessions: go.Figure(fig) moved the shared map's
trace properties about while it copied them, and another session's to_json failed ("dictionary changed size during
iteration"), an error box on Peta."""

import sys
import threading

import pytest

from spbe.data.store import Store
from spbe.present import maps
from spbe.present.export import PRESETS, laid_out
from spbe.settings import ROOT

ROUNDS = 15


@pytest.fixture
def threads_switch_often():
    """Threads take turns every 10 µs instead of every 5 ms, so that the two actions interleave within each round."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(previous)


def test_a_shared_map_can_be_laid_out_for_export_while_other_threads_serialise_it(threads_switch_often):
    store = Store(ROOT / "data")
    fig = maps.choropleth_chart(maps.map_view(store, 2024, "rata_rata", None)).fig
    before = fig.to_json()
    errors: list[str] = []

    def repeat(action) -> None:
        for _ in range(ROUNDS):
            try:
                action()
            except Exception as error:  # noqa: BLE001 - every failure of a thread is collected and reported
                errors.append(repr(error))
                return

    actions = [fig.to_json, fig.to_json, lambda: laid_out(fig, PRESETS["slide"])]
    workers = [threading.Thread(target=repeat, args=(action,)) for action in actions]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert fig.to_json() == before  # and the shared figure is as it was
