"""Shared test material for the ranking engine: a tiny hand-made world and a trained small model.

The tiny world (six postings, twelve competences, a regex extractor) is small
enough that every feature can be checked by hand. The trained small model is
built once per test session on the ``small_world`` fixture and shared by the
ranking test modules (training takes ~20 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jobmatch.profile import CompetenceMention, LanguageSkill, OccupationHeld, Profile
from jobmatch.taxonomy import Taxonomy

# ---------------------------------------------------------------------------
# a tiny taxonomy

COMPETENCES = [
    # id, label_da, label_en, kind, group
    ("sk_lagerarbejde", "lagerarbejde", "Warehouse work", "professional", "S6"),
    ("sk_plukning", "plukning", "Order picking", "professional", "S6"),
    ("sk_truckcertifikat", "truckcertifikat", "Forklift certificate", "professional", "S8"),
    ("sk_koerekort_b", "kørekort b", "Driving licence B", "professional", "S8"),
    ("sk_koerekort_c", "kørekort c", "Driving licence C", "professional", "S8"),
    ("sk_rengoering", "rengøring", "Cleaning", "professional", "S6"),
    ("sk_excel", "excel", "Excel", "professional", "S5"),
    ("sk_fleksibel", "fleksibel", "Flexible", "personal", "A1"),
    ("sk_moedestabil", "mødestabil", "Reliable attendance", "personal", "A1"),
    ("sk_dansk", "dansk", "Danish", "professional", "L1"),
    ("sk_engelsk", "engelsk", "English", "professional", "L1"),
    ("sk_hygiejnebevis", "hygiejnebevis", "Food hygiene certificate", "professional", "S3"),
]
OCCUPATIONS = [
    # id, isco, title, industry, education
    ("occ_lager", "4321", "Lagermedarbejder", "transport_logistics", "grundskole"),
    ("occ_chauffoer", "8332", "Lastbilchauffør", "transport_logistics", "eud"),
    ("occ_rengoering", "9112", "Rengøringsassistent", "cleaning_property", "grundskole"),
    ("occ_kontor", "4110", "Kontorassistent", "office_finance", "eud"),
]


def tiny_taxonomy() -> Taxonomy:
    comp = pd.DataFrame([{"competence_id": c, "label_da": da, "label_en": en, "synonyms_da": "", "synonyms_en": "",
                          "kind": kind, "group": group} for c, da, en, kind, group in COMPETENCES])
    occ = pd.DataFrame([{"occupation_id": o, "isco": isco, "title_da": t, "title_en": t, "alt_titles_da": "",
                         "alt_titles_en": "", "industry": ind, "education_level": edu}
                        for o, isco, t, ind, edu in OCCUPATIONS])
    rel = pd.DataFrame([{"occupation_id": "occ_lager", "competence_id": "sk_lagerarbejde", "relation": "essential"}])
    ind = pd.DataFrame([{"industry": i, "label_da": i, "label_en": i}
                        for i in ("transport_logistics", "cleaning_property", "office_finance")])
    return Taxonomy(occ, comp, rel, ind, source="test")


@dataclass(frozen=True)
class Mention:
    competence_id: str
    start: int
    end: int
    negated: bool = False


class FakeExtractor:
    """Finds the tiny taxonomy's Danish labels (whole words, any case); 'ikke <label>' is negated."""

    def __init__(self) -> None:
        self.patterns = [(cid, re.compile(rf"(?<!\w)({re.escape(da)})(?!\w)", re.IGNORECASE))
                         for cid, da, _en, _k, _g in COMPETENCES]

    def __call__(self, text: str, lang: str) -> list[Mention]:
        out = []
        for cid, pattern in self.patterns:
            for m in pattern.finditer(text):
                negated = text[max(0, m.start() - 6):m.start()].lower().endswith("ikke ")
                out.append(Mention(cid, m.start(), m.end(), negated))
        return sorted(out, key=lambda m: m.start)


def _posting(pid: str, title: str, occ: str, isco: str, industry: str, postcode: int, description: str, *,
             lang: str = "da", hours: str = "full", weekly: int = 37, posted: str = "2026-10-20",
             deadline: str = "2026-11-20", status: str = "open") -> dict:
    return {"posting_id": pid, "title": title, "occupation_id": occ, "isco": isco, "industry": industry,
            "employer": f"Firma {pid}", "postcode": postcode, "municipality_code": 101, "description": description,
            "lang": lang, "hours": hours, "weekly_hours": weekly, "posted_date": pd.Timestamp(posted),
            "deadline": pd.Timestamp(deadline), "status": status}


def tiny_postings() -> pd.DataFrame:
    """Six postings: Copenhagen NV (2400), Østerbro (2100), Roskilde (4000), one closed, one in English."""
    rows = [
        _posting("P1", "Lagermedarbejder", "occ_lager", "4321", "transport_logistics", 2400,
                 "Firma P1 søger lagermedarbejder.\n\nDine opgaver:\n- Lagerarbejde og plukning\n\n"
                 "Vi forventer, at du:\n- har truckcertifikat\n- er fleksibel\n\n"
                 "Det er en fordel, hvis du har kørekort b.\n\nVi tilbyder en god arbejdsplads med excel-kursus."),
        _posting("P2", "Lastbilchauffør", "occ_chauffoer", "8332", "transport_logistics", 2100,
                 "Vi søger chauffør.\n\nVi forventer, at du:\n- har kørekort c\n- er mødestabil\n"
                 "- taler og skriver dansk\n\nDu har en relevant uddannelse (Erhvervsuddannelse som chauffør)."),
        _posting("P3", "Rengøringsassistent", "occ_rengoering", "9112", "cleaning_property", 2400,
                 "Dine opgaver:\n- Rengøring af kontorer\n\nVi forventer, at du:\n- er mødestabil\n"
                 "- du behøver ikke excel\n\nDet er en fordel, hvis du har hygiejnebevis.",
                 hours="part", weekly=25),
        _posting("P4", "Lagermedarbejder", "occ_lager", "4321", "transport_logistics", 4000,
                 "Dine opgaver:\n- Lagerarbejde\n\nVi forventer, at du:\n- er fleksibel",
                 posted="2026-10-01"),
        _posting("P5", "Kontorassistent", "occ_kontor", "4110", "office_finance", 2100,
                 "Your tasks:\n- Excel\n\nWe expect that you:\n- are fleksibel", lang="en"),
        _posting("P6", "Lagermedarbejder", "occ_lager", "4321", "transport_logistics", 2400,
                 "Dine opgaver:\n- Lagerarbejde\n- Plukning", posted="2026-08-01", deadline="2026-09-01",
                 status="closed"),
    ]
    return pd.DataFrame(rows)


def tiny_index():
    from jobmatch.index import build_index

    return build_index(tiny_postings(), taxonomy=tiny_taxonomy(), extractor=FakeExtractor(), workers=1)


def make_profile(competences: list[str], *, occupations: tuple[tuple[str, str, float], ...] = (),
                 education: str | None = None, languages: tuple[tuple[str, str], ...] = (("sk_dansk", "native"),),
                 licences: tuple[str, ...] = (), certificates: tuple[str, ...] = (), text: str = "",
                 lang: str = "da") -> Profile:
    """A hand-made profile (kinds and groups from the tiny taxonomy)."""
    info = {c: (kind, group) for c, _da, _en, kind, group in COMPETENCES}
    mentions = [CompetenceMention(0, 1, c, c, c, info.get(c, ("professional", "S1"))[1],
                                  info.get(c, ("professional", "S1"))[0], 0.9) for c in competences]
    return Profile(lang=lang, competences=mentions,
                   occupations=[OccupationHeld(o, isco, o, years) for o, isco, years in occupations],
                   education_level=education,
                   languages=[LanguageSkill(c, c, level) for c, level in languages],
                   licences=list(licences), certificates=list(certificates), text=text)


# ---------------------------------------------------------------------------
# the small world, trained once per session

SMALL_TRAIN_CONFIG = {
    "params": {"n_estimators": 80, "learning_rate": 0.1, "num_leaves": 7, "min_child_samples": 10,
               "early_stopping_rounds": 20, "n_jobs": 2, "random_state": 7},
    "split": {"train_share": 0.7, "valid_share": 0.15},
}

_TRAINED: dict[str, dict[str, Any]] = {}


def ranking_env(root: Path, world: Path) -> dict[str, str]:
    """Environment that points data, world and models at one test folder."""
    return {"JOBMATCH_DATA_DIR": str(root / "data"), "JOBMATCH_WORLD_DIR": str(world),
            "JOBMATCH_MODELS_DIR": str(root / "models")}


def trained_small(small_world: Path, root: Path) -> dict[str, Any]:
    """Train (once) a small default model on ``small_world``; returns engine, model, folders."""
    key = str(small_world)
    if key not in _TRAINED:
        from jobmatch import index as index_mod
        from jobmatch import registry
        from jobmatch.ranker import TrainConfig
        from jobmatch.ranking import RankingEngine

        root.mkdir(parents=True, exist_ok=True)
        env = ranking_env(root, small_world)
        with pytest.MonkeyPatch.context() as mp:
            for k, v in env.items():
                mp.setenv(k, v)
            model = registry.train_and_register(small_world, train_config=TrainConfig.from_dict(SMALL_TRAIN_CONFIG))
            index = index_mod.load_or_build(small_world)
        _TRAINED[key] = {"model": model, "index": index, "engine": RankingEngine(index, model.ranker, model.metadata),
                         "root": root, "env": env, "world": small_world}
    return _TRAINED[key]


def nan_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
