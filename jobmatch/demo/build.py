"""Build the demo world: postings, citizens with CVs, and an interaction log.

``python -m jobmatch data build [--seed N]`` calls :func:`build_world`. The
world is deterministic from the seed (same seed → same data version hash) and
is written as Parquet to ``config.world_dir()``; an existing world built with
the same seed, size and generator version is reused.

What is simulated and how:

* **Postings** — about 30,000 open ("current") postings plus a history of
  closed ones for the interaction log. Occupation by a demand weighting toward
  the Capital Region's shortage areas; workplace postcode by the gazetteer
  population of the place, with extra weight on the Capital Region; text
  from templates (:mod:`jobmatch.demo.texts`) that name professional and
  personal requirements in natural language; about 6 % in English.
* **Citizens** — job seekers living in the pilot municipalities, with a
  simulated career (occupations, employers, dates, education, languages,
  licences) shaped by gender, age and origin as in the real labour market, and
  a CV text that mentions most — not all — of their true competences.
* **Interactions** — each month a citizen is unemployed, the legacy job-centre
  system "shows" a handful of open postings in a broad commuting range (biased
  toward their field, but noisy); :mod:`jobmatch.demo.behaviour` decides
  applications, interviews and hires from hidden true fit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from jobmatch import config, geo
from jobmatch.demo import behaviour
from jobmatch.demo.texts import (
    Phrases,
    cv_text,
    education_text,
    employer_name,
    is_credential,
    person_name,
    posting_description,
    STREETS,
)
from jobmatch.taxonomy import EDUCATION_LEVELS, EDUCATION_ORDER, load_taxonomy
from jobmatch.world import frame_hash

GENERATOR_VERSION = "1"

#: share of postings by industry (demand), weighted toward the Capital Region's shortage areas
POSTING_INDUSTRY_WEIGHTS = {
    "health_care": 0.14, "pedagogy_education": 0.10, "social_work": 0.05, "cleaning_property": 0.06,
    "hospitality": 0.09, "retail_sales": 0.11, "construction": 0.09, "transport_logistics": 0.09,
    "industry_production": 0.06, "agriculture_green": 0.02, "engineering_energy": 0.03,
    "security_emergency": 0.02, "it_telecom": 0.05, "office_finance": 0.05, "management": 0.01,
    "academic_public": 0.02, "culture_media": 0.01,
}
#: occupational gender segregation multipliers (real labour-market pattern, simulated)
GENDER_MULTIPLIERS = {
    "female": {"health_care": 1.8, "pedagogy_education": 1.6, "social_work": 1.3, "cleaning_property": 1.2,
               "office_finance": 1.3, "construction": 0.25, "transport_logistics": 0.4,
               "industry_production": 0.6, "security_emergency": 0.5, "it_telecom": 0.5,
               "engineering_energy": 0.5},
    "male": {"health_care": 0.35, "pedagogy_education": 0.5, "social_work": 0.7, "construction": 2.5,
             "transport_logistics": 2.0, "industry_production": 1.6, "security_emergency": 1.5,
             "it_telecom": 1.5, "engineering_energy": 1.5, "agriculture_green": 1.3},
}
PART_TIME_SHARE = {"health_care": 0.35, "hospitality": 0.4, "retail_sales": 0.45, "cleaning_property": 0.4,
                   "pedagogy_education": 0.25, "social_work": 0.25}
AGE_BANDS = ["18-29", "30-39", "40-49", "50-59", "60+"]
AGE_BAND_P = [0.25, 0.22, 0.20, 0.23, 0.10]
ORIGINS = ["danish", "western", "non_western"]
ORIGIN_P = [0.68, 0.12, 0.20]
ENGLISH_CV_P = {"danish": 0.04, "western": 0.40, "non_western": 0.25}
MODES_P = {"car": 0.28, "bike": 0.33, "public": 0.30, "ebike": 0.06, "walk": 0.03}
EDU_YEARS = {"grundskole": 0, "gymnasial": 3, "eud": 3, "kvu": 5, "mvu": 6, "lvu": 8, "phd": 11}


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(f"  {msg}", file=sys.stderr, flush=True)


def _add_months(d: dt.date, k: int) -> dt.date:
    years, month0 = divmod(d.month - 1 + k, 12)
    return dt.date(d.year + years, month0 + 1, 1)


def _months_between(start: dt.date, n: int) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


class _Taxo:
    """Taxonomy as integer-indexed lists for fast sampling."""

    def __init__(self, tax):
        comp = tax.competences.reset_index(drop=True)
        self.comp_ids = comp["competence_id"].tolist()
        self.kind = dict(zip(comp["competence_id"], comp["kind"]))
        self.group = dict(zip(comp["competence_id"], comp["group"]))
        self.personal = [c for c in self.comp_ids if self.kind[c] == "personal"]
        self.languages = [c for c in self.comp_ids if self.group[c] == "L1"]
        self.licences = [c for c in self.comp_ids if c.startswith("sk_koerekort")]
        occ = tax.occupations.reset_index(drop=True)
        self.occ = occ
        #: occupation_id → row as a plain dict (pandas row access is too slow in the generator's loops)
        self.occ_info: dict[str, dict] = {r["occupation_id"]: r for r in occ.to_dict("records")}
        self.occ_ids = occ["occupation_id"].tolist()
        self.occ_row = {o: i for i, o in enumerate(self.occ_ids)}
        self.by_industry: dict[str, list[str]] = occ.groupby("industry")["occupation_id"].apply(list).to_dict()
        rel = tax.relations
        self.ess: dict[str, list[str]] = {o: [] for o in self.occ_ids}
        self.opt: dict[str, list[str]] = {o: [] for o in self.occ_ids}
        for o, c, r in rel[["occupation_id", "competence_id", "relation"]].itertuples(index=False):
            if o in self.ess and c in self.kind:
                (self.ess if r == "essential" else self.opt)[o].append(c)
        self.industry_label = dict(zip(tax.industries["industry"], tax.industries["label_da"]))
        self.industry_label_en = dict(zip(tax.industries["industry"], tax.industries["label_en"]))

    def split(self, cids: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
        """→ (tasks/skills, credentials, personal, languages)"""
        skills, creds, pers, langs = [], [], [], []
        for c in cids:
            if self.kind[c] == "personal":
                pers.append(c)
            elif self.group[c] == "L1":
                langs.append(c)
            elif is_credential(c):
                creds.append(c)
            else:
                skills.append(c)
        return skills, creds, pers, langs


def _postcode_weights(pc: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sampling weights for workplaces (→ postings) and homes (→ citizens in the pilot).

    Workplaces follow the GeoNames population of the postcode's place (damped by
    a power of 0.85), shared among postcodes joined to the same place, with a
    floor for the pilot area's district postcodes and extra weight on the
    Capital Region. Homes are spread evenly over the pilot's postcodes, where
    Copenhagen's many street-level codes count together as one area each.
    """
    gaz = geo.gazetteer()[["lat", "lon", "population"]].groupby(["lat", "lon"], as_index=False)["population"].max()
    merged = pc[["lat", "lon"]].merge(gaz, on=["lat", "lon"], how="left")
    population = pd.to_numeric(merged["population"], errors="coerce").fillna(500.0).clip(lower=500.0).to_numpy()
    sharing = pc.groupby(["lat", "lon"])["postcode"].transform("count").to_numpy(float)
    pilot = pc["municipality_code"].isin(config.pilot_municipalities()).to_numpy()
    street = pc["street_level"].to_numpy(bool) if "street_level" in pc else np.zeros(len(pc), bool)
    place = population ** 0.85
    place = np.where(pilot & ~street, np.maximum(place, 20_000 ** 0.85), place)
    capital = pc["region"].fillna("").str.contains("Hovedstaden").to_numpy() if "region" in pc else pilot
    work = place / sharing * np.where(capital, 1.5, 1.0)
    home = np.where(pilot, np.where(street, 1.0 / sharing, 1.0), 0.0)
    return work / work.sum(), home / home.sum()


def _choice(rng: np.random.Generator, items: list, k: int) -> list:
    """k distinct items in their original order."""
    if k <= 0 or not items:
        return []
    idx = np.argsort(rng.random(len(items)))[:k]
    return [items[i] for i in sorted(idx)]


# ---------------------------------------------------------------------------
# postings


def _make_postings(rng, tx: _Taxo, ph: Phrases, pc: pd.DataFrame, weights: np.ndarray,
                   n_open: int, n_closed: int, ref: dt.date, window_start: dt.date):
    industries = [i for i in POSTING_INDUSTRY_WEIGHTS if i in tx.by_industry]
    iw = np.array([POSTING_INDUSTRY_WEIGHTS[i] for i in industries])
    iw = iw / iw.sum()
    n = n_open + n_closed
    ind_idx = rng.choice(len(industries), size=n, p=iw)
    pc_idx = rng.choice(len(pc), size=n, p=weights)
    postcodes = pc["postcode"].to_numpy()
    towns = pc["name"].to_numpy()
    munis = pc["municipality_code"].to_numpy()
    employers: dict[tuple[str, int], list[str]] = {}
    rows, truth = [], []
    hist_span = (ref - dt.timedelta(days=60) - (window_start - dt.timedelta(days=30))).days
    for i in range(n):
        industry = industries[ind_idx[i]]
        occ_id = tx.by_industry[industry][rng.integers(len(tx.by_industry[industry]))]
        occ = tx.occ_info[occ_id]
        j = pc_idx[i]
        town = str(towns[j])
        key = (industry, int(postcodes[j]))
        pool = employers.setdefault(key, [])
        if pool and rng.random() < 0.6:
            employer = pool[rng.integers(len(pool))]
        else:
            employer = employer_name(ph.rng, industry, town)
            pool.append(employer)
        lang = "en" if rng.random() < (0.25 if industry in ("it_telecom", "academic_public") else 0.045) else "da"
        alt = [a for a in str(occ[f"alt_titles_{lang}"]).split("|") if a.strip()]
        title = str(rng.choice(alt)) if alt and rng.random() < 0.3 else str(occ[f"title_{lang}"])
        skills, creds, pers, langs = tx.split(tx.ess[occ_id])
        o_skills, o_creds, o_pers, o_langs = tx.split(tx.opt[occ_id])
        tasks = _choice(rng, skills, int(rng.integers(3, 6)))
        rest = [s for s in skills if s not in tasks]
        required = _choice(rng, rest, int(rng.integers(0, 3))) + [c for c in creds if rng.random() < 0.85]
        if langs and rng.random() < 0.5:
            required += _choice(rng, langs, 1)
        personal = _choice(rng, pers + o_pers, int(rng.integers(1, 3)))
        extra = [p for p in tx.personal if p not in personal]
        personal += _choice(rng, extra, int(rng.integers(1, 3)))
        optional = _choice(rng, o_skills + o_creds + o_langs, int(rng.integers(1, 4)))
        edu_level = str(occ["education_level"])
        part = rng.random() < PART_TIME_SHARE.get(industry, 0.1)
        weekly = int(rng.integers(15, 33)) if part else 37
        if i < n_open:
            posted = ref - dt.timedelta(days=int(rng.integers(0, 43)))
            deadline = max(posted + dt.timedelta(days=int(rng.integers(21, 61))), ref + dt.timedelta(days=1))
            status = "open"
        else:
            posted = window_start - dt.timedelta(days=30) + dt.timedelta(days=int(rng.integers(0, hist_span)))
            deadline = min(posted + dt.timedelta(days=int(rng.integers(14, 46))), ref - dt.timedelta(days=1))
            status = "closed"
        edu_txt = (education_text(edu_level, str(occ["title_da" if lang == "da" else "title_en"]),
                                  (tx.industry_label if lang == "da" else tx.industry_label_en)[industry], lang)
                   if rng.random() < 0.6 else None)
        description = posting_description(
            ph, lang=lang, employer=employer, title=title, town=town, tasks=tasks, required=required,
            personal=personal, optional=optional, education=edu_txt, weekly_hours=weekly,
            deadline=deadline.strftime("%d.%m.%Y"))
        pid = f"P{i + 1:06d}"
        rows.append((pid, title, occ_id, str(occ["isco"]), industry, employer, int(postcodes[j]), int(munis[j]),
                     description, lang, "part" if part else "full", weekly, posted, deadline, status))
        truth.append((pid, tasks + [r for r in required if tx.kind[r] != "personal"], optional, personal,
                      edu_level, any(c == "sk_dansk" for c in required) or lang == "da"))
    postings = pd.DataFrame(rows, columns=["posting_id", "title", "occupation_id", "isco", "industry", "employer",
                                           "postcode", "municipality_code", "description", "lang", "hours",
                                           "weekly_hours", "posted_date", "deadline", "status"])
    postings["posted_date"] = pd.to_datetime(postings["posted_date"])
    postings["deadline"] = pd.to_datetime(postings["deadline"])
    ptruth = pd.DataFrame(truth, columns=["posting_id", "essential", "optional", "personal", "education_level",
                                          "needs_danish"])
    return postings, ptruth


# ---------------------------------------------------------------------------
# citizens


def _make_citizens(rng, tx: _Taxo, ph: Phrases, pc: pd.DataFrame, home_weights: np.ndarray, n: int, ref: dt.date,
                   window_start: dt.date, n_months: int):
    if home_weights.sum() <= 0:
        raise RuntimeError("No postcodes in the pilot municipalities; check config.pilot_municipalities()")
    homes = rng.choice(len(pc), size=n, p=home_weights)
    pilot = pc[pc["municipality_code"].isin(config.pilot_municipalities()) & ~pc.get("street_level", False)]
    pilot = pilot.reset_index(drop=True)
    industries = [i for i in POSTING_INDUSTRY_WEIGHTS if i in tx.by_industry]
    base = np.array([POSTING_INDUSTRY_WEIGHTS[i] for i in industries])
    rows, audit, truth = [], [], []
    for k in range(n):
        cid = f"C{k + 1:05d}"
        gender = "female" if rng.random() < 0.5 else "male"
        age_band = AGE_BANDS[rng.choice(len(AGE_BANDS), p=AGE_BAND_P)]
        origin = ORIGINS[rng.choice(len(ORIGINS), p=ORIGIN_P)]
        age = (18 if age_band == "18-29" else int(age_band[:2])) + int(rng.integers(0, 10 if age_band != "60+" else 7))
        mult = np.array([GENDER_MULTIPLIERS[gender].get(i, 1.0) for i in industries])
        w = base * mult
        industry = industries[rng.choice(len(industries), p=w / w.sum())]
        occ_id = tx.by_industry[industry][rng.integers(len(tx.by_industry[industry]))]
        occ = tx.occ_info[occ_id]
        # previous occupation: same industry, another one, or none
        r = rng.random()
        if r < 0.45 and len(tx.by_industry[industry]) > 1:
            prev_id = tx.by_industry[industry][rng.integers(len(tx.by_industry[industry]))]
        elif r < 0.75:
            other = industries[rng.choice(len(industries), p=w / w.sum())]
            prev_id = tx.by_industry[other][rng.integers(len(tx.by_industry[other]))]
        else:
            prev_id = None
        if prev_id == occ_id:
            prev_id = None
        edu_level = str(occ["education_level"])
        if rng.random() < 0.15:  # some work below or above their formal level
            order = list(EDUCATION_LEVELS)
            edu_level = order[int(np.clip(EDUCATION_ORDER[edu_level] + rng.choice([-1, 1]), 0, len(order) - 1))]
        career = max(0.0, (age - 19 - EDU_YEARS[edu_level]) * rng.uniform(0.5, 0.95))
        # true competences
        comps: list[str] = []
        for c in tx.ess[occ_id]:
            if tx.kind[c] != "personal" and rng.random() < 0.8:
                comps.append(c)
        for c in tx.opt[occ_id]:
            if tx.kind[c] != "personal" and rng.random() < 0.4:
                comps.append(c)
        primary_set = set(comps)
        if prev_id:
            for c in tx.ess[prev_id]:
                if tx.kind[c] != "personal" and rng.random() < 0.5:
                    comps.append(c)
        occ_pers = [c for c in tx.ess[occ_id] + tx.opt[occ_id] if tx.kind[c] == "personal"]
        personal = _choice(rng, occ_pers, int(rng.integers(1, 4)))
        personal += _choice(rng, [p for p in tx.personal if p not in personal], int(rng.integers(1, 4)))
        if "sk_koerekort_b" in tx.kind and rng.random() < (0.85 if industry in ("transport_logistics", "construction") else 0.55):
            comps.append("sk_koerekort_b")
        comps = list(dict.fromkeys(c for c in comps if tx.group[c] != "L1"))
        danish_level = 0 if origin == "danish" else int(rng.integers(1, 5))
        english_level = int(np.clip(4 - EDUCATION_ORDER[edu_level] // 2 - (1 if rng.random() < 0.5 else 0), 0, 4))
        langs = [("sk_dansk", danish_level), ("sk_engelsk", english_level)]
        if origin != "danish":
            others = [c for c in tx.languages if c not in ("sk_dansk", "sk_engelsk", "sk_tegnsprog")]
            if others:
                langs.insert(0, (str(rng.choice(others)), 0))
        langs = [(c, lv) for c, lv in langs if c in tx.kind]
        all_true = comps + personal + [c for c, lv in langs if lv <= 2]
        # the CV mentions most, not all, of it
        cv_lang = "en" if rng.random() < ENGLISH_CV_P[origin] else "da"
        mentioned = [c for c in comps if rng.random() < 0.85]
        pers_mentioned = [c for c in personal if rng.random() < 0.8]
        skills, creds, _, _ = tx.split(mentioned)
        it = [c for c in skills if tx.group[c] == "S5"]
        skills = [c for c in skills if tx.group[c] != "S5"]
        licences = [c for c in creds if c.startswith("sk_koerekort")]
        creds = [c for c in creds if c not in licences]
        # employment spell in the window, and a work history before it
        start_m = int(rng.integers(0, n_months))
        duration = int(rng.geometric(0.2))
        long_term = rng.random() < 0.12
        spell_start = _months_between(window_start, n_months)[start_m]
        last_end = (spell_start.year - int(rng.integers(2, 6)), int(rng.integers(1, 13))) if long_term \
            else ((spell_start - dt.timedelta(days=20)).year, (spell_start - dt.timedelta(days=20)).month)
        years_total = max(1.0, career)
        n_jobs = 1 + (prev_id is not None) + int(rng.random() < 0.3)
        jobs = []
        end = last_end
        occ_seq = [occ_id] + ([prev_id] if prev_id else []) + [occ_id] * 3
        # each job's bullets come from the competences of that job's occupation
        occ_seq = occ_seq[:n_jobs]
        skills_of = {occ_id: [c for c in skills if c in primary_set],
                     prev_id: [c for c in skills if c not in primary_set]}
        bullets: list[list[str]] = [[] for _ in range(n_jobs)]
        for o_id, o_skills in skills_of.items():
            slots = [jn for jn in range(n_jobs) if occ_seq[jn] == o_id] or [0]
            for pos, c in enumerate(o_skills):
                bullets[slots[pos % len(slots)]].append(c)
        for jn in range(n_jobs):
            span = max(0.6, years_total / n_jobs * rng.uniform(0.6, 1.3))
            months = int(round(span * 12))
            sy, sm = end[0], end[1] - months
            while sm <= 0:
                sy, sm = sy - 1, sm + 12
            o = tx.occ_info[occ_seq[jn]]
            mrow = pilot.iloc[rng.integers(len(pilot))]
            jobs.append({"title": str(o["title_da" if cv_lang == "da" else "title_en"]),
                         "employer": employer_name(ph.rng, str(o["industry"]), str(mrow["name"])),
                         "town": str(mrow["name"]), "start": (sy, sm), "end": end,
                         "skills": bullets[jn]})
            gap = int(rng.integers(0, 4))
            ey, em = sy, sm - max(1, gap)
            while em <= 0:
                ey, em = ey - 1, em + 12
            end = (ey, em)
        exp_years = sum((j["end"][0] - j["start"][0]) + (j["end"][1] - j["start"][1]) / 12 for j in jobs
                        if j["title"] == jobs[0]["title"])
        birth_year = ref.year - age
        edu_end = min(ref.year - 1, max(jobs[-1]["start"][0] if jobs else ref.year - 1,
                                        birth_year + 16 + EDU_YEARS[edu_level]))
        ind_label = (tx.industry_label if cv_lang == "da" else tx.industry_label_en)[str(occ["industry"])]
        education = [(edu_end - max(2, EDU_YEARS[edu_level] or 2), edu_end,
                      education_text(edu_level, str(occ["title_da" if cv_lang == "da" else "title_en"]), ind_label, cv_lang))]
        if EDUCATION_ORDER[edu_level] >= 3:
            education.insert(0, (edu_end - 10, edu_end - 7,
                                 education_text("gymnasial", "", ind_label, cv_lang)))
        home = pc.iloc[homes[k]]
        name = person_name(rng, gender, origin)
        address = f"{rng.choice(STREETS)} {int(rng.integers(1, 120))}, {int(home['postcode'])} {home['name']}"
        phone = " ".join(f"{int(x):02d}" for x in [rng.integers(20, 99), *rng.integers(0, 99, size=3)])
        email = f"{name.split()[0].lower()}.{int(rng.integers(10, 99))}@example.dk"
        birth = None
        if rng.random() < 0.4:
            birth = f"{int(rng.integers(1, 28)):02d}.{int(rng.integers(1, 13)):02d}.{ref.year - age}"
        text = cv_text(ph, lang=cv_lang, name=name, address=address, phone=phone, email=email, birth=birth,
                       personal=pers_mentioned, jobs=jobs, education=education, credentials=creds,
                       licences=[ph.info[c]["da"].replace("kørekort", "").strip() or ph.info[c]["da"] for c in licences],
                       languages=langs, it=it, long_form=rng.random() < 0.6)
        mode = list(MODES_P)[rng.choice(len(MODES_P), p=list(MODES_P.values()))]
        max_minutes = int(rng.choice([30, 40, 45, 60]))
        hours_wanted = ["full", "part", "any"][rng.choice(3, p=[0.72, 0.16, 0.12])]
        rows.append((cid, int(home["postcode"]), int(home["municipality_code"]), mode, max_minutes, hours_wanted,
                     cv_lang, text))
        audit.append((cid, gender, age_band, origin))
        truth.append((cid, occ_id, prev_id, all_true, edu_level, float(min(exp_years, 40.0)), danish_level,
                      start_m, min(n_months, start_m + duration)))
    citizens = pd.DataFrame(rows, columns=["citizen_id", "home_postcode", "municipality_code", "transport_mode",
                                           "max_minutes", "hours_wanted", "cv_lang", "cv_text"])
    audit_df = pd.DataFrame(audit, columns=["citizen_id", "gender", "age_band", "origin"])
    ctruth = pd.DataFrame(truth, columns=["citizen_id", "occupation_id", "previous_occupation_id", "competences",
                                          "education_level", "experience_years", "danish_level",
                                          "active_from_month", "active_to_month"])
    return citizens, audit_df, ctruth


# ---------------------------------------------------------------------------
# interactions


def _make_interactions(rng, tx: _Taxo, postings: pd.DataFrame, ptruth: pd.DataFrame, citizens: pd.DataFrame,
                       ctruth: pd.DataFrame, pc: pd.DataFrame, window_start: dt.date, n_months: int,
                       shown_per_month: float):
    lat_p, lon_p = geo.postcode_coords(postings["postcode"].to_numpy())
    month_starts = _months_between(window_start, n_months + 1)
    ms = pd.to_datetime(pd.Series(month_starts))
    posted = postings["posted_date"].to_numpy()
    deadline = postings["deadline"].to_numpy()
    open_from = np.searchsorted(ms.to_numpy(), posted, side="right") - 1
    open_to = np.searchsorted(ms.to_numpy(), deadline, side="right") - 1
    industry = postings["industry"].to_numpy()
    isco = postings["isco"].astype(str).to_numpy()
    occ_of_posting = postings["occupation_id"].to_numpy()
    hours = postings["hours"].to_numpy()
    ess = ptruth["essential"].tolist()
    opt = ptruth["optional"].tolist()
    pers = ptruth["personal"].tolist()
    p_edu = ptruth["education_level"].map(EDUCATION_ORDER).to_numpy()
    needs_danish = ptruth["needs_danish"].to_numpy(dtype=bool)
    occ_isco = dict(zip(tx.occ["occupation_id"], tx.occ["isco"].astype(str)))
    occ_ind = dict(zip(tx.occ["occupation_id"], tx.occ["industry"]))
    posting_ids = postings["posting_id"].to_numpy()
    DAY, HOUR = 86_400, 3_600
    month_s = ms.to_numpy().astype("datetime64[s]").astype(np.int64)
    posted_s = postings["posted_date"].to_numpy().astype("datetime64[s]").astype(np.int64)
    industry_codes, industry_idx = np.unique(industry.astype(str), return_inverse=True)
    industry_of = {name: i for i, name in enumerate(industry_codes)}
    isco2 = np.array([int(i[:2]) for i in isco])
    out_c, out_p, out_e, out_t = [], [], [], []
    hidden = []
    minutes_cache: dict[tuple[int, str], np.ndarray] = {}
    for c, t in zip(citizens.itertuples(index=False), ctruth.itertuples(index=False)):
        key = (int(c.home_postcode), str(c.transport_mode))
        if key not in minutes_cache:  # homes share postcodes: compute travel times once per postcode and mode
            lat_h, lon_h = geo.postcode_coords(np.array([c.home_postcode]))
            km = geo.haversine_km(lat_h[0], lon_h[0], lat_p, lon_p)
            minutes_cache[key] = geo.travel_minutes(km, c.transport_mode)
        minutes = minutes_cache[key]
        in_range = minutes <= c.max_minutes * 1.5
        own_isco = occ_isco[t.occupation_id]
        related = (industry_idx == industry_of.get(occ_ind[t.occupation_id], -1)) | (isco2 == int(own_isco[:2]))
        prev = t.previous_occupation_id if isinstance(t.previous_occupation_id, str) else None
        if prev:
            related |= industry_idx == industry_of.get(occ_ind[prev], -1)
        has = set(t.competences)
        exp_own = min(10.0, t.experience_years)
        edu_own = EDUCATION_ORDER[t.education_level]
        for m in range(t.active_from_month, t.active_to_month):
            pool = np.flatnonzero(in_range & (open_from <= m) & (open_to >= m))
            if len(pool) == 0:
                continue
            k = min(len(pool), int(rng.poisson(shown_per_month)))
            if k == 0:
                continue
            w = np.where(related[pool], 5.0, 1.0) * np.exp(-minutes[pool] / 25.0)
            chosen = rng.choice(pool, size=k, replace=False, p=w / w.sum())
            prof = np.array([0.7 * sum(x in has for x in ess[j]) / max(1, len(ess[j]))
                             + 0.3 * sum(x in has for x in opt[j]) / max(1, len(opt[j])) for j in chosen])
            pf = np.array([sum(x in has for x in pers[j]) / max(1, len(pers[j])) for j in chosen])
            occ_j = occ_of_posting[chosen]
            isco_j = isco[chosen]
            pref = np.select(
                [occ_j == t.occupation_id, occ_j == (prev or ""),
                 np.array([i[:3] == own_isco[:3] for i in isco_j]), np.array([i[:2] == own_isco[:2] for i in isco_j])],
                [1.0, 0.5, 0.6, 0.35], 0.0)
            exp = np.where(occ_j == t.occupation_id, exp_own, 0.0)
            hfit = (np.asarray(hours[chosen]) == c.hours_wanted) | (c.hours_wanted == "any")
            edu_gap = np.maximum(0, p_edu[chosen] - edu_own)
            lang_ok = np.where(needs_danish[chosen] & (t.danish_level >= 3), 0.0, 1.0)
            u = behaviour.apply_utility(prof, pf, pref, hfit.astype(float), minutes[chosen], edu_gap,
                                        c.transport_mode, rng)
            applied = rng.random(k) < behaviour.p_apply(u)
            interview = applied & (rng.random(k) < behaviour.p_interview(prof, pf, exp, edu_gap, lang_ok))
            hired = interview & (rng.random(k) < behaviour.p_hired(prof, pf, exp))
            shown_at = np.maximum(month_s[m] + rng.integers(0, 28, k) * DAY + rng.integers(8, 16, k) * HOUR,
                                  posted_s[chosen])
            applied_at = shown_at + rng.integers(0, 6, k) * DAY + rng.integers(0, 8, k) * HOUR
            interview_at = applied_at + rng.integers(5, 21, k) * DAY
            hired_at = interview_at + rng.integers(5, 21, k) * DAY
            pid = posting_ids[chosen]
            for event, mask, when in (("shown", np.ones(k, bool), shown_at), ("applied", applied, applied_at),
                                      ("interview", interview, interview_at), ("hired", hired, hired_at)):
                n_ev = int(mask.sum())
                if n_ev:
                    out_c.extend([c.citizen_id] * n_ev)
                    out_p.extend(pid[mask])
                    out_e.extend([event] * n_ev)
                    out_t.extend(when[mask])
            stage = np.where(hired, "hired", np.where(interview, "interview", np.where(applied, "applied", "shown")))
            hidden.extend(zip([c.citizen_id] * k, pid, prof, pf, pref, minutes[chosen], u, stage))
    interactions = pd.DataFrame({"citizen_id": out_c, "posting_id": out_p, "event": out_e,
                                 "timestamp": np.asarray(out_t, dtype=np.int64).astype("datetime64[s]")})
    interactions = interactions.sort_values(["timestamp", "citizen_id", "posting_id"], kind="stable").reset_index(drop=True)
    hidden_df = pd.DataFrame(hidden, columns=["citizen_id", "posting_id", "prof_fit", "pers_fit", "occ_pref",
                                              "minutes", "utility", "max_event"])
    return interactions, hidden_df


# ---------------------------------------------------------------------------


def _list_columns_to_str(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list)).any():
            out[col] = out[col].map(lambda v: "|".join(v) if isinstance(v, list) else v)
    return out


def build_world(seed: int | None = None, *, rebuild: bool = False, progress: bool = True,
                size: config.WorldSize | None = None, folder: Path | None = None) -> dict:
    """Build (or reuse) the demo world and return its manifest plus ``built`` and ``path``."""
    seed = config.seed() if seed is None else int(seed)
    size = size or config.WorldSize()
    settings = config.settings()
    folder = Path(folder) if folder else config.world_dir()
    manifest_path = folder / "manifest.json"
    wanted = {"seed": seed, "size": asdict(size), "generator_version": GENERATOR_VERSION,
              "reference_date": settings.reference_date}
    if manifest_path.exists() and not rebuild:
        existing = json.loads(manifest_path.read_text(encoding="utf-8"))
        if all(existing.get(k) == v for k, v in wanted.items()):
            return {**existing, "built": False, "path": str(folder)}
        if existing.get("simulated") is False:
            # a municipality's imported data lives here: never replace it with a demo world unasked
            return {**existing, "built": False, "path": str(folder), "kept_real_data": True}
    started = time.perf_counter()
    ss = np.random.SeedSequence(seed)
    rng_post, rng_cit, rng_int, rng_text = (np.random.default_rng(s) for s in ss.spawn(4))
    tax = load_taxonomy()
    tx = _Taxo(tax)
    pc = geo.load_postcodes()
    ref = dt.date.fromisoformat(settings.reference_date)
    n_months = size.months
    window_start = _add_months(dt.date(ref.year, ref.month, 1), -n_months)
    ph = Phrases(tax.competences, rng_text)
    _say(progress, f"postings ({size.postings:,} open + history) ...")
    n_closed = int(size.postings * 0.8)
    work_w, home_w = _postcode_weights(pc)
    postings, ptruth = _make_postings(rng_post, tx, ph, pc, work_w,
                                      size.postings, n_closed, ref, window_start)
    _say(progress, f"citizens ({size.citizens:,}) with CVs ...")
    citizens, audit, ctruth = _make_citizens(rng_cit, tx, ph, pc, home_w, size.citizens, ref, window_start,
                                             n_months)
    _say(progress, "interactions ...")
    interactions, hidden = _make_interactions(rng_int, tx, postings, ptruth, citizens, ctruth, pc, window_start,
                                              n_months, size.shown_per_citizen_month)
    tables = {"postings": postings, "citizens": citizens, "interactions": interactions, "citizen_audit": audit}
    truth = {"posting_truth": _list_columns_to_str(ptruth), "citizen_truth": _list_columns_to_str(ctruth),
             "shown_utility": hidden}
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode())
        h.update(frame_hash(tables[name]).encode())
    version = h.hexdigest()[:16]
    tmp = folder.with_name(folder.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "generator_truth").mkdir(parents=True)
    for name, df in tables.items():
        df.to_parquet(tmp / f"{name}.parquet", index=False)
    for name, df in truth.items():
        df.to_parquet(tmp / "generator_truth" / f"{name}.parquet", index=False)
    (tmp / "generator_truth" / "README.txt").write_text(
        "What the simulator knew. Only jobmatch.demo may read these files; no model input comes from here.\n",
        encoding="utf-8")
    info = {**wanted, "data_version": version,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 1),
            "window_start": window_start.isoformat(),
            "counts": {name: int(len(df)) for name, df in tables.items()},
            "simulated": True}
    (tmp / "manifest.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    _say(progress, f"done in {info['build_seconds']} s")
    return {**info, "built": True, "path": str(folder)}
