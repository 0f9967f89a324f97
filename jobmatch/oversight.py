"""Human oversight for the project team: how consultants use and override the suggestions.

The AI Act's human oversight (art. 14) is only credible if it can be counted.
This module turns the audit trail (rankings shown, ``audit_log`` kind
``ranking``) and the consultants' actions (``consultant_actions``) into
plain tables:

* :func:`override_summary` — rankings shown, overrides, overrides per ranking,
  share of sessions with at least one override, share of rule rankings
  (the stop switch), share of useful feedback;
* :func:`overrides_by_page` — per page: rankings shown, each action, overrides
  per ranking shown on that page;
* :func:`overrides_by_reason` — the consultants' reasons, normalised and
  counted per action;
* :func:`overrides_over_time` — per week (or month): rankings, overrides,
  rate, rule rankings.

An *override* is hide, not relevant, pin, unpin, reorder or add by hand
(feedback is counted separately). Consultants and citizens appear only as
the pseudonyms stored in the trail; the tables never show them one by one,
only counts (the ethics register's decision on consultant monitoring).

The ``render_*`` functions return everything the three project-team pages
of the dashboard show — **Tilsyn** (:func:`render_tilsyn`), **Retfærdighed**
(:func:`render_retfaerdighed`) and **Gennemsigtighed**
(:func:`render_gennemsigtighed`) — as data and texts, so the pages stay thin
and everything can be tested without Streamlit. Their texts are in
:data:`TEXTS` (Danish and English), looked up with :func:`text`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: consultant actions that override the suggestions (feedback is not an override)
OVERRIDE_ACTIONS: tuple[str, ...] = ("hide", "not_relevant", "pin", "unpin", "reorder", "add_manual")

ACTION_COLUMNS = ["ts", "action", "page", "reason", "consultant", "citizen", "session_id", "posting_id",
                  "rank_before", "rank_after", "municipality_code"]
RANKING_COLUMNS = ["ts", "page", "method", "model_version", "data_version", "session_id", "consultant",
                   "suggestions"]

NO_REASON = "(ingen begrundelse)"
NO_PAGE = "(ukendt side)"


# ---------------------------------------------------------------------------
# reading the trail


@dataclass
class OversightData:
    """The actions and rankings read from the database, plus whether they could be read."""

    actions: pd.DataFrame
    rankings: pd.DataFrame
    feedback: pd.DataFrame
    available: bool = True
    problem: str | None = None
    notes: list[str] = field(default_factory=list)


def empty_actions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns, UTC]" if c == "ts" else "object") for c in ACTION_COLUMNS})


def empty_rankings() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in RANKING_COLUMNS})
    frame["ts"] = pd.Series(dtype="datetime64[ns, UTC]")
    frame["suggestions"] = pd.Series(dtype="int64")
    return frame


def _since_dt(since: dt.datetime | dt.date | None) -> dt.datetime | None:
    if since is None:
        return None
    if isinstance(since, dt.datetime):
        return since if since.tzinfo else since.replace(tzinfo=dt.timezone.utc)
    return dt.datetime(since.year, since.month, since.day, tzinfo=dt.timezone.utc)


def load_actions(session_factory: Any, *, since: dt.datetime | dt.date | None = None) -> pd.DataFrame:
    """Consultant actions (one row each; ``ts`` in UTC), oldest first."""
    from sqlalchemy import select

    from jobmatch.dbmodels import ConsultantAction as A

    stmt = select(A.ts, A.action, A.page, A.reason, A.consultant_pseudonym, A.citizen_pseudonym, A.session_id,
                  A.posting_id, A.rank_before, A.rank_after, A.municipality_code).order_by(A.ts, A.id)
    start = _since_dt(since)
    if start is not None:
        stmt = stmt.where(A.ts >= start)
    with session_factory() as session:
        rows = session.execute(stmt).all()
    if not rows:
        return empty_actions()
    frame = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
    return frame


def load_rankings(session_factory: Any, *, since: dt.datetime | dt.date | None = None) -> pd.DataFrame:
    """Rankings shown (audit records of kind ``ranking``): time, page, method, versions, session, size."""
    from sqlalchemy import select

    from jobmatch.dbmodels import AuditRecord as R

    stmt = select(R.ts, R.payload).where(R.kind == "ranking").order_by(R.seq)
    start = _since_dt(since)
    if start is not None:
        stmt = stmt.where(R.ts >= start.strftime("%Y-%m-%dT%H:%M:%S"))
    with session_factory() as session:
        rows = session.execute(stmt).all()
    if not rows:
        return empty_rankings()
    out = []
    for ts, payload in rows:
        try:
            data = json.loads(payload)
        except (TypeError, json.JSONDecodeError):
            continue
        out.append((ts, data.get("page"), data.get("method") or "model", data.get("model_version"),
                    data.get("data_version"), data.get("session"), data.get("consultant"),
                    len(data.get("suggestions") or [])))
    frame = pd.DataFrame(out, columns=RANKING_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True, format="ISO8601")
    return frame


def load_feedback(session_factory: Any, *, since: dt.datetime | dt.date | None = None) -> pd.DataFrame:
    from sqlalchemy import select

    from jobmatch.dbmodels import Feedback as F

    stmt = select(F.ts, F.useful, F.page, F.model_version).order_by(F.ts, F.id)
    start = _since_dt(since)
    if start is not None:
        stmt = stmt.where(F.ts >= start)
    with session_factory() as session:
        rows = session.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=["ts", "useful", "page", "model_version"])
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
    return frame


def load(session_factory: Any = None, *, since: dt.datetime | dt.date | None = None) -> OversightData:
    """Everything the overview needs; ``available=False`` with a one-line problem when the database is not ready."""
    from jobmatch import db

    if session_factory is None:
        try:
            db.require_current()
        except db.DatabaseError as exc:
            return OversightData(empty_actions(), empty_rankings(), pd.DataFrame(columns=["ts", "useful", "page",
                                                                                         "model_version"]),
                                 available=False, problem=str(exc))
        session_factory = db.session_factory()
    try:
        return OversightData(load_actions(session_factory, since=since), load_rankings(session_factory, since=since),
                             load_feedback(session_factory, since=since))
    except Exception as exc:  # a database problem is shown as a sentence on the page, never a traceback
        return OversightData(empty_actions(), empty_rankings(), pd.DataFrame(columns=["ts", "useful", "page",
                                                                                      "model_version"]),
                             available=False, problem=f"{type(exc).__name__}: the audit data could not be read")


# ---------------------------------------------------------------------------
# the tables


def overrides(actions: pd.DataFrame) -> pd.DataFrame:
    """Only the overriding actions."""
    return actions[actions["action"].isin(OVERRIDE_ACTIONS)]


def normalise_reason(reason: Any) -> str:
    """Reasons grouped the way a reader would: lower case, single spaces, no trailing punctuation."""
    if reason is None or (isinstance(reason, float) and np.isnan(reason)):
        return NO_REASON
    text = re.sub(r"\s+", " ", str(reason)).strip().rstrip(".!,;:").strip().lower()
    return text or NO_REASON


def override_summary(actions: pd.DataFrame, rankings: pd.DataFrame, feedback: pd.DataFrame | None = None
                     ) -> dict[str, Any]:
    """Headline figures (see the module docstring); rates are nan when nothing was shown."""
    ov = overrides(actions)
    n_rank = int(len(rankings))
    sessions = set(rankings["session_id"].dropna().astype(str))
    sessions_with = sessions & set(ov["session_id"].dropna().astype(str))
    useful = feedback["useful"].dropna() if feedback is not None and len(feedback) else pd.Series(dtype=bool)
    return {
        "rankings_shown": n_rank,
        "overrides": int(len(ov)),
        "overrides_per_ranking": float(len(ov) / n_rank) if n_rank else float("nan"),
        "sessions": len(sessions),
        "sessions_with_override_share": float(len(sessions_with) / len(sessions)) if sessions else float("nan"),
        "rule_ranking_share": float((rankings["method"] == "rule").mean()) if n_rank else float("nan"),
        "reasons_given_share": float((ov["reason"].map(normalise_reason) != NO_REASON).mean()) if len(ov) else float("nan"),
        "feedback": int(len(useful)),
        "useful_share": float(useful.astype(bool).mean()) if len(useful) else float("nan"),
        "consultants": int(actions["consultant"].nunique() if len(actions) else 0),
    }


def overrides_by_action(actions: pd.DataFrame) -> pd.DataFrame:
    """Count and share per overriding action."""
    ov = overrides(actions)
    counts = ov["action"].value_counts().reindex(list(OVERRIDE_ACTIONS), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"action": counts.index, "count": counts.to_numpy(dtype=int),
                         "share": counts.to_numpy(dtype=float) / total if total else np.nan})


def overrides_by_page(actions: pd.DataFrame, rankings: pd.DataFrame) -> pd.DataFrame:
    """Per page: rankings shown there, each overriding action, all overrides and overrides per ranking."""
    ov = overrides(actions).assign(page=lambda f: f["page"].fillna(NO_PAGE))
    table = pd.crosstab(ov["page"], ov["action"]) if len(ov) else pd.DataFrame()
    table = table.reindex(columns=list(OVERRIDE_ACTIONS), fill_value=0)
    shown = rankings.assign(page=rankings["page"].fillna(NO_PAGE)).groupby("page").size() if len(rankings) \
        else pd.Series(dtype=int)
    pages = sorted(set(table.index) | set(shown.index))
    table = table.reindex(pages, fill_value=0)
    table.insert(0, "rankings", shown.reindex(pages, fill_value=0).astype(int))
    table["overrides"] = table[list(OVERRIDE_ACTIONS)].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = table["overrides"] / table["rankings"].where(table["rankings"] > 0)
    table["overrides_per_ranking"] = rate
    table.index.name = "page"
    return table.reset_index().sort_values(["overrides", "page"], ascending=[False, True]).reset_index(drop=True)


def overrides_by_reason(actions: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """The most frequent reasons per overriding action (normalised), with their share of all overrides."""
    ov = overrides(actions)
    if ov.empty:
        return pd.DataFrame({"reason": pd.Series(dtype=str), "action": pd.Series(dtype=str),
                             "count": pd.Series(dtype=int), "share": pd.Series(dtype=float)})
    frame = ov.assign(reason=ov["reason"].map(normalise_reason))
    counts = frame.groupby(["reason", "action"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / len(frame)
    return counts.sort_values(["count", "reason"], ascending=[False, True]).head(top).reset_index(drop=True)


def overrides_over_time(actions: pd.DataFrame, rankings: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """Per period (``W`` weeks starting Monday, ``M`` months): rankings, rule rankings, overrides, rate."""
    if freq not in ("D", "W", "M"):
        raise ValueError("freq must be 'D', 'W' or 'M'")

    def period(ts: pd.Series) -> pd.Series:
        naive = ts.dt.tz_convert("UTC").dt.tz_localize(None)
        rule = {"D": "D", "W": "W-SUN", "M": "M"}[freq]
        return naive.dt.to_period(rule).dt.start_time

    ov = overrides(actions)
    parts = {
        "rankings": rankings.groupby(period(rankings["ts"])).size() if len(rankings) else pd.Series(dtype=int),
        "rule_rankings": (rankings[rankings["method"] == "rule"].groupby(period(rankings.loc[rankings["method"] == "rule", "ts"])).size()
                          if len(rankings) else pd.Series(dtype=int)),
        "overrides": ov.groupby(period(ov["ts"])).size() if len(ov) else pd.Series(dtype=int),
    }
    index = sorted(set().union(*(set(s.index) for s in parts.values())))
    table = pd.DataFrame({k: s.reindex(index, fill_value=0).astype(int) for k, s in parts.items()}, index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["overrides_per_ranking"] = table["overrides"] / table["rankings"].where(table["rankings"] > 0)
    table.index.name = "period"
    return table.reset_index()


# ---------------------------------------------------------------------------
# page texts (Danish and English)

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "tilsyn.title": "Tilsyn: hvordan bruges forslagene?",
        "tilsyn.intro": ("Her kan projektgruppen se, hvor ofte konsulenterne tilsidesætter jobmatchs forslag, på "
                         "hvilke sider og med hvilke begrundelser. Tallene kommer fra revisionssporet. Konsulenter "
                         "og borgere vises ikke enkeltvis."),
        "tilsyn.unavailable": ("Revisionssporet kan ikke læses, så der er ingen tal endnu. Bed it-afdelingen sætte "
                               "databasen op: `python -m jobmatch db upgrade`."),
        "tilsyn.empty": "Der er ikke vist nogen rangeringer endnu i den valgte periode.",
        "tilsyn.period": "Periode",
        "tilsyn.period_all": "Hele perioden",
        "tilsyn.period_90": "Seneste 90 dage",
        "tilsyn.period_30": "Seneste 30 dage",
        "tilsyn.metric_rankings": "Viste rangeringer",
        "tilsyn.metric_overrides": "Tilsidesættelser",
        "tilsyn.metric_rate": "Tilsidesættelser pr. rangering",
        "tilsyn.metric_sessions": "Samtaler med mindst én tilsidesættelse",
        "tilsyn.metric_rule": "Rangeringer med stopknappen slået til",
        "tilsyn.metric_reasons": "Tilsidesættelser med begrundelse",
        "tilsyn.metric_useful": "Forslag vurderet nyttige (feedback)",
        "tilsyn.by_page": "Pr. side",
        "tilsyn.by_action": "Pr. handling",
        "tilsyn.by_reason": "De hyppigste begrundelser",
        "tilsyn.over_time": "Over tid (pr. uge)",
        "tilsyn.reading": ("**Sådan læses tallene.** Tilsidesættelser er en del af god brug: konsulenten kender "
                           "borgeren. Meget få tilsidesættelser kan betyde, at listen følges ukritisk (automation "
                           "bias). Mange tilsidesættelser med samme begrundelse peger på noget, modellen gør forkert. "
                           "Tag begge dele op på konsulentmøder og i etikregistret."),
        "tilsyn.low_rate": ("Under 5 % af rangeringerne bliver tilsidesat. Tal med konsulenterne om, hvordan de "
                            "bruger listen."),
        "col.page": "Side", "col.rankings": "Rangeringer", "col.overrides": "Tilsidesættelser",
        "col.overrides_per_ranking": "Pr. rangering", "col.action": "Handling", "col.count": "Antal",
        "col.share": "Andel", "col.reason": "Begrundelse", "col.period": "Uge", "col.rule_rankings": "Med stopknap",
        "action.hide": "Skjul", "action.not_relevant": "Ikke relevant", "action.pin": "Sat på joblisten",
        "action.unpin": "Taget af joblisten", "action.reorder": "Flyttet", "action.add_manual": "Tilføjet med hånden",
        "fair.title": "Retfærdighed: fairness-rapport for modellen",
        "fair.intro": ("Rapporten viser, om modellen virker lige godt for kvinder og mænd, for aldersgrupper og for "
                       "borgere med forskellig oprindelse. Køn, alder og oprindelse er aldrig input til modellen; de "
                       "ligger i en separat tabel og bruges kun til denne måling."),
        "fair.none": ("Der er ingen fairness-rapport for den installerede model endnu. Den laves med "
                      "`python -m jobmatch fairness` (tager nogle minutter)."),
        "fair.other_model": ("Rapporten er lavet for model {report_model}, men den installerede model er {model}. "
                             "Lav en ny rapport: `python -m jobmatch fairness`."),
        "fair.metric_exposure": "Laveste eksponeringsforhold",
        "fair.metric_fit": "Laveste forhold, vægtet med pasform",
        "fair.metric_invariance": "Største ændring i top 10 ved invarianstest",
        "fair.metric_proxy": "Beskyttede oplysninger, modellens input afslører",
        "fair.ok": "inden for tærsklen", "fair.not_ok": "over tærsklen",
        "fair.groups": "Pr. gruppe",
        "fair.proxy": "Proxy-tjek",
        "fair.invariance": "Invarianstest",
        "fair.simulated": ("**Data er simuleret.** Tallene viser, hvordan modellen opfører sig i demo-verdenen, ikke "
                           "hos rigtige borgere. Rapporten skal laves igen på kommunens egne data."),
        "fair.note_exposure": ("**Eksponering** er, hvor meget opmærksomhed en gruppes forslag får: ti forslag giver "
                               "1, færre forslag mindre (de øverste pladser tæller mest). Forholdet {ratio} betyder, "
                               "at den gruppe, der får mindst, får {pct} af den gruppe, der får mest. Tærsklen er "
                               "{threshold}."),
        "fair.note_ndcg": ("**NDCG@10** måler, hvor højt de job, borgerne faktisk søgte eller fik, står på listen "
                           "(1 er perfekt). Intervallerne viser usikkerheden; overlapper de, er forskellen ikke sikker."),
        "fair.note_atypical": ("**Kønsatypiske forslag** er job, hvor over 70 % af dem, der har jobbet, er af det "
                               "andet køn. Ingen værdi er den rigtige; en meget lav andel betyder, at listen spejler "
                               "det kønsopdelte arbejdsmarked."),
        "fair.note_proxy": ("**Proxy-tjekket** spørger, om man kan gætte køn, alder eller oprindelse ud fra det, "
                            "modellen ser. 0,5 er ren gætning, 1 er sikker viden. I demo-verdenen er karriererne "
                            "kønsopdelte med vilje, så fag og erfaring afslører køn. Et flag betyder ikke, at modellen "
                            "bruger køn, men at resultaterne kan variere med køn gennem fag – derfor måles pr. gruppe."),
        "fair.note_invariance": ("**Invarianstest:** Det samme CV med et andet navn, skrevet om en kvinde eller en "
                                 "mand, eller med en anden fødselsdato, må højst ændre {threshold} af top 10."),
        "fair.flagged_none": "ingen",
        "col.attribute": "Oplysning", "col.group": "Gruppe", "col.evaluated": "Borgere i testperioden",
        "col.ranked": "Borgere rangeret", "col.ndcg": "NDCG@10",
        "col.exposure": "Eksponering", "col.fit_exposure": "Eksponering (pasform)",
        "col.atypical": "Kønsatypiske forslag", "col.results": "Forslag", "col.auc": "AUC",
        "col.auc_logistic": "AUC (logistisk)", "col.auc_gbm": "AUC (GBM)", "col.flagged": "Flag",
        "col.strongest": "Stærkeste featuregruppe", "col.competences": "AUC (CV-kompetencer)",
        "col.edit": "Ændring", "col.cases": "Tilfælde", "col.max_change": "Største ændring",
        "col.mean_change": "Gns. ændring", "col.min_tau": "Laveste Kendall tau",
        "attr.gender": "Køn", "attr.age_band": "Alder", "attr.origin": "Oprindelse",
        "group.female": "Kvinder", "group.male": "Mænd", "group.danish": "Dansk", "group.western": "Vestlig",
        "group.non_western": "Ikke-vestlig",
        "edit.name": "Navn", "edit.gender_words": "Kønskodede ord", "edit.age": "Alder",
        "yes": "ja", "no": "nej",
        "docs.title": "Gennemsigtighed: dokumenterne om jobmatch",
        "docs.intro": ("Dokumenterne laves automatisk ud fra modellens metadata og fairness-rapporten med "
                       "`python -m jobmatch docs build`."),
        "docs.missing": "Dokumentet er ikke lavet endnu: `python -m jobmatch docs build`.",
        "docs.none": "Dokumenterne er ikke lavet endnu. De laves med `python -m jobmatch docs build`.",
        "docs.stale_model": ("Dokumenterne beskriver model {doc_model}, men den installerede model er {model}. "
                             "Lav dem igen: `python -m jobmatch docs build`."),
        "docs.stale": "Dokumenterne er ikke længere, som de blev lavet: {problems}",
        "docs.current": "Dokumenterne passer til model {model} og data {data}.",
        "docs.download": "Hent {name}",
    },
    "en": {
        "tilsyn.title": "Oversight: how are the suggestions used?",
        "tilsyn.intro": ("The project team sees how often consultants override jobmatch's suggestions, on which "
                         "pages and for which reasons. The figures come from the audit trail. Consultants and "
                         "citizens are never shown one by one."),
        "tilsyn.unavailable": ("The audit trail cannot be read, so there are no figures yet. Ask IT to set up the "
                               "database: `python -m jobmatch db upgrade`."),
        "tilsyn.empty": "No rankings have been shown in the chosen period yet.",
        "tilsyn.period": "Period",
        "tilsyn.period_all": "All time",
        "tilsyn.period_90": "Last 90 days",
        "tilsyn.period_30": "Last 30 days",
        "tilsyn.metric_rankings": "Rankings shown",
        "tilsyn.metric_overrides": "Overrides",
        "tilsyn.metric_rate": "Overrides per ranking",
        "tilsyn.metric_sessions": "Consultations with at least one override",
        "tilsyn.metric_rule": "Rankings with the stop switch on",
        "tilsyn.metric_reasons": "Overrides with a reason",
        "tilsyn.metric_useful": "Suggestions rated useful (feedback)",
        "tilsyn.by_page": "By page",
        "tilsyn.by_action": "By action",
        "tilsyn.by_reason": "Most frequent reasons",
        "tilsyn.over_time": "Over time (per week)",
        "tilsyn.reading": ("**How to read this.** Overrides are part of good use: the consultant knows the citizen. "
                           "Very few overrides can mean the list is followed uncritically (automation bias). Many "
                           "overrides with the same reason point at something the model gets wrong. Raise both at "
                           "consultant meetings and in the ethics register."),
        "tilsyn.low_rate": "Fewer than 5 % of rankings are overridden. Talk with the consultants about how they use the list.",
        "col.page": "Page", "col.rankings": "Rankings", "col.overrides": "Overrides",
        "col.overrides_per_ranking": "Per ranking", "col.action": "Action", "col.count": "Count",
        "col.share": "Share", "col.reason": "Reason", "col.period": "Week", "col.rule_rankings": "With stop switch",
        "action.hide": "Hide", "action.not_relevant": "Not relevant", "action.pin": "Put on the job list",
        "action.unpin": "Taken off the job list", "action.reorder": "Moved", "action.add_manual": "Added by hand",
        "fair.title": "Fairness: the model's fairness report",
        "fair.intro": ("The report shows whether the model works equally well for women and men, for age groups and "
                       "for citizens of different origin. Gender, age and origin are never model inputs; they are "
                       "kept in a separate table used only for this measurement."),
        "fair.none": ("There is no fairness report for the installed model yet. Make one with "
                      "`python -m jobmatch fairness` (takes a few minutes)."),
        "fair.other_model": ("The report was made for model {report_model}, but the installed model is {model}. "
                             "Make a new report: `python -m jobmatch fairness`."),
        "fair.metric_exposure": "Lowest exposure ratio",
        "fair.metric_fit": "Lowest fit-weighted ratio",
        "fair.metric_invariance": "Largest top-10 change in invariance tests",
        "fair.metric_proxy": "Protected attributes the model's inputs reveal",
        "fair.ok": "within the threshold", "fair.not_ok": "beyond the threshold",
        "fair.groups": "Per group",
        "fair.proxy": "Proxy check",
        "fair.invariance": "Invariance tests",
        "fair.simulated": ("**The data are simulated.** The figures show how the model behaves in the demo world, "
                           "not with real citizens. The report must be made again on the municipality's own data."),
        "fair.note_exposure": ("**Exposure** is how much attention a group's suggestions get: ten suggestions give 1, "
                               "fewer give less (top positions count most). The ratio {ratio} means the group that "
                               "gets least gets {pct} of what the group that gets most gets. The threshold is "
                               "{threshold}."),
        "fair.note_ndcg": ("**NDCG@10** measures how high the jobs citizens actually applied for or got stand on the "
                           "list (1 is perfect). The intervals show the uncertainty; if they overlap, the difference "
                           "is not certain."),
        "fair.note_atypical": ("**Gender-atypical suggestions** are jobs where more than 70 % of those holding them "
                               "are of the other gender. No value is right; a very low share means the list mirrors "
                               "the gender-segregated labour market."),
        "fair.note_proxy": ("**The proxy check** asks whether gender, age or origin can be guessed from what the model "
                            "sees. 0.5 is pure guessing, 1 is certainty. In the demo world careers are "
                            "gender-segregated on purpose, so occupation and experience reveal gender. A flag does not "
                            "mean the model uses gender, but that results can vary with gender through occupation — "
                            "hence the per-group figures."),
        "fair.note_invariance": ("**Invariance tests:** the same CV with another name, written about a woman or a man, "
                                 "or with another birth date, may change at most {threshold} of the top 10."),
        "fair.flagged_none": "none",
        "col.attribute": "Attribute", "col.group": "Group", "col.evaluated": "Citizens in the test period",
        "col.ranked": "Citizens ranked", "col.ndcg": "NDCG@10",
        "col.exposure": "Exposure", "col.fit_exposure": "Exposure (fit)",
        "col.atypical": "Gender-atypical suggestions", "col.results": "Suggestions", "col.auc": "AUC",
        "col.auc_logistic": "AUC (logistic)", "col.auc_gbm": "AUC (GBM)", "col.flagged": "Flag",
        "col.strongest": "Strongest feature group", "col.competences": "AUC (CV competences)",
        "col.edit": "Edit", "col.cases": "Cases", "col.max_change": "Largest change",
        "col.mean_change": "Mean change", "col.min_tau": "Lowest Kendall tau",
        "attr.gender": "Gender", "attr.age_band": "Age", "attr.origin": "Origin",
        "group.female": "Women", "group.male": "Men", "group.danish": "Danish", "group.western": "Western",
        "group.non_western": "Non-Western",
        "edit.name": "Name", "edit.gender_words": "Gender-coded words", "edit.age": "Age",
        "yes": "yes", "no": "no",
        "docs.title": "Transparency: the documents about jobmatch",
        "docs.intro": ("The documents are generated from the model's metadata and the fairness report by "
                       "`python -m jobmatch docs build`."),
        "docs.missing": "This document has not been generated yet: `python -m jobmatch docs build`.",
        "docs.none": "The documents have not been generated yet. Generate them with `python -m jobmatch docs build`.",
        "docs.stale_model": ("The documents describe model {doc_model}, but the installed model is {model}. "
                             "Generate them again: `python -m jobmatch docs build`."),
        "docs.stale": "The documents are no longer as generated: {problems}",
        "docs.current": "The documents match model {model} and data {data}.",
        "docs.download": "Download {name}",
    },
}


def text(key: str, lang: str = "da", **params: Any) -> str:
    """The page text of ``key`` (Danish by default; English when asked and present), with ``params`` filled in."""
    table = TEXTS.get(lang if lang in TEXTS else "da", TEXTS["da"])
    template = table.get(key, TEXTS["da"].get(key, key))
    return template.format(**params) if params else template


def _label(prefix: str, value: Any, lang: str) -> str:
    key = f"{prefix}.{value}"
    return text(key, lang) if key in TEXTS["da"] else str(value)


def _fmt(value: Any, lang: str, digits: int = 2, percent: bool = False) -> str:
    if value is None:
        return "–"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not np.isfinite(f):
        return "–"
    s = f"{f * 100:.0f} %" if percent else f"{f:.{digits}f}"
    return s.replace(".", ",") if lang == "da" else s


# ---------------------------------------------------------------------------
# page data: Tilsyn


def render_tilsyn(lang: str = "da", *, session_factory: Any = None, since: dt.datetime | dt.date | None = None,
                  data: OversightData | None = None) -> dict[str, Any]:
    """What the Tilsyn page shows: status, headline metrics and four tables with translated columns."""
    data = data or load(session_factory, since=since)
    out: dict[str, Any] = {"title": text("tilsyn.title", lang), "intro": text("tilsyn.intro", lang),
                           "reading": text("tilsyn.reading", lang), "available": data.available,
                           "message": None, "metrics": [], "tables": {}}
    if not data.available:
        out["message"] = text("tilsyn.unavailable", lang)
        return out
    if data.rankings.empty and data.actions.empty:
        out["message"] = text("tilsyn.empty", lang)
        return out
    s = override_summary(data.actions, data.rankings, data.feedback)
    out["summary"] = s
    out["metrics"] = [
        (text("tilsyn.metric_rankings", lang), f"{s['rankings_shown']:,}".replace(",", "." if lang == "da" else ",")),
        (text("tilsyn.metric_overrides", lang), f"{s['overrides']:,}".replace(",", "." if lang == "da" else ",")),
        (text("tilsyn.metric_rate", lang), _fmt(s["overrides_per_ranking"], lang)),
        (text("tilsyn.metric_sessions", lang), _fmt(s["sessions_with_override_share"], lang, percent=True)),
        (text("tilsyn.metric_rule", lang), _fmt(s["rule_ranking_share"], lang, percent=True)),
        (text("tilsyn.metric_reasons", lang), _fmt(s["reasons_given_share"], lang, percent=True)),
        (text("tilsyn.metric_useful", lang), _fmt(s["useful_share"], lang, percent=True)),
    ]
    if np.isfinite(s["overrides_per_ranking"]) and s["rankings_shown"] >= 20 and s["overrides_per_ranking"] < 0.05:
        out["warning"] = text("tilsyn.low_rate", lang)
    actions_label = {a: text(f"action.{a}", lang) for a in OVERRIDE_ACTIONS}
    by_page = overrides_by_page(data.actions, data.rankings).rename(columns={
        "page": text("col.page", lang), "rankings": text("col.rankings", lang), **actions_label,
        "overrides": text("col.overrides", lang), "overrides_per_ranking": text("col.overrides_per_ranking", lang)})
    by_action = overrides_by_action(data.actions)
    by_action["action"] = by_action["action"].map(actions_label)
    by_action = by_action.rename(columns={"action": text("col.action", lang), "count": text("col.count", lang),
                                          "share": text("col.share", lang)})
    by_reason = overrides_by_reason(data.actions)
    by_reason["action"] = by_reason["action"].map(actions_label)
    by_reason = by_reason.rename(columns={"reason": text("col.reason", lang), "action": text("col.action", lang),
                                          "count": text("col.count", lang), "share": text("col.share", lang)})
    over_time = overrides_over_time(data.actions, data.rankings).rename(columns={
        "period": text("col.period", lang), "rankings": text("col.rankings", lang),
        "rule_rankings": text("col.rule_rankings", lang), "overrides": text("col.overrides", lang),
        "overrides_per_ranking": text("col.overrides_per_ranking", lang)})
    out["tables"] = {text("tilsyn.by_page", lang): by_page, text("tilsyn.by_action", lang): by_action,
                     text("tilsyn.by_reason", lang): by_reason, text("tilsyn.over_time", lang): over_time}
    out["chart"] = over_time.set_index(text("col.period", lang))[[text("col.rankings", lang),
                                                                   text("col.overrides", lang)]]
    return out


# ---------------------------------------------------------------------------
# page data: Retfærdighed


def current_report(models_folder: Path | None = None, docs_folder: Path | None = None
                   ) -> tuple[dict[str, Any] | None, str | None]:
    """The newest fairness report for the installed model (data/reports first, then the generated docs),
    and the installed model's version."""
    from jobmatch import fairness, registry
    from jobmatch.transparency import docs_dir

    try:
        version: str | None = registry.load_model(models_folder).version
    except (registry.ModelMissingError, registry.ModelCompatibilityError):
        version = None
    folders = [fairness.reports_dir(), Path(docs_folder or docs_dir())]
    found = fairness.find_report(version, folders=folders) if version else None
    if found is None:
        any_report = fairness.find_report(None, folders=folders)
        return (any_report[0] if any_report else None), version
    return found[0], version


def render_retfaerdighed(lang: str = "da", *, report: dict[str, Any] | None = None,
                         installed_version: str | None = None) -> dict[str, Any]:
    """What the Retfærdighed page shows: headline checks, per-group/proxy/invariance tables, plain notes."""
    out: dict[str, Any] = {"title": text("fair.title", lang), "intro": text("fair.intro", lang), "report": report,
                           "message": None, "warning": None, "metrics": [], "tables": {}, "notes": []}
    if report is None:
        out["message"] = text("fair.none", lang)
        return out
    if installed_version and report.get("model_version") != installed_version:
        out["warning"] = text("fair.other_model", lang, report_model=report.get("model_version"),
                              model=installed_version)
    th = report.get("thresholds", {})
    checks = report.get("checks", {})
    inv = report.get("invariance", {})
    flagged = (report.get("proxy_check") or {}).get("flagged") or []
    ok = text("fair.ok", lang)
    bad = text("fair.not_ok", lang)
    out["metrics"] = [
        (text("fair.metric_exposure", lang), _fmt(report.get("exposure_ratio_min"), lang),
         ok if checks.get("exposure_ratio_ok") else bad),
        (text("fair.metric_fit", lang), _fmt(report.get("fit_exposure_ratio_min"), lang),
         ok if checks.get("fit_exposure_ratio_ok") else bad),
        (text("fair.metric_invariance", lang), _fmt(inv.get("max_top10_change"), lang),
         ok if inv.get("passed") else bad),
        (text("fair.metric_proxy", lang), ", ".join(_label("attr", a, lang) for a in flagged)
         or text("fair.flagged_none", lang), None),
    ]
    rows = []
    for attr, table in (report.get("groups") or {}).items():
        for group, entry in table.items():
            def ci(metric: str, percent: bool = False, digits: int = 2) -> str:
                s = entry.get(metric) or {}
                if s.get("value") is None:
                    return "–"
                low, high = (s.get("ci95") or [None, None])[:2]
                return (f"{_fmt(s['value'], lang, digits, percent)} "
                        f"[{_fmt(low, lang, digits, percent)}; {_fmt(high, lang, digits, percent)}]")
            rows.append({text("col.attribute", lang): _label("attr", attr, lang),
                         text("col.group", lang): _label("group", group, lang),
                         text("col.evaluated", lang): (entry.get("ndcg@10") or {}).get("n"),
                         text("col.ndcg", lang): ci("ndcg@10"),
                         text("col.ranked", lang): (entry.get("exposure") or {}).get("n"),
                         text("col.exposure", lang): ci("exposure"),
                         text("col.fit_exposure", lang): ci("fit_exposure"),
                         text("col.atypical", lang): ci("atypical_share", percent=True),
                         text("col.results", lang): ci("results", digits=1)})
    proxy_rows = []
    for attr, entry in ((report.get("proxy_check") or {}).get("attributes") or {}).items():
        by_group = entry.get("auc_by_feature_group") or {}
        top = max(by_group.items(), key=lambda kv: kv[1] or 0) if by_group else None
        proxy_rows.append({text("col.attribute", lang): _label("attr", attr, lang),
                           text("col.auc_logistic", lang): _fmt(entry.get("auc_logistic"), lang),
                           text("col.auc_gbm", lang): _fmt(entry.get("auc_gbm"), lang),
                           text("col.flagged", lang): text("yes" if entry.get("flagged") else "no", lang),
                           text("col.strongest", lang): f"{top[0]} ({_fmt(top[1], lang)})" if top else "–",
                           text("col.competences", lang): _fmt(entry.get("auc_cv_competences"), lang)})
    inv_rows = [{text("col.edit", lang): _label("edit", edit, lang), text("col.cases", lang): e.get("cases"),
                 text("col.max_change", lang): _fmt(e.get("max_top10_change"), lang),
                 text("col.mean_change", lang): _fmt(e.get("mean_top10_change"), lang),
                 text("col.min_tau", lang): _fmt(e.get("min_kendall_tau"), lang)}
                for edit, e in (inv.get("by_edit") or {}).items()]
    out["tables"] = {text("fair.groups", lang): pd.DataFrame(rows), text("fair.proxy", lang): pd.DataFrame(proxy_rows),
                     text("fair.invariance", lang): pd.DataFrame(inv_rows)}
    ratio = report.get("exposure_ratio_min")
    notes = []
    if report.get("simulated_data"):
        notes.append(text("fair.simulated", lang))
    notes.append(text("fair.note_exposure", lang, ratio=_fmt(ratio, lang), pct=_fmt(ratio, lang, percent=True),
                      threshold=_fmt(th.get("exposure_ratio_min_ok"), lang)))
    notes += [text("fair.note_ndcg", lang), text("fair.note_atypical", lang), text("fair.note_proxy", lang),
              text("fair.note_invariance", lang, threshold=_fmt(th.get("invariance_max_top10_change"), lang,
                                                                  percent=True))]
    out["notes"] = notes
    return out


# ---------------------------------------------------------------------------
# page data: Gennemsigtighed


def render_gennemsigtighed(lang: str = "da", *, folder: Path | None = None,
                           models_folder: Path | None = None) -> dict[str, Any]:
    """What the Gennemsigtighed page shows: each generated document (text or bytes) and whether they are current."""
    from jobmatch import transparency

    folder = Path(folder or transparency.docs_dir())
    docs = []
    for doc in transparency.DOCUMENTS:
        if doc.filename == "manifest.json":
            continue
        path = folder / doc.filename
        entry: dict[str, Any] = {"filename": doc.filename, "title": doc.title_da if lang == "da" else doc.title_en,
                                 "kind": doc.kind, "exists": path.is_file(), "content": None}
        if entry["exists"]:
            try:
                entry["content"] = path.read_bytes() if doc.kind == "pdf" else path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                entry["exists"] = False
        docs.append(entry)
    problems = transparency.stale(folder, models_folder)
    manifest = transparency.read_manifest(folder)
    installed = _installed_version(models_folder)
    if manifest is None:
        status = text("docs.none", lang)
    elif manifest.get("model_version") != installed:
        status = text("docs.stale_model", lang, doc_model=manifest.get("model_version"), model=installed)
    elif problems:
        status = text("docs.stale", lang, problems="; ".join(problems))
    else:
        status = text("docs.current", lang, model=manifest.get("model_version"), data=manifest.get("data_version"))
    return {"title": text("docs.title", lang), "intro": text("docs.intro", lang), "documents": docs,
            "stale": bool(problems), "status": status, "missing": text("docs.missing", lang)}


def _installed_version(models_folder: Path | None = None) -> str | None:
    from jobmatch import registry

    try:
        return registry.load_model(models_folder).version
    except (registry.ModelMissingError, registry.ModelCompatibilityError):
        return None


def as_records(frame: pd.DataFrame) -> list[Mapping[str, Any]]:
    """A table as plain records (for JSON output and tests)."""
    return frame.replace({np.nan: None}).to_dict(orient="records")
