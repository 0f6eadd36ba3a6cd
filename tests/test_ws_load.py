"""The protocol side of the load generator (bench/ws_load.py), without a server: what a Client learns from a recorded
ForwardMsg sequence, the BackMsg it answers with, and the ramp's knee. Timings are never asserted."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput

from bench import ws_load
from bench.ws_load import Client

PAGE = "31e28b43d94f170f7688f246726ee4d9"
FRAGMENT = "a92969fbaa875866059c49c827c33379"


def new_session(page_hash: str = "8673fd9a8abf7c7d1ec9fbe3ba9c4ddc") -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = page_hash
    msg.new_session.config.max_cached_message_age = 2
    return msg


def navigation(current: str = PAGE) -> ForwardMsg:
    msg = ForwardMsg()
    for name, digest in (("", "main"), ("sebaran", PAGE), ("profil", "profil-hash")):
        page = msg.navigation.app_pages.add()
        page.url_pathname, page.page_script_hash = name, digest
    msg.navigation.page_script_hash = current
    return msg


def element(kind: str, fragment: str = "", **fields) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.fragment_id = fragment
    proto = getattr(msg.delta.new_element, kind)
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(proto, name).extend(value)
        else:
            setattr(proto, name, value)
    return msg


def finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def page_info(query: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.page_info_changed.query_string = query
    return msg


def sebaran_run(client: Client, cari: str = "") -> None:
    """What the server sends for /sebaran (shortened): a run, the year, a bound search box, a toggle, the end."""
    for msg in (
        new_session(),
        navigation(),
        page_info(""),
        element("heading", body="Sebaran Predikat"),
        element("selectbox", id="$$ID-1-tahun", options=["2018", "2024"], default=1, query_param_key="tahun"),
        element("multiselect", id="$$ID-2-predikat", options=["Baik", "Kurang"]),
        element("text_input", id="$$ID-3-cari", default="", value=cari, set_value=bool(cari), query_param_key="cari"),
        element("checkbox", id="$$ID-4-histogram_tabel", default=False),
        element("markdown", body="no widget"),
        finished(),
    ):
        client.receive(msg.SerializeToString(), 0.0)


def test_widget_states_are_the_values_the_frontend_reports():
    select = element("selectbox", id="$$ID-a-kota", options=["Jakarta", "Medan"], default=1).delta.new_element
    assert ws_load.widget_state("selectbox", select.selectbox).string_value == "Medan"
    chosen = element("selectbox", id="$$ID-a-kota", options=["Jakarta"], default=0, raw_value="Bali", set_value=True)
    assert ws_load.widget_state("selectbox", chosen.delta.new_element.selectbox).string_value == "Bali"
    multi = element("multiselect", id="$$ID-b-p", options=["A", "B", "C"], default=[0, 2]).delta.new_element
    assert list(ws_load.widget_state("multiselect", multi.multiselect).string_array_value.data) == ["A", "C"]
    number = element("number_input", id="$$ID-c-n", default=80.0, data_type=NumberInput.INT).delta.new_element
    assert ws_load.widget_state("number_input", number.number_input).int_value == 80
    weight = element("number_input", id="$$ID-d-w", default=0.5, data_type=NumberInput.FLOAT).delta.new_element
    assert ws_load.widget_state("number_input", weight.number_input).double_value == 0.5
    upload = element("file_uploader", id="$$ID-e-u").delta.new_element
    assert ws_load.widget_state("file_uploader", upload.file_uploader).HasField("file_uploader_state_value")
    assert ws_load.widget_state("heading", element("heading", body="x").delta.new_element.heading) is None
    assert ws_load.user_key("$$ID-5007e2b0fabc75d48f494d61ff558fe2-bobot_Sangat Baik") == "bobot_Sangat Baik"


def test_a_change_sends_every_widget_the_page_and_the_url_as_the_browser_does():
    client = Client("http://127.0.0.1:8501")
    client.path, client.query = "sebaran", "tahun=2024"
    sebaran_run(client)
    assert client.page_hash == PAGE and client.pages["profil"] == "profil-hash"
    assert client.query == ""  # the server dropped tahun=2024, the default (page_info_changed)
    assert client.headings == ["Sebaran Predikat"]
    set_cari = client.set_text("cari")
    set_cari("Kota Banda")
    state = client.rerun().rerun_script
    values = {ws_load.user_key(w.id): w.WhichOneof("value") for w in state.widget_states.widgets}
    assert values == {
        "tahun": "string_value",
        "predikat": "string_array_value",
        "cari": "string_value",
        "histogram_tabel": "bool_value",
    }
    assert next(w.string_value for w in state.widget_states.widgets if w.id == "$$ID-3-cari") == "Kota Banda"
    assert state.query_string == "cari=Kota+Banda" and state.page_script_hash == PAGE and not state.fragment_id
    assert state.context_info.url == "http://127.0.0.1:8501/sebaran" and state.context_info.locale == "id-ID"
    set_cari("")  # back at the default: the parameter leaves the URL
    assert client.query == ""


def test_the_value_a_user_typed_survives_a_rerun_that_does_not_set_it():
    client = Client("http://x")
    sebaran_run(client)
    client.set_text("cari")("Kota")
    sebaran_run(client)  # the element comes again with set_value false
    assert client.widget("cari").state.string_value == "Kota"
    sebaran_run(client, cari="Jawa")  # the server sets it (session state, the URL)
    assert client.widget("cari").state.string_value == "Jawa"


def test_first_request_and_page_visit_carry_no_widget_states():
    client = Client("http://x")
    client.path, client.query = "sebaran", "tahun=2024"
    first = client.rerun(widgets=False, page_hash="", page_name="sebaran").rerun_script
    assert first.HasField("widget_states") and not first.widget_states.widgets
    assert first.page_name == "sebaran" and first.page_script_hash == "" and first.query_string == "tahun=2024"
    sebaran_run(client)
    visit = client.rerun(widgets=False, page_hash=client.pages["profil"]).rerun_script
    assert visit.page_script_hash == "profil-hash" and not visit.widget_states.widgets


def test_widgets_no_longer_drawn_are_forgotten_and_a_fragment_run_keeps_the_page():
    client = Client("http://x")
    for msg in (
        new_session(),
        navigation(),
        element("checkbox", id="$$ID-1-kohort_tabel"),
        element("selectbox", FRAGMENT, id="$$ID-2-jalur_kota", options=["Jakarta", "Medan"], default=0),
        element("selectbox", FRAGMENT, id="$$ID-3-jalur_instansi_Jakarta", options=["A"], default=0),
        finished(),
    ):
        client.receive(msg.SerializeToString(), 0.0)
    widget = client.set_text("jalur_kota")("Medan")
    assert widget.fragment == FRAGMENT
    client.run = ws_load.Run(0.0, fragment=FRAGMENT)
    for msg in (
        new_session(PAGE),
        element("selectbox", FRAGMENT, id="$$ID-2-jalur_kota", options=["Jakarta", "Medan"], default=0),
        element("selectbox", FRAGMENT, id="$$ID-4-jalur_instansi_Medan", options=["B"], default=0),
        finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY),
    ):
        client.receive(msg.SerializeToString(), 1.0)
    keys = {ws_load.user_key(i) for i in client.widgets}
    assert keys == {"kohort_tabel", "jalur_kota", "jalur_instansi_Medan"}
    assert client.run.done.is_set() and client.run.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def test_a_cached_message_is_offered_resolved_from_its_reference_and_expires():
    client = Client("http://x")
    big = element("plotly_chart", spec=json.dumps({"data": [{"x": [1, 2, 3]}]}))
    big.hash, big.metadata.cacheable = "h1", True
    client.receive(new_session().SerializeToString(), 0.0)
    client.receive(big.SerializeToString(), 0.0)
    client.receive(finished().SerializeToString(), 0.0)
    assert list(client.rerun().rerun_script.cached_message_hashes) == ["h1"]
    client.run = ws_load.Run(0.0, watch=ws_load.shows_histogram("", 3))
    ref = ForwardMsg(ref_hash="h1")
    resolved = client.receive(ref.SerializeToString(), 2.0)
    assert resolved.delta.new_element.plotly_chart.spec == big.delta.new_element.plotly_chart.spec
    assert client.run.watched_at == 2.0  # the referenced chart counts as arrived
    for _ in range(3):  # unused for more than max_cached_message_age runs
        client.receive(finished().SerializeToString(), 3.0)
    assert not client.cache


def test_an_early_finish_for_rerun_does_not_end_the_request():
    client = Client("http://x")
    client.run = ws_load.Run(0.0)
    client.receive(finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN).SerializeToString(), 1.0)
    assert not client.run.done.is_set()
    client.receive(finished().SerializeToString(), 2.0)
    assert client.run.done.is_set() and client.run.finished_at == 2.0


def test_watches_find_the_new_state_not_just_the_title():
    fig = go.Figure(go.Histogram(x=np.arange(98, dtype=float)), layout={"title": "Sebaran Indeks SPBE 2024"})
    chart = element("plotly_chart", spec=fig.to_json())
    assert ws_load.plotly_count(fig.to_json()) == 98
    assert ws_load.shows_histogram("Sebaran Indeks SPBE", 98)(chart)
    assert not ws_load.shows_histogram("Sebaran Indeks SPBE", 615)(chart)
    plain = {"data": [{"x": [1.0, 2.0]}]}
    assert ws_load.plotly_count(json.dumps(plain)) == 2
    typed = {"data": [{"x": {"dtype": "i4", "bdata": base64.b64encode(np.arange(5, dtype="i4").tobytes()).decode()}}]}
    assert ws_load.plotly_count(json.dumps(typed)) == 5
    metric = element("metric", label="Di bawah predikat Baik", body="64,1%")
    assert ws_load.shows_metric("Di bawah predikat Baik", "64,1%")(metric)
    assert not ws_load.shows_metric("Di bawah predikat Baik", "73,5%")(metric)


def step(sessions: int, p95: float, errors: int = 0) -> dict:
    return {"sessions": sessions, "p95_ms": p95, "errors": errors, "changes": 10}


def test_the_knee_is_the_most_sessions_under_one_second_without_errors():
    assert ws_load.knee([step(10, 200), step(25, 400), step(50, 900), step(100, 1500)]) == 50
    assert ws_load.knee([step(10, 200), step(25, 300, errors=1)]) == 10
    assert ws_load.knee([step(10, 1000)]) == 0  # p95 must be under the goal
    assert ws_load.knee([]) == 0


def test_the_ramp_goes_on_until_the_first_failing_step_then_doubles_to_the_cap():
    counts = [10, 25, 50]
    assert ws_load.next_count(counts, [], 800) == 10
    assert ws_load.next_count(counts, [step(10, 100)], 800) == 25
    assert ws_load.next_count(counts, [step(10, 100), step(25, 1200)], 800) is None
    done = [step(10, 100), step(25, 200), step(50, 300)]
    assert ws_load.next_count(counts, done, 800) == 100
    assert ws_load.next_count(counts, done, 99) is None
    assert ws_load.next_count([], [], 800) is None
