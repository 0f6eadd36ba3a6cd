"""The width a page's charts are laid out for: one of figures.SCREEN_WIDTHS, the widest that fits the page's column.

The server cannot see the browser's width. A tiny component measures the main column in the browser and reports
the bucket that fits, only when it differs from the one the server uses: one rerun at most when a page loads, and
one per change of bucket when the window is resized or the sidebar toggled. Until it has reported (a session's
first run, AppTest) the request's User-Agent gives a guess: a phone's narrowest bucket, otherwise a desk's.
"""

from __future__ import annotations

import streamlit as st

from spbe.present.figures import SCREEN_WIDTHS

WIDTH_KEY = "lebar_grafik"  # session state: the bucket reported by the browser, kept across the session's pages
PROBE_KEY = "ukur_lebar"  # the component's key; Streamlit gives its element the class st-key-ukur_lebar
# Markers of a phone or tablet browser in a User-Agent ("Mobi" is Mozilla's advice; Android tablets lack it, and
# a tablet in portrait is as narrow as a large phone).
PHONE_MARKERS = ("Mobi", "Android", "iPhone", "iPad", "iPod", "Opera Mini", "IEMobile", "BlackBerry")
# The main column's content width (px) at a 1400 px desk with the sidebar open, measured in Chromium (layout
# "wide", the page's scrollbar showing; 896 at 1366, 810 at 1280, 358 on a 390 px phone; 10 px more where the
# scrollbar is hidden, as in the headless test browser): the guess for a browser that is not a phone, so a common
# desk's first view is laid out for its width without a rerun.
DESK_CONTENT_WIDTH = 930

# Measures the content box of Streamlit's main column and reports the widest bucket that fits (the narrowest if
# none does), only when that differs from the server's. At once when mounted: the probe is a page's first element,
# so the report reaches the server during the page's first run, which is then run again at once, and the page
# settles only after that. A resize is debounced, so that dragging a window edge reports once. `current` is kept
# locally as well: a report made stays made until the server answers with it.
# Streamlit calls this function again whenever `data` changes, without the previous call's cleanup (seen on 1.67:
# observers piled up, each reporting): the one observer lives on the column, and a new call replaces it.
PROBE_JS = """
export default function ({ data, setStateValue }) {
  const column = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!column) return;
  column.spbeProbe?.stop();
  let current = data.current;
  let timer;
  const report = () => {
    const style = getComputedStyle(column);
    const width = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const fitting = data.widths.filter((w) => w <= width);
    const chosen = fitting.length ? Math.max(...fitting) : Math.min(...data.widths);
    if (chosen !== current) {
      current = chosen;
      setStateValue("width", chosen);
    }
  };
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(report, 150);
  });
  const probe = {
    stop: () => {
      observer.disconnect();
      clearTimeout(timer);
      if (column.spbeProbe === probe) delete column.spbeProbe;
    },
  };
  column.spbeProbe = probe;
  report();
  observer.observe(column);
  return probe.stop;
}
"""
# The probe takes no room: its element is hidden (the script still runs), so no gap opens above the page title.
# Not isolated in a shadow root, so that this rule reaches the element around the component.
PROBE_CSS = f".st-key-{PROBE_KEY} {{ display: none; }}"

PROBE_NAME = "spbe_lebar_layar"  # the component's name, unique in the app
_probe = st.components.v2.component(PROBE_NAME, js=PROBE_JS, css=PROBE_CSS, isolate_styles=False)


def guess_width(user_agent: str | None) -> int:
    """The bucket to lay charts out for before the browser has measured: a phone's narrowest, otherwise the
    widest that fits a desk's column (no User-Agent, as under AppTest, counts as a desk)."""
    if user_agent and any(marker in user_agent for marker in PHONE_MARKERS):
        return SCREEN_WIDTHS[0]
    return max(width for width in SCREEN_WIDTHS if width <= DESK_CONTENT_WIDTH)


def chart_width() -> int:
    """The width (px) this session's charts are laid out for: the browser's report, or the User-Agent's guess."""
    reported = st.session_state.get(WIDTH_KEY)
    return reported if reported in SCREEN_WIDTHS else guess_width(st.context.headers.get("User-Agent"))


def measure() -> None:
    """Mount the probe: it tells the server the page's width bucket when it differs from chart_width()."""
    _probe(key=PROBE_KEY, data={"widths": list(SCREEN_WIDTHS), "current": chart_width()}, on_width_change=_keep)


def _keep() -> None:
    """Keep the browser's report (before the rerun it causes) where every page of the session reads it; a value
    that is not a bucket (a crafted message) is ignored."""
    reported = st.session_state[PROBE_KEY].get("width")
    if reported in SCREEN_WIDTHS:
        st.session_state[WIDTH_KEY] = reported
