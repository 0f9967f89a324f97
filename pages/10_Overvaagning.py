"""Overvågning: is the model still fit for the world it sees? (for the project team)

Drift of inputs and scores (population stability index), NDCG@10 per
protected group per month, and override rates — all computed by
:func:`jobmatch.monitor.monitor_report`; this page only chooses the periods
and draws the result. The report takes about a minute on the demo world, so it
is made only when the button is pressed, and kept (per periods, model and
data version) for an hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple

import pandas as pd
import streamlit as st

from jobmatch import config, monitor, world
from ui import auth as auth_ui
from ui import frame, state

#: catalogue key of this page's title in the navigation (app.py PAGES)
NAV_TITLE_KEY = "monitor.nav"

auth_ui.require_role("project_team")
tr = state.tr()
lang = state.lang()

st.title(tr("monitor.title"))
st.caption(tr("monitor.intro"))


@st.cache_data(ttl=3600, show_spinner=False, max_entries=8)
def _report(world_dir: str, data_version: str, model_key: str, reference: str, current: str, rule: bool,
            thresholds: tuple) -> dict:
    """The monitoring report, cached per world, model, periods and thresholds (its arguments are the cache key)."""
    return monitor.monitor_report(reference=monitor.parse_period(reference), current=monitor.parse_period(current),
                                  use_model=not rule)


def _model_key() -> str:
    path = config.models_dir() / "metadata.json"
    return f"{path}:{path.stat().st_mtime_ns}" if path.exists() else "none"


try:
    log = world.load_interactions()
    data_version = world.data_version()
except world.WorldMissingError:
    frame.stop_for_missing_world()
default_ref, default_cur = monitor.default_periods(log)


def _range(label_key: str, period: monitor.Period, key: str) -> tuple[dt.date, dt.date] | None:
    value = st.date_input(tr(label_key), value=(period.start.date(), (period.end - pd.Timedelta(days=1)).date()),
                          key=key, format="YYYY-MM-DD")
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[0], value[1]
    return None


with st.form("jm.monitor.form"):
    left, right = st.columns(2)
    with left:
        ref_range = _range("monitor.reference", default_ref, "jm.monitor.reference")
    with right:
        cur_range = _range("monitor.current", default_cur, "jm.monitor.current")
    st.caption(tr("monitor.period_help"))
    submitted = st.form_submit_button(tr("monitor.run"), type="primary")


def _period_text(days: tuple[dt.date, dt.date]) -> str:
    # the page shows inclusive end days; the library's periods end on the day after
    return f"{days[0].isoformat()}:{(days[1] + dt.timedelta(days=1)).isoformat()}"


PERIODS_KEY = "jm.monitor.periods"
if submitted:
    if ref_range is None or cur_range is None:
        st.info(tr("monitor.pick_both"))
        st.stop()
    st.session_state[PERIODS_KEY] = (_period_text(ref_range), _period_text(cur_range))
periods = st.session_state.get(PERIODS_KEY)
if periods is None:
    st.info(tr("monitor.press_run"))
    st.stop()

try:
    with st.spinner(tr("monitor.running")):
        report = _report(str(world.world_path()), data_version, _model_key(), periods[0], periods[1],
                         state.rule_ranking(), astuple(config.monitor_settings()))
except monitor.MonitorError:
    st.warning(tr("monitor.bad_period"))
    st.stop()

# --- status and breaches ---------------------------------------------------------
status = report["status"]
c1, c2, c3 = st.columns(3)
c1.metric(tr("monitor.metric_status"), tr(f"monitor.status.{status}"))
c2.metric(tr("monitor.metric_breaches"), len(report["breaches"]))
c3.metric(tr("monitor.metric_model"), report["model_version"] or tr("monitor.rule"))
if not report["breaches"]:
    st.success(tr("monitor.no_breaches"))
for b in report["breaches"]:
    text = b["message_da"] if lang == "da" else tr("monitor.breach_line", metric=b["metric"], value=b["value"],
                                                   threshold=b["threshold"])
    (st.error if b["level"] == "alert" else st.warning)(text)

# --- drift -----------------------------------------------------------------------
st.subheader(tr("monitor.drift_title"))
st.caption(tr("monitor.drift_help", warn=report["thresholds"]["psi_warn"], alert=report["thresholds"]["psi_alert"]))
drift = pd.DataFrame([{
    tr("monitor.col_quantity"): tr(f"monitor.metric.{d['metric'].replace('.', '_')}"),
    tr("monitor.col_psi"): d["psi"],
    tr("monitor.col_level"): tr(f"monitor.level.{d['level']}"),
    tr("monitor.col_noise"): d["noise_floor"],
    tr("monitor.col_n_reference"): d["n_reference"],
    tr("monitor.col_n_current"): d["n_current"],
} for d in report["drift"]])
st.dataframe(drift, hide_index=True, width="stretch")
ref, cur = report["reference"], report["current"]
st.caption(tr("monitor.periods_line", ref_start=ref["start"], ref_end=ref["end"], cur_start=cur["start"],
              cur_end=cur["end"], ref_citizens=ref["citizens"], cur_citizens=cur["citizens"],
              ref_postings=ref["postings"], cur_postings=cur["postings"]))

# --- per-group quality per month ------------------------------------------------------
st.subheader(tr("monitor.groups_title"))
rows = pd.DataFrame(report["group_metrics"]["rows"])
if rows.empty:
    st.info(tr("monitor.groups_empty"))
else:
    attribute = st.radio(tr("monitor.attribute"), options=sorted(rows["attribute"].unique()), horizontal=True,
                         format_func=lambda a: tr(f"monitor.attr.{a}"), key="jm.monitor.attribute")
    chosen = rows[rows["attribute"] == attribute]
    st.line_chart(chosen.pivot(index="month", columns="group", values="ndcg@10"))
    in_training = [m for m, flag in report["group_metrics"]["in_training_data"].items() if flag]
    if in_training:
        st.caption(tr("monitor.in_training", months=", ".join(sorted(in_training))))

# --- overrides ------------------------------------------------------------------------
st.subheader(tr("monitor.overrides_title"))
overrides = report["overrides"]
if not overrides.get("available"):
    st.info(tr("monitor.no_database"))
else:
    table = pd.DataFrame([{
        tr("monitor.col_window"): tr(f"monitor.window.{name}"),
        tr("monitor.col_rankings"): overrides[name]["rankings"],
        tr("monitor.col_overrides"): overrides[name]["overrides"],
        tr("monitor.col_rate"): overrides[name]["override_rate"],
    } for name in ("reference", "current", "all_time")])
    st.dataframe(table, hide_index=True, width="stretch")
st.caption(tr("monitor.footer", version=report["data_version"], seconds=report["seconds"]))
